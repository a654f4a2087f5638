// Shared by the commands that change the catalog: who is acting, reading ids and links from
// chat text, and describing links in replies.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/command.hpp"
#include "bot/problem.hpp"
#include "bot/store_roles.hpp"

namespace whygo::commands {

Actor actor_of(const Request& request, const Services& services);

// "12" or "#12".
std::optional<std::int64_t> parse_id(std::string_view word);

// `<url> <title...> [by <author>] [#tag ...]` as typed after add or suggest. A title in quotes
// ("Go by Example", or “...”) is taken whole, so " by " inside it names no author.
struct LinkInput {
  std::string url;
  std::string title;
  std::string author;
  std::vector<std::string> tags;
  std::optional<Problem> problem;  // what to fix; nullopt when the input is usable
};
// `example` is the command as it should be typed, for the message when something is missing.
LinkInput parse_link_input(std::string_view args, bool allow_author_and_tags, std::string_view example);

// "#12 “Go at Uber” (https://...)"
std::string describe(const Link& link);

// Tags typed as "#docker #k8s" (or without '#'): lower-cased, without repeats, and checked.
struct TagsInput {
  std::vector<std::string> tags;
  std::optional<Problem> problem;
};
TagsInput parse_tags(std::string_view text);

// Splits "first rest of text" at the first run of spaces.
std::pair<std::string_view, std::string_view> first_word(std::string_view text);

// "<id> #t ...", as typed after tag and untag: the link as it is, and the tags named.
struct TagRequest {
  std::optional<Link> current;
  std::vector<std::string> tags;
  std::optional<Problem> problem;
};
TagRequest parse_tag_request(std::string_view args, Services& services, const char* example);

// "all", "5", "#5", "3-40", "5 7 9": which suggestions a decision names, then the rest of the
// text (a rejection's reason). A problem when no number comes first, or "all" is mixed with ids.
struct SelectionInput {
  SuggestionSelection selection;
  std::string_view rest;
  std::optional<Problem> problem;
  // The one id named, when exactly one was (not "all", not a range).
  std::optional<std::int64_t> single() const;
};
SelectionInput parse_selection(std::string_view args);

Reply refusal(std::string text);
Reply refusal(const Problem& problem);
Reply done(std::string text);

}  // namespace whygo::commands
