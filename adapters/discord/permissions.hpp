// Guild permissions as interactions carry them: member.permissions is "the total permissions of
// the member in the channel, including overwrites", a decimal string of a bitfield that keeps
// growing (https://discord.com/developers/docs/topics/permissions: "serialized into a string", use big integers). Only
// the low bits matter here, so the parse keeps the value modulo 2^64, which leaves them exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/discord/limits.hpp"

namespace whygo::discord {

// https://discord.com/developers/docs/topics/permissions, "Bitwise Permission Flags".
inline constexpr std::uint64_t permission_administrator = std::uint64_t{1} << 3;
inline constexpr std::uint64_t permission_manage_guild = std::uint64_t{1} << 5;
inline constexpr std::uint64_t permission_view_channel = std::uint64_t{1} << 10;
inline constexpr std::uint64_t permission_send_messages = std::uint64_t{1} << 11;
inline constexpr std::uint64_t permission_embed_links = std::uint64_t{1} << 14;
inline constexpr std::uint64_t permission_read_message_history = std::uint64_t{1} << 16;
inline constexpr std::uint64_t permission_send_messages_in_threads = std::uint64_t{1} << 38;

// The low 64 bits of a decimal bitfield; nullopt for an empty string, a sign, spaces, any
// non-digit, or more digits than limits::discord::permissions_max_digits.
std::optional<std::uint64_t> parse_permissions(std::string_view decimal);

// ADMINISTRATOR or MANAGE_GUILD: whoever may manage the guild may manage its whygo.
bool grants_admin(std::uint64_t permissions);

// What the bot needs in a channel to post the daily story there, from the interaction's
// app_permissions ("Bitwise set of permissions the app has within the channel the interaction
// was sent from"): View Channel, Send Messages (Send Messages in Threads in a thread), Embed
// Links for the story's embed, and Read Message History, which lets a post cut short by a crash
// be looked for before it is sent again. "" when nothing is missing; otherwise a sentence naming
// what is, for the admin who subscribes. ADMINISTRATOR grants everything.
std::string missing_post_permissions(std::uint64_t app_permissions, bool thread);

// What a server grants whygo at install: what posting the story needs (above, outside threads).
inline constexpr std::uint64_t install_permissions =
    permission_view_channel | permission_send_messages | permission_embed_links | permission_read_message_history;

// "Add to Discord": the app's guild-install link with the scopes and permissions whygo needs
// (https://discord.com/developers/docs/topics/oauth2#bot-authorization-flow).
std::string install_url(const std::string& application_id);

}  // namespace whygo::discord
