// Discord's limits and the adapter's deadlines, named once
// (https://discord.com/developers/docs/resources/message, .../interactions/receiving-and-responding).
#pragma once
#include <chrono>
#include <cstddef>

#include "bot/limits.hpp"

namespace whygo::limits::discord {
// Discord counts these in characters (code points here), inclusively; over any of them the
// whole message is refused with 400 (https://discord.com/developers/docs/resources/message, "Embed Limits").
inline constexpr std::size_t content_max_chars = 2000;
inline constexpr std::size_t embeds_max = 10;
inline constexpr std::size_t embed_title_max_chars = 256;
inline constexpr std::size_t embed_description_max_chars = 4096;
inline constexpr std::size_t embed_author_max_chars = 256;
inline constexpr std::size_t embed_footer_max_chars = 2048;
inline constexpr std::size_t embed_url_max_bytes = 2048;
// Sum of titles, descriptions, field names/values, footers and author names of all embeds.
inline constexpr std::size_t embeds_total_max_chars = 6000;
// Components: button label 80, custom_id 1..100 (https://discord.com/developers/docs/components/reference).
inline constexpr std::size_t button_label_max_chars = 80;
inline constexpr std::size_t custom_id_max_chars = 100;
// Autocomplete result: at most 25 choices, name and string value 1..100 characters.
inline constexpr std::size_t autocomplete_choices_max = 25;
inline constexpr std::size_t choice_name_max_chars = 100;
inline constexpr std::size_t choice_value_max_chars = 100;
// The `query` option as registered (max_length, in characters; Discord allows 1..6000): all the
// text the dispatcher takes, so "add" with a 2048-byte URL, a title, an author and tags fits.
inline constexpr std::size_t query_option_max_chars = whygo::limits::command_max_bytes;
inline constexpr std::size_t string_option_max_length = 6000;
static_assert(query_option_max_chars <= string_option_max_length);
static_assert(query_option_max_chars >= 4 + whygo::limits::url_max_bytes + 1 + whygo::limits::title_max_chars + 4 +
                                            whygo::limits::author_max_chars +
                                            whygo::limits::tags_per_link_max * (2 + whygo::limits::tag_max_chars));
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
// A story post repeated after a crash first looks for itself among this many recent messages
// (Get Channel Messages takes a limit of 1 to 100).
inline constexpr int story_lookback_messages = 100;
// Daily story fan-out: 40 posts a second, under Discord's global 50 requests per second per bot
// (https://discord.com/developers/docs/topics/rate-limits), so one pace for the whole platform;
// the per-route buckets are per channel, and each channel gets one post.
inline constexpr std::chrono::milliseconds story_post_spacing{25};
}  // namespace whygo::limits::discord
