#include "adapters/discord/interactions.hpp"

#include <nlohmann/json.hpp>

#include "adapters/discord/permissions.hpp"
#include "bot/json_fields.hpp"

namespace whygo::discord {
namespace {

using nlohmann::json;

using json_fields::object_at;
using json_fields::string_at;

}  // namespace

std::optional<Interaction> parse_interaction(std::string_view body) {
  const json root = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return std::nullopt;
  const json* type = json_fields::member(root, "type");
  if (!type || !type->is_number_integer()) return std::nullopt;
  Interaction in;
  in.type = type->get<int>();
  in.id = string_at(root, "id");
  in.application_id = string_at(root, "application_id");
  in.token = string_at(root, "token");
  in.guild_id = string_at(root, "guild_id");
  in.channel_id = string_at(root, "channel_id");
  const json& channel = object_at(root, "channel");
  if (in.channel_id.empty()) in.channel_id = string_at(channel, "id");
  if (const json* type = json_fields::member(channel, "type"); type && type->is_number_integer())
    in.channel_type = type->get<int>();
  in.app_permissions = parse_permissions(string_at(root, "app_permissions"));

  // "member is sent when the interaction is invoked in a guild, and user is sent when invoked
  // in a DM" (docs, Interaction Object).
  const json& member = object_at(root, "member");
  in.has_member = !member.empty();
  if (in.has_member) {
    in.user_id = string_at(object_at(member, "user"), "id");
    in.permissions = parse_permissions(string_at(member, "permissions"));
  }
  if (in.user_id.empty()) in.user_id = string_at(object_at(root, "user"), "id");

  const json& data = object_at(root, "data");
  in.command_name = string_at(data, "name");
  in.custom_id = string_at(data, "custom_id");
  if (const json* options = json_fields::member(data, "options"); options && options->is_array()) {
    for (const json& option : *options) {
      if (string_at(option, "name") != "query") continue;
      // Autocomplete may send partial or missing values
      // (https://discord.com/developers/docs/interactions/application-commands, "Autocomplete"); a non-string value is
      // read as nothing typed.
      in.query = string_at(option, "value");
      const json* focused = json_fields::member(option, "focused");
      in.query_focused = focused && focused->is_boolean() && focused->get<bool>();
      break;
    }
  }
  return in;
}

bool is_admin(const Interaction& interaction, const AdminList& admins) {
  return admins.listed("discord", interaction.user_id, interaction.guild_id);
}

bool manages_guild(const Interaction& interaction) {
  return interaction.has_member && interaction.permissions && grants_admin(*interaction.permissions);
}

Request to_request(const Interaction& interaction, const AdminList& admins, std::string text, std::size_t offset) {
  Request request;
  request.platform = "discord";
  request.tenant = interaction.guild_id;
  request.channel = interaction.channel_id;
  request.user = interaction.user_id;
  request.text = std::move(text);
  // Anyone can add the app to a server of their own, so a server's permissions never reach the
  // shared catalog: they manage only the daily story in that server's channels.
  request.is_admin = is_admin(interaction, admins);
  request.manages_channel = request.is_admin || manages_guild(interaction);
  request.admin_policy =
      "Members with the Administrator or Manage Server permission may manage the daily story in their own "
      "server's channels (subscribe, unsubscribe, subscriptions), not the catalog.";
  if (request.is_admin)
    request.admin_reason = "are listed in WHYGO_ADMINS";
  else if (request.manages_channel)
    request.admin_reason = "have the Administrator or Manage Server permission in this server";
  request.offset = offset;
  // Channel types 10-12 are threads (https://discord.com/developers/docs/resources/channel, "Channel Types").
  const bool thread = interaction.channel_type >= 10 && interaction.channel_type <= 12;
  if (!interaction.guild_id.empty() && interaction.app_permissions)
    request.cannot_post = missing_post_permissions(*interaction.app_permissions, thread);
  return request;
}

}  // namespace whygo::discord
