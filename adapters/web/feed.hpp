// The story of the day as an Atom feed (RFC 4287, https://www.rfc-editor.org/rfc/rfc4287): one
// entry per date, newest first, whose id depends on the date alone (a tag URI, RFC 4151), so a
// reader never sees the same day twice.
#pragma once
#include <date/date.h>

#include <string>
#include <vector>

#include "bot/link.hpp"

namespace whygo::web {

struct FeedDay {
  date::sys_days day;
  Link link;
};

// public_url: the service's external base URL ("https://whygo.example.org", no trailing slash),
// for absolute links and the ids' authority; empty: relative links and the authority "whygo".
// `days` newest first; the feed's updated is the newest day's.
std::string atom_feed(const std::string& public_url, const std::vector<FeedDay>& days);

// "tag:whygo.example.org,2026:story/2026-11-27": the entry id of a date.
std::string entry_id(const std::string& public_url, date::sys_days day);

}  // namespace whygo::web
