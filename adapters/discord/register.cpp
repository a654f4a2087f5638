#include "adapters/discord/register.hpp"

#include <ostream>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/permissions.hpp"
#include "adapters/discord/rest_api.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {

using nlohmann::json;

json command_definitions(bool for_guild) {
  // https://discord.com/developers/docs/interactions/application-commands: type 1 = CHAT_INPUT; option type 3 = STRING.
  // `autocomplete` may not be combined with `choices`. Not required: a bare /whygo answers with help.
  json query = {{"type", 3},
                {"name", "query"},
                {"description", "A company, a person or a topic (docker, rob pike, concurrency), or help"},
                {"required", false},
                {"autocomplete", true},
                {"max_length", limits::discord::query_option_max_chars}};
  json command = {{"name", "whygo"},
                  {"type", 1},
                  {"description", "Why teams chose Go: talks and articles by company, person or topic"},
                  {"options", json::array({query})}};
  // integration_types and contexts are "only for globally-scoped commands" (Application Command
  // Structure). Global ones are for guild installs (0) and work in guilds (0) and the bot's DMs (1).
  if (!for_guild) {
    command["integration_types"] = json::array({0});
    command["contexts"] = json::array({0, 1});
  }
  return json::array({command});
}

int register_commands(const DiscordConfig& config, const OutboundClient& client, const Clock& clock,
                      const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string guild;
  if (args.size() == 2 && args[0] == "--guild") {
    guild = args[1];
  } else if (!args.empty()) {
    err << "whygo: usage: whygo discord register [--guild ID]\n";
    return 2;
  }
  if (!guild.empty() && !valid_snowflake(guild)) {
    err << "whygo: --guild takes a guild id (digits; in Discord: Server Settings > Widget, or right-click the "
           "server with Developer Mode on > Copy Server ID), got \""
        << guild << "\"\n";
    return 2;
  }
  if (!valid_snowflake(config.application_id)) {
    err << "whygo: set DISCORD_APPLICATION_ID to the Application ID from the Developer Portal (General "
           "Information)\n";
    return 2;
  }
  if (config.bot_token.empty()) {
    err << "whygo: set DISCORD_BOT_TOKEN to the bot token from the Developer Portal (Bot > Reset Token)\n";
    return 2;
  }
  RestApi api(config, client, clock);
  const OutboundResponse response = api.bulk_overwrite_commands(command_definitions(!guild.empty()), guild);
  const std::string where = guild.empty() ? "globally" : "in guild " + guild;
  if (response.status == 0) {
    err << "whygo: could not reach Discord: " << response.error
        << "; check that address (the default is https://discord.com/api/v10) and this machine's network\n";
    return 1;
  }
  const json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const std::string shown =
      answer.is_discarded() ? response.body : answer.dump(2, ' ', false, json::error_handler_t::replace);
  (response.ok() ? out : err) << "Discord answered " << response.status << " to registering /whygo " << where << ":\n"
                              << shown << "\n";
  if (response.ok())
    out << "Add to Discord (a server's admin opens it and picks the server): " << install_url(config.application_id)
        << "\n";
  return response.ok() ? 0 : 1;
}

}  // namespace whygo::discord
