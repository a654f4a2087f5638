// Matrix limits and the adapter's deadlines, named once
// (https://spec.matrix.org/latest/client-server-api/#size-limits,
// https://spec.matrix.org/latest/application-service-api/).
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits::matrix {
// A whole event must not exceed 65536 bytes (spec "Size limits"); a reply's body plus
// formatted_body stays well under it, leaving room for the envelope and m.relates_to.
inline constexpr std::size_t reply_max_bytes = 24 * 1024;
// After an outage the homeserver replays queued events (synapse#8704); older commands are not
// answered, since the asker has moved on.
inline constexpr auto command_max_age = std::chrono::hours(1);
// Client-server calls (send, join, register): timeouts, attempts, and the longest 429 wait
// worth honouring. Retries reuse the send txnId, so they never double a message.
inline constexpr auto api_connect_timeout = std::chrono::seconds(5);
inline constexpr auto api_read_timeout = std::chrono::seconds(15);
inline constexpr int api_max_attempts = 5;
inline constexpr auto api_first_backoff = std::chrono::milliseconds(500);
inline constexpr auto api_max_backoff = std::chrono::seconds(60);
// Answers per room: a burst, then one every room_answer_refill. Made-up users cost an attacker
// nothing on a homeserver of their own, so a flood of commands in one room gets this many
// answers, and the rest are skipped (and logged once) rather than flooding the room back.
inline constexpr double room_answer_burst = 10;
inline constexpr std::chrono::seconds room_answer_refill{3};
// The start-up ping waits at most this long for whygo to listen (the homeserver calls it back).
inline constexpr auto ping_wait_for_listening = std::chrono::seconds(10);
// Daily story fan-out on Matrix: homeservers publish no rate, so 10 sends a second, and 429s
// (with their Retry-After or retry_after_ms) slow it further.
inline constexpr std::chrono::milliseconds story_post_spacing{100};
// A homeserver batches up to 100 events (of up to 64 KiB each) per transaction, and retries a
// refused one forever, stalling every room: transactions may be larger.
inline constexpr std::size_t transaction_max_bytes = 8 * 1024 * 1024;
// As a user (/sync): the long poll's timeout (the homeserver answers at once when there are
// events), how many timeline events a room gives per batch, and the back-off after a failed sync
// (doubling from the first to the longest wait; a 429's Retry-After when longer).
inline constexpr std::chrono::milliseconds sync_timeout{30'000};
inline constexpr int sync_timeline_limit = 100;
// A room with more new events than the timeline limit is read back with /messages, this many
// pages at most (each of sync_timeline_limit events); commands older than command_max_age are
// not answered anyway.
inline constexpr int backfill_max_pages = 10;
inline constexpr std::chrono::milliseconds sync_first_backoff{1'000};
inline constexpr std::chrono::milliseconds sync_max_backoff{60'000};
}  // namespace whygo::limits::matrix
