// The Discord adapter's settings: the public key and bot token from the environment, the
// application id and API base also from the settings file's "discord" section.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/settings.hpp"

namespace whygo::discord {

struct DiscordConfig {
  std::string public_key;                                // DISCORD_PUBLIC_KEY, hex
  std::string application_id;                            // DISCORD_APPLICATION_ID
  std::string bot_token;                                 // DISCORD_BOT_TOKEN
  std::string api_base = "https://discord.com/api/v10";  // DISCORD_API_BASE
  bool enabled() const { return !public_key.empty(); }

  // The "discord" section (null when absent), then the environment on top. Throws
  // std::invalid_argument naming a malformed setting.
  static DiscordConfig load(const nlohmann::json& section);
  // For `config check`: secrets masked.
  nlohmann::json describe() const;
  // Its settings by the names describe() uses, for help, config check and README.
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::discord
