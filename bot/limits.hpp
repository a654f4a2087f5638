// The core's limits and deadlines, named once; each platform's adapter names its own.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace whygo::limits {

// Search
inline constexpr std::size_t results_per_page = 5;
// Links a query counts exactly; past this the total shown is Xapian's estimate (counting every
// match of a common word costs more than finding the best five).
inline constexpr std::size_t search_candidates = 100;
inline constexpr unsigned search_prefix_terms = 32;  // "dock": the most frequent words it starts
// The search index is written by one process at a time: how long a query waits for another
// process that is updating it (then it answers from the version it has, and the queries of the
// next second do not wait at all), and how long start-up or `whygo import` waits (a rebuild of
// 100,000 links takes seconds).
inline constexpr std::chrono::milliseconds search_index_busy_wait{250};
inline constexpr std::chrono::milliseconds search_index_start_wait{10 * 60 * 1000};
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
// How far ahead a story may be asked for: the rotation is worked out day by day up to the date,
// so "story 9999-12-31" would cost millions of days per request.
inline constexpr int story_days_ahead = 366;
inline constexpr std::size_t url_max_bytes = 2048;
inline constexpr std::size_t wiki_max_bytes = 64 * 1024 * 1024;  // `whygo import` input (100,000 links: 14 MB)

// HTTP server
inline constexpr std::size_t request_body_max_bytes = 64 * 1024;
// The front door (bot/front_door.hpp): a connection waits in one epoll thread until its whole
// request has arrived; only then does a worker take it.
// A request's header and body must both arrive within this time of its first byte, however
// slowly they trickle; past it the connection is dropped (with a 408).
inline constexpr auto request_deadline = std::chrono::seconds(2);
// Bodies over request_body_max_bytes (Matrix transactions) get more time, at this rate at least.
inline constexpr std::size_t body_min_bytes_per_second = 1024 * 1024;
// A connection with no request under way (just opened, or kept alive after an answer) is
// closed after this long.
inline constexpr auto keep_alive_timeout = std::chrono::seconds(5);
inline constexpr std::size_t keep_alive_max_requests = 1000;
// The request line and headers, together: over either limit the answer is 431 and the
// connection is closed. (cpp-httplib also refuses a request line over 8 KiB with 414.)
inline constexpr std::size_t header_max_bytes = 16 * 1024;
inline constexpr std::size_t header_max_lines = 64;
// After an error answer (413, 431...) the rest of the request is read and thrown away for a
// while, so the client reads the answer instead of a reset; then the connection is closed.
inline constexpr auto linger_time = std::chrono::seconds(1);
inline constexpr std::size_t linger_max_bytes = 256 * 1024;
// An answer not taken by the client within this time closes the connection.
inline constexpr auto write_timeout = std::chrono::seconds(5);
// Open connections at most; when full, the one that has waited longest without a complete
// request is closed to let a new one in, so a flood of idle sockets cannot lock others out.
// Each costs a file descriptor (the soft limit is raised to the hard one at start).
inline constexpr std::size_t max_connections = 1024;
// Request bodies held in memory at once (waiting and being served), over all connections. A
// body that does not fit once the longest-waiting connections were closed gets 503.
inline constexpr std::size_t body_bytes_in_memory_max = 24 * 1024 * 1024;
// Workers run complete requests only (they never wait for a client), so two per core: more
// than cores because a handler may block (the database; Discord's inline answer waits up to
// 2 s), few because on a busy machine each extra runnable thread is preempted mid-request and
// fights over the same locks (log, metrics, database pool). bench/README.md: at 32 connections,
// 2 workers p99 1.9 ms, 4: 3.2 ms, 8: 20 ms, in the same minute.
inline constexpr std::size_t worker_threads = 4;
// The kernel's queue of connections not yet accepted (cpp-httplib itself asks for 5): a burst
// of hostile connects must not overflow it and make honest clients wait for a SYN retry (1 s).
inline constexpr int listen_backlog = 1024;
// Requests refused before a route saw them (too slow, header too large) each get a log line, up
// to this many per ten seconds; past it a flood is only counted, in the door's summary line.
inline constexpr std::uint64_t refusals_logged_per_interval = 20;

// Inbound event ids remembered for de-duplication: long enough to outlive Slack's last retry
// (5 minutes; hourly for 24 h with delayed events) and homeservers' re-sends; bounded in count.
inline constexpr std::chrono::hours seen_events_retention{7 * 24};
inline constexpr std::size_t seen_events_max = 100'000;
inline constexpr std::size_t event_id_max_bytes = 255;

// Suggestions waiting for an admin, at most: in all, per tenant (workspace, server, homeserver) of
// a platform and per channel (room). Made-up users are cheap on some platforms, so the per-user
// write limit alone does not bound an admin's work. Past a cap, "suggest" says the queue is full.
inline constexpr std::size_t pending_max = 200;
inline constexpr std::size_t pending_per_tenant_max = 50;
inline constexpr std::size_t pending_per_channel_max = 10;
// "approve 5 7 9": at most this many suggestions in one command (each is read and added).
inline constexpr std::size_t approve_at_once_max = 25;

// The database: how long the start may spend on PRAGMA quick_check (a large file is checked as far
// as this allows, then served with a warning), and the free disk space below which /readyz says
// the database cannot be written (SQLite needs room for its write-ahead log and checkpoints).
inline constexpr std::chrono::milliseconds startup_check_budget{3000};
inline constexpr std::size_t disk_free_min_bytes = 16 * 1024 * 1024;

// A failed daily post is told in the channel's next reply; whether there is one is asked of the
// store at most this often per channel, so a busy channel's requests do not each query it. A
// failure shows in a reply at most this much later. Channels remembered at most: past it, the
// memory starts again (a flood of channels costs queries, not memory).
inline constexpr auto failed_post_recheck = std::chrono::seconds(10);
inline constexpr std::size_t failed_post_channels_max = 10'000;

// How soon a search sees another process's catalog change (bot/catalog_watch.hpp): SQLite's
// watcher looks at PRAGMA data_version this often; PostgreSQL's waits this long for a NOTIFY at
// a time, reads the version anyway every catalog_poll (in case a notification was lost), and
// after a dropped connection tries again every catalog_reconnect.
inline constexpr std::chrono::milliseconds catalog_check{250};
inline constexpr std::chrono::milliseconds catalog_notify_wait{500};
inline constexpr std::chrono::seconds catalog_poll{5};
inline constexpr std::chrono::milliseconds catalog_reconnect{500};

// Catalog writes from chat, per user: a burst of write_burst, then one every write_refill.
inline constexpr double write_burst = 10;
inline constexpr std::chrono::seconds write_refill{6};

// Daily post: how often the scheduler looks at the clock, and how long a claim may stay
// 'claimed' before its process is taken for dead (a live send finishes well within it).
inline constexpr std::chrono::seconds scheduler_tick{15};
inline constexpr std::chrono::minutes post_claim_lease{10};

// Following the upstream page (whygo sync): the largest page taken (the Go wiki's is about
// 10 KB; a page past this is refused unread), and the share of the catalog one sync may take
// out: a page that lost more than this (a vandalised or truncated wiki) is refused whole.
inline constexpr std::size_t upstream_max_bytes = 4 * 1024 * 1024;
inline constexpr double sync_max_removed_share = 0.2;
inline constexpr std::chrono::seconds upstream_fetch_timeout{30};

// Link health (serve's background rounds and `whygo check-links`): requests per second over all
// sites, sites visited at once, and the default wait between two requests to one site
// (WHYGO_LINK_HOST_DELAY); serve wakes every link_check_tick to check its share of the catalog,
// so a round of WHYGO_LINK_CHECK is spread out rather than one burst.
inline constexpr double link_check_rate = 2;
inline constexpr int link_check_workers = 4;
inline constexpr std::chrono::milliseconds link_check_host_delay{2'000};
inline constexpr std::chrono::seconds link_check_tick{300};
}  // namespace whygo::limits
