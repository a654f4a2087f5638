#include "adapters/discord/config.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "bot/settings.hpp"

namespace whygo::discord {

DiscordConfig DiscordConfig::load(const nlohmann::json& section) {
  DiscordConfig c;
  const settings::Section file(section, "discord");
  file.allow({"application_id", "api_base"});
  file.string("application_id", c.application_id);
  file.string("api_base", c.api_base);
  c.public_key = settings::env("DISCORD_PUBLIC_KEY");
  c.application_id = settings::env("DISCORD_APPLICATION_ID", c.application_id);
  c.bot_token = settings::secret("DISCORD_BOT_TOKEN");
  c.api_base = settings::without_trailing_slash(settings::env("DISCORD_API_BASE", c.api_base));
  settings::check_base_url("discord.api_base (DISCORD_API_BASE)", c.api_base);
  if (!c.public_key.empty() && (c.public_key.size() != 64 ||
                                !std::all_of(c.public_key.begin(), c.public_key.end(),
                                             [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); })))
    throw std::invalid_argument("DISCORD_PUBLIC_KEY: expected 64 hex digits (the application's public key)");
  return c;
}

nlohmann::json DiscordConfig::describe() const {
  return {{"adapter", enabled() ? "on" : "off (DISCORD_PUBLIC_KEY is not set)"},
          {"public_key", public_key.empty() ? "(not set)" : public_key},
          {"application_id", application_id},
          {"bot_token", settings::masked(bot_token)},
          {"api_base", api_base}};
}

std::vector<settings::Documented> DiscordConfig::documented() {
  return {{"public_key", "DISCORD_PUBLIC_KEY",
           "verifies Discord's requests (64 hex digits); without it the route is off", "", false},
          {"application_id", "DISCORD_APPLICATION_ID", "the application: registers /whygo, edits deferred answers", ""},
          {"bot_token", "DISCORD_BOT_TOKEN", "registers /whygo, posts the daily story", "", false, true},
          {"api_base", "DISCORD_API_BASE", "Discord REST API", "https://discord.com/api/v10"}};
}

}  // namespace whygo::discord
