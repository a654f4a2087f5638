#include "adapters/slack/config.hpp"

#include "bot/settings.hpp"

namespace whygo::slack {

SlackConfig SlackConfig::load(const nlohmann::json& section) {
  SlackConfig c;
  const settings::Section file(section, "slack");
  file.allow({"api_base", "client_id", "authorize_url"});
  file.string("api_base", c.api_base);
  file.string("client_id", c.client_id);
  file.string("authorize_url", c.authorize_url);
  c.signing_secret = settings::secret("SLACK_SIGNING_SECRET");
  c.bot_token = settings::secret("SLACK_BOT_TOKEN");
  c.api_base = settings::without_trailing_slash(settings::env("SLACK_API_BASE", c.api_base));
  settings::check_base_url("slack.api_base (SLACK_API_BASE)", c.api_base);
  c.client_id = settings::env("SLACK_CLIENT_ID", c.client_id);
  c.client_secret = settings::secret("SLACK_CLIENT_SECRET");
  c.authorize_url = settings::env("SLACK_AUTHORIZE_URL", c.authorize_url);
  settings::check_base_url("slack.authorize_url (SLACK_AUTHORIZE_URL)", c.authorize_url);
  return c;
}

std::string SlackConfig::oauth_off_reason() const {
  std::string missing;
  const auto need = [&missing](bool has, const char* name) {
    if (!has) missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
  need(!client_id.empty(), "SLACK_CLIENT_ID");
  need(!client_secret.empty(), "SLACK_CLIENT_SECRET");
  need(!public_url.empty(), "WHYGO_PUBLIC_URL");
  need(!secret_key.empty(), "WHYGO_SECRET_KEY");
  return missing.empty() ? std::string() : missing + " not set";
}

nlohmann::json SlackConfig::describe() const {
  return {{"adapter", enabled() ? "on" : "off (SLACK_SIGNING_SECRET is not set)"},
          {"signing_secret", settings::masked(signing_secret)},
          {"bot_token", settings::masked(bot_token)},
          {"api_base", api_base},
          {"oauth_install", oauth_enabled() ? "on: GET /slack/install" : "off (" + oauth_off_reason() + ")"},
          {"client_id", client_id.empty() ? "(not set)" : client_id},
          {"client_secret", settings::masked(client_secret)},
          {"authorize_url", authorize_url}};
}

std::vector<settings::Documented> SlackConfig::documented() {
  return {
      {"signing_secret", "SLACK_SIGNING_SECRET", "verifies Slack's requests; without it the Slack routes are off", "",
       false, true},
      {"bot_token", "SLACK_BOT_TOKEN", "posts as the bot: answers to mentions, the daily story", "", false, true},
      {"api_base", "SLACK_API_BASE", "Slack Web API", "https://slack.com/api"},
      {"client_id", "SLACK_CLIENT_ID",
       "Add to Slack for many workspaces (with SLACK_CLIENT_SECRET, WHYGO_PUBLIC_URL, WHYGO_SECRET_KEY)", ""},
      {"client_secret", "SLACK_CLIENT_SECRET", "the app's client secret, for Add to Slack", "", false, true},
      {"authorize_url", "SLACK_AUTHORIZE_URL", "Slack's OAuth authorize page", "https://slack.com/oauth/v2/authorize"}};
}

}  // namespace whygo::slack
