#include "adapters/slack/config.hpp"

#include "bot/settings.hpp"

namespace whygo::slack {

SlackConfig SlackConfig::load(const nlohmann::json& section) {
  SlackConfig c;
  const settings::Section file(section, "slack");
  file.allow({"api_base"});
  file.string("api_base", c.api_base);
  c.signing_secret = settings::secret("SLACK_SIGNING_SECRET");
  c.bot_token = settings::secret("SLACK_BOT_TOKEN");
  c.api_base = settings::without_trailing_slash(settings::env("SLACK_API_BASE", c.api_base));
  settings::check_base_url("slack.api_base (SLACK_API_BASE)", c.api_base);
  return c;
}

nlohmann::json SlackConfig::describe() const {
  return {{"adapter", enabled() ? "on" : "off (SLACK_SIGNING_SECRET is not set)"},
          {"signing_secret", settings::masked(signing_secret)},
          {"bot_token", settings::masked(bot_token)},
          {"api_base", api_base}};
}

std::vector<settings::Documented> SlackConfig::documented() {
  return {{"signing_secret", "SLACK_SIGNING_SECRET", "verifies Slack's requests; without it the Slack routes are off",
           "", false, true},
          {"bot_token", "SLACK_BOT_TOKEN", "posts as the bot: answers to mentions, the daily story", "", false, true},
          {"api_base", "SLACK_API_BASE", "Slack Web API", "https://slack.com/api"}};
}

}  // namespace whygo::slack
