// The "More" button's payload, the same on every platform: "m1:<command>:<offset>:<args>". It
// names the paging command itself, so a click can only ever show the next page of what was
// asked (bot/dispatcher.hpp, Dispatcher::page); the words are arguments, never a command.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "bot/reply.hpp"

namespace whygo::more {

std::string encode(const MoreResults& more);
// nullopt for anything encode() could not have made: another prefix (buttons from before this
// format), a command name that is not lower-case letters, a malformed offset, empty or invalid
// UTF-8 words, or words longer than a chat command may be.
std::optional<MoreResults> decode(std::string_view payload);

}  // namespace whygo::more
