// The web pages' limits, named once: how far back they reach, how deep a search pages, how
// long a page may be cached.
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits::web {
// How many days back /story reaches; every story look-up may record the rotation, so the
// range is bounded. The feed shows the last 30 days, today included.
inline constexpr int story_days_shown = 365;
inline constexpr int feed_days = 30;
// Search pages reachable by ?page= (the search ranks at most limits::search_candidates links).
inline constexpr std::size_t search_pages_max = 20;
// Cache-Control max-age of every page: a catalog change shows within a minute without an ETag check.
inline constexpr auto page_max_age = std::chrono::seconds(60);
}  // namespace whygo::limits::web
