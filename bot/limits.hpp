// Every limit and deadline of the service, named once.
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits {

// Search
inline constexpr std::size_t results_per_page = 5;   // issue #2: five results by default
inline constexpr std::size_t search_candidates = 500;  // rows re-ranked per query
inline constexpr std::size_t query_max_bytes = 512;   // longer chat text is cut, not rejected
inline constexpr std::size_t query_max_words = 12;

// Typo tolerance: allowed edits by word length (shorter words get none, so "xyz" never
// turns into an unrelated link).
inline constexpr std::size_t typo_min_length = 4;
inline constexpr std::size_t typo_two_edits_length = 8;

// Catalog
inline constexpr std::size_t title_max_chars = 200;
inline constexpr std::size_t url_max_bytes = 2048;
inline constexpr std::size_t wiki_max_bytes = 4 * 1024 * 1024;  // `whygo import` input

// HTTP server
inline constexpr std::size_t request_body_max_bytes = 64 * 1024;
inline constexpr auto read_timeout = std::chrono::seconds(5);
inline constexpr auto write_timeout = std::chrono::seconds(5);
inline constexpr auto keep_alive_timeout = std::chrono::seconds(5);
inline constexpr std::size_t keep_alive_max_requests = 1000;

}  // namespace whygo::limits

namespace whygo::limits {
// Inbound event ids remembered for de-duplication: long enough to outlive Slack's last retry
// (5 minutes; hourly for 24 h with delayed events) and homeservers' re-sends; bounded in count.
inline constexpr std::chrono::hours seen_events_retention{7 * 24};
inline constexpr std::size_t seen_events_max = 100'000;
inline constexpr std::size_t event_id_max_bytes = 255;
}  // namespace whygo::limits
