// The core's limits and deadlines, named once; each platform's adapter names its own.
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits {

// Search
inline constexpr std::size_t results_per_page = 5;
inline constexpr std::size_t search_candidates = 500;     // rows re-ranked per query
inline constexpr std::size_t search_cache_entries = 256;  // queries whose ranking is kept (LRU)
inline constexpr std::size_t query_max_bytes = 512;       // longer search text is cut, not rejected
inline constexpr std::size_t command_max_bytes = 4096;    // longer chat text is refused (an add may
                                                          // carry a 2048-byte URL and a title)
inline constexpr std::size_t query_max_words = 12;

// Typo tolerance: allowed edits by word length (shorter words get none, so "xyz" never
// turns into an unrelated link).
inline constexpr std::size_t typo_min_length = 4;
inline constexpr std::size_t typo_two_edits_length = 8;

// Catalog
inline constexpr std::size_t title_max_chars = 200;
inline constexpr std::size_t author_max_chars = 100;
inline constexpr std::size_t tag_max_chars = 32;
inline constexpr std::size_t tags_per_link_max = 16;
inline constexpr std::size_t history_default = 10;
inline constexpr std::size_t history_max = 50;
inline constexpr std::size_t url_max_bytes = 2048;
inline constexpr std::size_t wiki_max_bytes = 4 * 1024 * 1024;  // `whygo import` input

// HTTP server
inline constexpr std::size_t request_body_max_bytes = 64 * 1024;
inline constexpr auto read_timeout = std::chrono::seconds(5);
inline constexpr auto write_timeout = std::chrono::seconds(5);
inline constexpr auto keep_alive_timeout = std::chrono::seconds(5);
inline constexpr std::size_t keep_alive_max_requests = 1000;
// cpp-httplib keeps a thread for each keep-alive connection until it closes, so this is how many
// connections (a proxy's upstream pool, say) are served at once; more wait for one to close.
// bench/: 32 connections against 8 threads gave p99 1.5 s and timeouts; against 32, 20 ms.
inline constexpr std::size_t worker_threads = 32;
// The request line and each header line are capped by cpp-httplib itself at 8 KiB; a
// request over them is refused with 400 before any route runs.

// Inbound event ids remembered for de-duplication: long enough to outlive Slack's last retry
// (5 minutes; hourly for 24 h with delayed events) and homeservers' re-sends; bounded in count.
inline constexpr std::chrono::hours seen_events_retention{7 * 24};
inline constexpr std::size_t seen_events_max = 100'000;
inline constexpr std::size_t event_id_max_bytes = 255;

// Catalog writes from chat, per user: a burst of write_burst, then one every write_refill.
inline constexpr double write_burst = 10;
inline constexpr std::chrono::seconds write_refill{6};

// Daily post: how often the scheduler looks at the clock, and how long a claim may stay
// 'claimed' before its process is taken for dead (a live send finishes well within it).
inline constexpr std::chrono::seconds scheduler_tick{15};
inline constexpr std::chrono::minutes post_claim_lease{10};
}  // namespace whygo::limits
