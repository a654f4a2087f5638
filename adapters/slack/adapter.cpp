#include "adapters/slack/adapter.hpp"

#include <memory>
#include <utility>

#include "adapters/slack/config.hpp"
#include "adapters/slack/manifest.hpp"
#include "adapters/slack/poster.hpp"
#include "adapters/slack/routes.hpp"

namespace whygo::slack {

Adapter adapter(const Config& settings) {
  SlackConfig loaded = SlackConfig::load(settings.section("slack"));
  loaded.public_url = settings.public_url;
  loaded.secret_key = settings.secret_key;
  auto config = std::make_shared<const SlackConfig>(std::move(loaded));
  Adapter a;
  a.name = "slack";
  a.route_prefixes = {"/slack/"};
  a.enabled = config->enabled();
  a.off_reason = "SLACK_SIGNING_SECRET is not set";
  a.settings = config->describe();
  a.documented = SlackConfig::documented();
  a.mount = [config](HttpServer& server, AdapterServices& services) { mount(server, services, *config); };
  // Posting needs a bot token (the workspace's own, or SLACK_BOT_TOKEN), and not the signing secret.
  a.posting_needs = "SLACK_BOT_TOKEN, or WHYGO_SECRET_KEY for the tokens of installed workspaces";
  a.poster = [config](const OutboundClient& outbound, const Clock&,
                      Installations& installations) -> std::optional<Poster> {
    if (config->bot_token.empty() && config->secret_key.empty()) return std::nullopt;
    return story_poster(*config, outbound, installations);
  };
  if (a.enabled && config->oauth_enabled())
    a.install = {{"Add to Slack", config->public_url + "/slack/install", "then type /whygo docker in any channel"}};
  a.readiness = [config] {
    std::vector<std::string> problems;
    if (config->bot_token.empty() && !config->oauth_enabled())
      problems.emplace_back("SLACK_BOT_TOKEN is not set (nor Add to Slack: " + config->oauth_off_reason() + ")");
    return problems;
  };
  a.cli_verbs = {{"slack manifest",
                  "print the Slack app manifest with WHYGO_PUBLIC_URL filled in, to paste at api.slack.com/apps"}};
  a.cli = [config](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    return run_cli(*config, args, out, err);
  };
  return a;
}

}  // namespace whygo::slack
