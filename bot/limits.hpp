// Every limit and deadline of the service, named once.
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits {

// Search
inline constexpr std::size_t results_per_page = 5;      // issue #2: five results by default
inline constexpr std::size_t search_candidates = 500;   // rows re-ranked per query
inline constexpr std::size_t search_cache_entries = 256;  // queries whose ranking is kept (LRU)
inline constexpr std::size_t query_max_bytes = 512;     // longer search text is cut, not rejected
inline constexpr std::size_t command_max_bytes = 4096;  // longer chat text is refused (an add may
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
// A homeserver batches up to 100 events (of up to 64 KiB each) per transaction, and retries a
// refused one forever, stalling every room: transactions may be larger.
inline constexpr std::size_t matrix_transaction_max_bytes = 8 * 1024 * 1024;
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

}  // namespace whygo::limits

namespace whygo::limits {
// Inbound event ids remembered for de-duplication: long enough to outlive Slack's last retry
// (5 minutes; hourly for 24 h with delayed events) and homeservers' re-sends; bounded in count.
inline constexpr std::chrono::hours seen_events_retention{7 * 24};
inline constexpr std::size_t seen_events_max = 100'000;
inline constexpr std::size_t event_id_max_bytes = 255;
}  // namespace whygo::limits

namespace whygo::limits {
// Slack (facts and sources in docs/protocols/slack.md)
// Signed requests older or newer than this are refused: "does not differ from local time by more
// than five minutes" (Slack, verifying requests).
inline constexpr std::chrono::seconds slack_signature_window{5 * 60};
inline constexpr std::size_t slack_blocks_per_message = 50;   // Block Kit: up to 50 blocks a message
inline constexpr std::size_t slack_section_text_max = 3000;   // section / text object text
inline constexpr std::size_t slack_context_text_max = 2000;   // kept under the 3000 text cap
inline constexpr std::size_t slack_title_max = 150;           // one line, as a header block's cap
inline constexpr std::size_t slack_button_value_max = 2000;   // button value
inline constexpr std::size_t slack_fallback_text_max = 4000;  // chat.postMessage top-level text
inline constexpr auto slack_api_connect_timeout = std::chrono::seconds(5);
inline constexpr auto slack_api_read_timeout = std::chrono::seconds(10);
inline constexpr int slack_api_max_attempts = 4;
// Daily story fan-out: 4 posts a second stays well under chat.postMessage's "several hundred
// messages per minute" per workspace (and one post per channel is far under 1 per second).
inline constexpr std::chrono::milliseconds slack_story_post_spacing{250};
// A Retry-After longer than this is not waited for: the asker has moved on.
inline constexpr auto slack_api_max_backoff = std::chrono::seconds(30);
}  // namespace whygo::limits

namespace whygo::limits::discord {
// Discord counts these in characters (code points here), inclusively; over any of them the
// whole message is refused with 400 (docs resources/message.mdx, "Embed Limits").
inline constexpr std::size_t content_max_chars = 2000;
inline constexpr std::size_t embeds_max = 10;
inline constexpr std::size_t embed_title_max_chars = 256;
inline constexpr std::size_t embed_description_max_chars = 4096;
inline constexpr std::size_t embed_author_max_chars = 256;
inline constexpr std::size_t embed_footer_max_chars = 2048;
inline constexpr std::size_t embed_url_max_bytes = 2048;
// Sum of titles, descriptions, field names/values, footers and author names of all embeds.
inline constexpr std::size_t embeds_total_max_chars = 6000;
// Components: button label 80, custom_id 1..100 (components/reference.mdx).
inline constexpr std::size_t button_label_max_chars = 80;
inline constexpr std::size_t custom_id_max_chars = 100;
// Autocomplete result: at most 25 choices, name and string value 1..100 characters.
inline constexpr std::size_t autocomplete_choices_max = 25;
inline constexpr std::size_t choice_name_max_chars = 100;
inline constexpr std::size_t choice_value_max_chars = 100;
// The `query` option as registered (max_length, in characters).
inline constexpr std::size_t query_option_max_chars = 500;
// Create Message nonce: an integer or a string of at most 25 characters.
inline constexpr std::size_t nonce_max_chars = 25;
// Ed25519 sizes: a 32-byte public key and a 64-byte signature, both sent as hex.
inline constexpr std::size_t public_key_bytes = 32;
inline constexpr std::size_t signature_bytes = 64;
// member.permissions is a decimal string of a growing bitfield; longer strings are garbage.
inline constexpr std::size_t permissions_max_digits = 64;
// Discord wants an answer within 3 s; past this the reply goes out deferred (type 5/6) and
// follows through the interaction webhook, which stays valid for 15 minutes.
inline constexpr auto inline_answer_budget = std::chrono::milliseconds(2000);
// X-Signature-Timestamp is Unix seconds; Discord's own libraries check no window, so ours is
// generous (clock skew) and only stops replays of old captures.
inline constexpr auto signature_max_age = std::chrono::minutes(10);
// REST calls (discord.com/api): timeouts, attempts, and the longest 429 wait worth honouring.
inline constexpr auto rest_connect_timeout = std::chrono::seconds(5);
inline constexpr auto rest_read_timeout = std::chrono::seconds(10);
inline constexpr int rest_max_attempts = 4;
inline constexpr auto rest_max_backoff = std::chrono::seconds(60);
// Daily story fan-out: 40 posts a second, under Discord's global 50 requests per second.
inline constexpr std::chrono::milliseconds story_post_spacing{25};
}  // namespace whygo::limits::discord

namespace whygo::limits {
// Matrix (facts and sources in docs/protocols/matrix.md)
// A whole event must not exceed 65536 bytes (spec "Size limits"); a reply's body plus
// formatted_body stays well under it, leaving room for the envelope and m.relates_to.
inline constexpr std::size_t matrix_reply_max_bytes = 24 * 1024;
// After an outage the homeserver replays queued events (synapse#8704); older commands are not
// answered, since the asker has moved on.
inline constexpr auto matrix_command_max_age = std::chrono::hours(1);
// Client-server calls (send, join, register): timeouts, attempts, and the longest 429 wait
// worth honouring. Retries reuse the send txnId, so they never double a message.
inline constexpr auto matrix_api_connect_timeout = std::chrono::seconds(5);
inline constexpr auto matrix_api_read_timeout = std::chrono::seconds(15);
inline constexpr int matrix_api_max_attempts = 5;
inline constexpr auto matrix_api_first_backoff = std::chrono::milliseconds(500);
inline constexpr auto matrix_api_max_backoff = std::chrono::seconds(60);
}  // namespace whygo::limits

namespace whygo::limits {
// Catalog writes from chat, per user: a burst of write_burst, then one every write_refill.
inline constexpr double write_burst = 10;
inline constexpr std::chrono::seconds write_refill{6};
}  // namespace whygo::limits

namespace whygo::limits {
// Daily post: how often the scheduler looks at the clock, and how long a claim may stay
// 'claimed' before its process is taken for dead (a live send finishes well within it).
inline constexpr std::chrono::seconds scheduler_tick{15};
inline constexpr std::chrono::minutes post_claim_lease{10};
}  // namespace whygo::limits

namespace whygo::limits {
// Daily story fan-out on Matrix: homeservers publish no rate, so 10 sends a second, and 429s
// (with their Retry-After or retry_after_ms) slow it further.
inline constexpr std::chrono::milliseconds matrix_story_post_spacing{100};
}  // namespace whygo::limits
