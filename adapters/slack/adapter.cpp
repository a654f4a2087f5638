#include "adapters/slack/adapter.hpp"

#include <memory>

#include "adapters/slack/config.hpp"
#include "adapters/slack/poster.hpp"
#include "adapters/slack/routes.hpp"

namespace whygo::slack {

Adapter adapter(const Config& settings) {
  auto config = std::make_shared<const SlackConfig>(SlackConfig::load(settings.section("slack")));
  Adapter a;
  a.name = "slack";
  a.route_prefixes = {"/slack/"};
  a.enabled = config->enabled();
  a.off_reason = "SLACK_SIGNING_SECRET is not set";
  a.settings = config->describe();
  a.documented = SlackConfig::documented();
  a.mount = [config](HttpServer& server, AdapterServices& services) { mount(server, services, *config); };
  // Posting needs the bot token, and not the signing secret.
  a.posting_needs = "SLACK_BOT_TOKEN";
  a.poster = [config](const OutboundClient& outbound, const Clock&) -> std::optional<Poster> {
    if (config->bot_token.empty()) return std::nullopt;
    return story_poster(*config, outbound);
  };
  a.readiness = [config] {
    std::vector<std::string> problems;
    if (config->bot_token.empty()) problems.emplace_back("SLACK_BOT_TOKEN is not set");
    return problems;
  };
  return a;
}

}  // namespace whygo::slack
