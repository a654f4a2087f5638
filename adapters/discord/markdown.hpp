// Catalog and user text shown in Discord. allowed_mentions {"parse": []} already keeps any
// message from pinging (https://discord.com/developers/docs/resources/message, "Allowed Mentions"); escaping also keeps
// a hostile title from *looking* like a mention, a masked link or formatting.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace whygo::discord {

// Backslash-escapes Discord markdown (a backslash before any punctuation prints it literally),
// breaks @everyone / @here with a zero-width space, and turns control characters into spaces.
std::string escape_markdown(std::string_view text);

// At most max_chars code points of valid UTF-8; a cut text ends with "…". Invalid UTF-8 bytes
// become U+FFFD first, since Discord (and JSON) need valid UTF-8.
std::string clip(std::string_view text, std::size_t max_chars);

// Number of code points, as Discord counts its limits.
std::size_t char_count(std::string_view text);

}  // namespace whygo::discord
