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
  bool enabled() const { return !signing_secret.empty(); }

  // The "slack" section (null when absent), then the environment on top. Throws
  // std::invalid_argument naming a malformed setting.
  static SlackConfig load(const nlohmann::json& section);
  // For `config check`: secrets masked.
  nlohmann::json describe() const;
  // Its settings by the names describe() uses, for help, config check and README.
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::slack
