#include "config.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "text.hpp"

namespace whygo {
namespace {

std::string env(const char* name, const std::string& fallback = {}) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Config Config::from_environment() {
  Config c;
  if (const std::string listen = env("WHYGO_LISTEN"); !listen.empty()) {
    const auto parsed = parse_listen(listen);
    if (!parsed)
      throw std::invalid_argument("WHYGO_LISTEN: expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + listen + "\"");
    c.listen = *parsed;
  }
  c.db_path = env("WHYGO_DB", c.db_path);
  c.synonyms_path = env("WHYGO_SYNONYMS");
  const std::string admins_text = env("WHYGO_ADMINS");
  std::string_view admins = admins_text;
  while (!admins.empty()) {
    const std::size_t comma = admins.find(',');
    const std::string_view entry = text::trim(admins.substr(0, comma));
    if (!entry.empty()) {
      const std::size_t colon = entry.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon + 1 == entry.size())
        throw std::invalid_argument("WHYGO_ADMINS: expected platform:user entries, e.g. slack:U012AB3CD, got \"" +
                                    std::string(entry) + "\"");
      c.admins.emplace_back(entry);
    }
    admins = comma == std::string_view::npos ? std::string_view() : admins.substr(comma + 1);
  }
  c.slack.signing_secret = env("SLACK_SIGNING_SECRET");
  c.slack.bot_token = env("SLACK_BOT_TOKEN");
  c.slack.api_base = without_trailing_slash(env("SLACK_API_BASE", c.slack.api_base));
  c.discord.public_key = env("DISCORD_PUBLIC_KEY");
  c.discord.application_id = env("DISCORD_APPLICATION_ID");
  c.discord.bot_token = env("DISCORD_BOT_TOKEN");
  c.discord.api_base = without_trailing_slash(env("DISCORD_API_BASE", c.discord.api_base));
  c.matrix.as_token = env("MATRIX_AS_TOKEN");
  c.matrix.hs_token = env("MATRIX_HS_TOKEN");
  c.matrix.homeserver_url = without_trailing_slash(env("MATRIX_HOMESERVER_URL"));
  c.matrix.bot_user = env("MATRIX_BOT_USER");
  return c;
}

bool Config::is_admin(std::string_view platform, std::string_view user) const {
  if (user.empty()) return false;
  const std::string key = std::string(platform) + ":" + std::string(user);
  return std::find(admins.begin(), admins.end(), key) != admins.end();
}

}  // namespace whygo
