// The web pages' routes: each looks up what it shows through the same calls chat uses (the
// dispatcher's search and story, the catalog reader, the wiki export) and answers cacheable,
// strictly typed HTML, Atom, markdown or JSON.
#pragma once
#include <string>

#include "adapters/web/config.hpp"
#include "bot/adapter.hpp"

namespace whygo::web {

// How many days back /story and the feed reach (today included in the feed's 30).
inline constexpr int story_days_shown = 365;
inline constexpr int feed_days = 30;
// Search pages reachable by ?page= (the search ranks at most limits::search_candidates links).
inline constexpr std::size_t search_pages_max = 20;

// public_url: WHYGO_PUBLIC_URL, for the feed's absolute links; may be empty.
void mount(HttpServer& server, AdapterServices& services, const std::string& public_url);

}  // namespace whygo::web
