// Guild permissions as interactions carry them: member.permissions is "the total permissions of
// the member in the channel, including overwrites", a decimal string of a bitfield that keeps
// growing (https://discord.com/developers/docs/topics/permissions: "serialized into a string", use big integers). Only
// the low bits matter here, so the parse keeps the value modulo 2^64, which leaves them exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include "adapters/discord/limits.hpp"

namespace whygo::discord {

// https://discord.com/developers/docs/topics/permissions, "Bitwise Permission Flags".
inline constexpr std::uint64_t permission_administrator = std::uint64_t{1} << 3;
inline constexpr std::uint64_t permission_manage_guild = std::uint64_t{1} << 5;

// The low 64 bits of a decimal bitfield; nullopt for an empty string, a sign, spaces, any
// non-digit, or more digits than limits::discord::permissions_max_digits.
std::optional<std::uint64_t> parse_permissions(std::string_view decimal);

// ADMINISTRATOR or MANAGE_GUILD: whoever may manage the guild may manage its whygo.
bool grants_admin(std::uint64_t permissions);

}  // namespace whygo::discord
