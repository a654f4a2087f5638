// The Slack adapter's settings: secrets from the environment, the API base also from the
// settings file's "slack" section.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/settings.hpp"

namespace whygo::slack {

struct SlackConfig {
  std::string signing_secret;                      // SLACK_SIGNING_SECRET
  std::string bot_token;                           // SLACK_BOT_TOKEN
  std::string api_base = "https://slack.com/api";  // SLACK_API_BASE
  // "Add to Slack" (OAuth v2) for many workspaces.
  std::string client_id;                                               // SLACK_CLIENT_ID
  std::string client_secret;                                           // SLACK_CLIENT_SECRET
  std::string authorize_url = "https://slack.com/oauth/v2/authorize";  // SLACK_AUTHORIZE_URL
  // From the core's settings: WHYGO_PUBLIC_URL and WHYGO_SECRET_KEY.
  std::string public_url;
  std::string secret_key;
  bool enabled() const { return !signing_secret.empty(); }
  // Why "Add to Slack" is off; empty when it is on.
  std::string oauth_off_reason() const;
  bool oauth_enabled() const { return oauth_off_reason().empty(); }

  // The "slack" section (null when absent), then the environment on top. Throws
  // std::invalid_argument naming a malformed setting.
  static SlackConfig load(const nlohmann::json& section);
  // For `config check`: secrets masked.
  nlohmann::json describe() const;
  // Its settings by the names describe() uses, for help, config check and README.
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::slack
