// The Go story of the day: one link per calendar date, the same for everyone, every link shown
// once before any repeats, and computable in advance for any date.
#pragma once
#include <date/date.h>

#include <optional>
#include <string>
#include <vector>

#include "link.hpp"

namespace whygo {

// The links are taken in id order, so the answer depends only on the catalog and the date.
std::optional<Link> story_for(std::vector<Link> links, date::sys_days day);

// "27 Nov 2026"
std::string story_date_label(date::sys_days day);

// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<date::sys_days> parse_date(std::string_view text);

}  // namespace whygo
