// The interaction object Discord POSTs (https://discord.com/developers/docs/interactions/receiving-and-responding,
// "Interaction Object"), read into plain values. The body is only parsed after its signature
// checked out; even so, a field of the wrong type is treated as absent, never thrown on.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/admins.hpp"
#include "bot/reply.hpp"

namespace whygo::discord {

enum class InteractionType : int {
  ping = 1,
  application_command = 2,
  message_component = 3,
  autocomplete = 4,
  modal_submit = 5,
};

// Interaction callback types (docs "Interaction Callback Type").
enum class CallbackType : int {
  pong = 1,
  channel_message = 4,
  deferred_channel_message = 5,
  deferred_update_message = 6,
  update_message = 7,
  autocomplete_result = 8,
};

struct Interaction {
  int type = 0;
  std::string id;
  std::string application_id;
  std::string token;
  std::string guild_id;  // empty in a DM
  std::string channel_id;
  std::string user_id;                           // member.user.id in a guild, user.id in a DM
  bool has_member = false;                       // only guild interactions carry a member
  std::optional<std::uint64_t> permissions;      // member.permissions, when present and well-formed
  std::optional<std::uint64_t> app_permissions;  // the bot's own permissions in the channel
  int channel_type = -1;                         // channel.type; -1 when not sent
  std::string command_name;                      // data.name (types 2 and 4)
  std::string query;                             // the `query` option's value; "" when absent or not a string
  bool query_focused = false;                    // autocomplete: the user is typing `query`
  std::string custom_id;                         // data.custom_id (type 3)
};

// nullopt when the body is not a JSON object with an integer `type`.
std::optional<Interaction> parse_interaction(std::string_view body);

// A catalog admin: listed in WHYGO_ADMINS ("discord:<user id>"), whatever the guild's permissions.
bool is_admin(const Interaction& interaction, const AdminList& admins);
// A guild member with ADMINISTRATOR or MANAGE_GUILD in this channel: manages the daily story of
// this guild's channels, nothing else. A DM carries no member and so no guild rights.
bool manages_guild(const Interaction& interaction);

// The platform-neutral request for a command or a "More" click: tenant is the guild. In a guild
// channel, cannot_post names the permissions the bot lacks to post the daily story there.
Request to_request(const Interaction& interaction, const AdminList& admins, std::string text, std::size_t offset);

}  // namespace whygo::discord
