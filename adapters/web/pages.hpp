// The web pages as HTML: pure functions of what the routes looked up, every value from the
// catalog escaped (titles come from admins and suggestions). No script anywhere: the pages work
// with JavaScript off, and the Content-Security-Policy (routes.cpp) forbids any.
#pragma once
#include <date/date.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/adapter.hpp"
#include "bot/link.hpp"
#include "bot/reply.hpp"
#include "bot/store_roles.hpp"

namespace whygo::web {

struct HomePage {
  std::vector<SectionCount> sections;
  Reply story;  // today's, as `whygo story` gives it (or its failure)
  std::vector<InstallLink> install;
};
std::string home_page(const HomePage& page);

// The search's answer for `query` (the dispatcher's "search" reply, or its failure), page `page`
// (from 1) of results_per_page links.
std::string search_page(std::string_view query, const Reply& reply, std::size_t page, std::size_t per_page);

// One link: its fields and the chat commands that show it. added_at in unix seconds.
// `health`: what the link checker last saw of it, when it was checked.
std::string link_page(const Link& link, const std::optional<LinkHealth>& health = std::nullopt);

// The story of `day`, with the days before and after it that the site shows (nullopt: none).
std::string story_page(const Reply& reply, date::sys_days day, std::optional<date::sys_days> previous,
                       std::optional<date::sys_days> next);

// A page for 404 and 400 answers: what went wrong, and the way back.
std::string problem_page(std::string_view title, std::string_view text);

// The one stylesheet: light and dark by prefers-color-scheme, readable on a phone.
std::string_view stylesheet();

// "2026-11-27"
std::string iso_date(date::sys_days day);

}  // namespace whygo::web
