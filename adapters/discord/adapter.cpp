#include "adapters/discord/adapter.hpp"

#include <memory>
#include <ostream>

#include "adapters/discord/config.hpp"
#include "adapters/discord/permissions.hpp"
#include "adapters/discord/poster.hpp"
#include "adapters/discord/register.hpp"
#include "adapters/discord/routes.hpp"

namespace whygo::discord {

Adapter adapter(const Config& settings) {
  auto config = std::make_shared<const DiscordConfig>(DiscordConfig::load(settings.section("discord")));
  Adapter a;
  a.name = "discord";
  a.route_prefixes = {"/discord/"};
  a.enabled = config->enabled();
  a.off_reason = "DISCORD_PUBLIC_KEY is not set";
  a.settings = config->describe();
  a.documented = DiscordConfig::documented();
  a.mount = [config](HttpServer& server, AdapterServices& services) { mount(server, services, *config); };
  // Posting needs the bot token, and not the public key.
  a.posting_needs = "DISCORD_BOT_TOKEN";
  a.poster = [config](const OutboundClient& outbound, const Clock& clock, Installations&) -> std::optional<Poster> {
    if (config->bot_token.empty()) return std::nullopt;
    return story_poster(*config, outbound, clock);
  };
  a.readiness = [config] {
    std::vector<std::string> problems;
    if (config->application_id.empty()) problems.emplace_back("DISCORD_APPLICATION_ID is not set");
    return problems;
  };
  if (a.enabled && !config->application_id.empty())
    a.install = {{"Add to Discord", install_url(config->application_id), "then type /whygo query:docker"}};
  a.cli_verbs = {
      {"discord register [--guild ID]", "register /whygo with Discord (DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN)"}};
  a.cli = [config](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty() || args[0] != "register") {
      err << "whygo: usage: whygo discord register [--guild ID]\n";
      return 2;
    }
    const SystemClock clock;
    const OutboundClient outbound;
    return register_commands(*config, outbound, clock, std::vector<std::string>(args.begin() + 1, args.end()), out,
                             err);
  };
  return a;
}

}  // namespace whygo::discord
