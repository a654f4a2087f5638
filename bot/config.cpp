#include "config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "text.hpp"

namespace whygo {
namespace {

using nlohmann::json;

std::string env(const char* name, const std::string& fallback = {}) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

std::string read_all(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(what + ": cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A secret: NAME itself, or the file NAME_FILE names (Docker and systemd credentials), trimmed.
std::string secret(const char* name) {
  if (std::string direct = env(name); !direct.empty()) return direct;
  const std::string file_var = std::string(name) + "_FILE";
  if (const std::string file = env(file_var.c_str()); !file.empty())
    return std::string(text::trim(read_all(file, file_var)));
  return {};
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

void check_base_url(const std::string& key, const std::string& url) {
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw std::invalid_argument(key + ": expected an http:// or https:// URL, got \"" + url + "\"");
}

std::vector<std::string> parse_admins(std::string_view admins, const std::string& key) {
  std::vector<std::string> out;
  while (!admins.empty()) {
    const std::size_t comma = admins.find(',');
    const std::string_view entry = text::trim(admins.substr(0, comma));
    if (!entry.empty()) {
      const std::size_t colon = entry.find(':');
      const std::string_view platform = entry.substr(0, colon == std::string_view::npos ? 0 : colon);
      if (colon == std::string_view::npos || colon + 1 == entry.size() ||
          (platform != "slack" && platform != "discord" && platform != "matrix"))
        throw std::invalid_argument(key +
                                    ": expected platform:user entries (slack, discord or matrix), e.g. "
                                    "slack:U012AB3CD, got \"" +
                                    std::string(entry) + "\"");
      out.emplace_back(entry);
    }
    admins = comma == std::string_view::npos ? std::string_view() : admins.substr(comma + 1);
  }
  return out;
}

// Reads one object level: every key must be known, with the right type.
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) throw std::invalid_argument(name("") + ": expected an object");
  }
  void allow(std::initializer_list<const char*> keys) const {
    for (const auto& item : object_.items()) {
      const std::string& key = item.key();
      if (std::none_of(keys.begin(), keys.end(), [&key](const char* k) { return key == k; }))
        throw std::invalid_argument(name(key) + ": unknown setting" + secret_hint(key));
    }
  }
  void string(const char* key, std::string& into) const {
    if (!object_.contains(key)) return;
    if (!object_[key].is_string()) throw std::invalid_argument(name(key) + ": expected a string");
    into = object_[key].get<std::string>();
  }
  const json* object(const char* key) const { return object_.contains(key) ? &object_[key] : nullptr; }
  std::string name(const std::string& key) const {
    return path_.empty() ? key : key.empty() ? path_ : path_ + "." + key;
  }

 private:
  static std::string secret_hint(const std::string& key) {
    static const char* secrets[] = {"signing_secret", "bot_token", "public_key", "as_token", "hs_token", "token"};
    for (const char* s : secrets)
      if (key == s) return " (secrets come only from the environment; see README)";
    return "";
  }
  const json& object_;
  std::string path_;
};

void apply_file(Config& c, const std::string& file) {
  json root;
  try {
    root = json::parse(read_all(file, "--config"));
  } catch (const json::parse_error& e) {
    throw std::invalid_argument(file + ": not valid JSON: " + e.what());
  }
  const Reader top(root, "");
  top.allow({"listen", "db", "synonyms", "admins", "log_format", "tls", "slack", "discord", "matrix"});
  std::string listen;
  top.string("listen", listen);
  if (!listen.empty()) {
    const auto parsed = parse_listen(listen);
    if (!parsed) throw std::invalid_argument("listen: expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + listen + "\"");
    c.listen = *parsed;
  }
  top.string("db", c.db_path);
  top.string("synonyms", c.synonyms_path);
  top.string("log_format", c.log_format);
  if (const json* admins = top.object("admins")) {
    if (!admins->is_array()) throw std::invalid_argument("admins: expected an array of \"platform:user\" strings");
    std::string joined;
    for (const auto& a : *admins) {
      if (!a.is_string()) throw std::invalid_argument("admins: expected an array of \"platform:user\" strings");
      joined += a.get<std::string>() + ",";
    }
    c.admins = parse_admins(joined, "admins");
  }
  if (const json* tls = top.object("tls")) {
    const Reader r(*tls, "tls");
    r.allow({"cert", "key"});
    r.string("cert", c.tls.cert_file);
    r.string("key", c.tls.key_file);
  }
  if (const json* slack = top.object("slack")) {
    const Reader r(*slack, "slack");
    r.allow({"api_base"});
    r.string("api_base", c.slack.api_base);
  }
  if (const json* discord = top.object("discord")) {
    const Reader r(*discord, "discord");
    r.allow({"application_id", "api_base"});
    r.string("application_id", c.discord.application_id);
    r.string("api_base", c.discord.api_base);
  }
  if (const json* matrix = top.object("matrix")) {
    const Reader r(*matrix, "matrix");
    r.allow({"homeserver_url", "bot_user"});
    r.string("homeserver_url", c.matrix.homeserver_url);
    r.string("bot_user", c.matrix.bot_user);
  }
}

void apply_environment(Config& c) {
  if (const std::string listen = env("WHYGO_LISTEN"); !listen.empty()) {
    const auto parsed = parse_listen(listen);
    if (!parsed)
      throw std::invalid_argument("WHYGO_LISTEN: expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + listen + "\"");
    c.listen = *parsed;
  }
  c.db_path = env("WHYGO_DB", c.db_path);
  c.synonyms_path = env("WHYGO_SYNONYMS", c.synonyms_path);
  if (const std::string admins = env("WHYGO_ADMINS"); !admins.empty()) c.admins = parse_admins(admins, "WHYGO_ADMINS");
  c.log_format = env("WHYGO_LOG_FORMAT", c.log_format);
  c.tls.cert_file = env("WHYGO_TLS_CERT", c.tls.cert_file);
  c.tls.key_file = env("WHYGO_TLS_KEY", c.tls.key_file);
  c.slack.signing_secret = secret("SLACK_SIGNING_SECRET");
  c.slack.bot_token = secret("SLACK_BOT_TOKEN");
  c.slack.api_base = env("SLACK_API_BASE", c.slack.api_base);
  c.discord.public_key = env("DISCORD_PUBLIC_KEY");
  c.discord.application_id = env("DISCORD_APPLICATION_ID", c.discord.application_id);
  c.discord.bot_token = secret("DISCORD_BOT_TOKEN");
  c.discord.api_base = env("DISCORD_API_BASE", c.discord.api_base);
  c.matrix.as_token = secret("MATRIX_AS_TOKEN");
  c.matrix.hs_token = secret("MATRIX_HS_TOKEN");
  c.matrix.homeserver_url = env("MATRIX_HOMESERVER_URL", c.matrix.homeserver_url);
  c.matrix.bot_user = env("MATRIX_BOT_USER", c.matrix.bot_user);
}

void validate(Config& c) {
  if (c.log_format != "text" && c.log_format != "json")
    throw std::invalid_argument("log_format (WHYGO_LOG_FORMAT): expected \"text\" or \"json\", got \"" + c.log_format +
                                "\"");
  if (c.db_path.empty()) throw std::invalid_argument("db (WHYGO_DB): must name a file");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty())
    throw std::invalid_argument("tls (WHYGO_TLS_CERT, WHYGO_TLS_KEY): give both the certificate and the key");
  c.slack.api_base = without_trailing_slash(c.slack.api_base);
  c.discord.api_base = without_trailing_slash(c.discord.api_base);
  c.matrix.homeserver_url = without_trailing_slash(c.matrix.homeserver_url);
  check_base_url("slack.api_base (SLACK_API_BASE)", c.slack.api_base);
  check_base_url("discord.api_base (DISCORD_API_BASE)", c.discord.api_base);
  check_base_url("matrix.homeserver_url (MATRIX_HOMESERVER_URL)", c.matrix.homeserver_url);
  if (!c.discord.public_key.empty() &&
      (c.discord.public_key.size() != 64 ||
       !std::all_of(c.discord.public_key.begin(), c.discord.public_key.end(),
                    [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); })))
    throw std::invalid_argument("DISCORD_PUBLIC_KEY: expected 64 hex digits (the application's public key)");
}

std::string masked(const std::string& secret_value) {
  return secret_value.empty() ? "(not set)" : "(set, " + std::to_string(secret_value.size()) + " characters)";
}

}  // namespace

Config Config::from_environment() {
  return load({});
}

Config Config::load(const std::string& file) {
  Config c;
  if (!file.empty()) apply_file(c, file);
  apply_environment(c);
  validate(c);
  return c;
}

std::string Config::describe() const {
  const json out = {{"listen", listen.host + ":" + std::to_string(listen.port)},
                    {"db", db_path},
                    {"synonyms", synonyms_path.empty() ? "(bundled)" : synonyms_path},
                    {"admins", admins},
                    {"log_format", log_format},
                    {"tls", tls.enabled() ? json{{"cert", tls.cert_file}, {"key", tls.key_file}} : json("off")},
                    {"slack",
                     {{"adapter", slack.enabled() ? "on" : "off (SLACK_SIGNING_SECRET is not set)"},
                      {"signing_secret", masked(slack.signing_secret)},
                      {"bot_token", masked(slack.bot_token)},
                      {"api_base", slack.api_base}}},
                    {"discord",
                     {{"adapter", discord.enabled() ? "on" : "off (DISCORD_PUBLIC_KEY is not set)"},
                      {"public_key", discord.public_key.empty() ? "(not set)" : discord.public_key},
                      {"application_id", discord.application_id},
                      {"bot_token", masked(discord.bot_token)},
                      {"api_base", discord.api_base}}},
                    {"matrix",
                     {{"adapter", matrix.enabled() ? "on" : "off (MATRIX_AS_TOKEN and MATRIX_HS_TOKEN are not set)"},
                      {"as_token", masked(matrix.as_token)},
                      {"hs_token", masked(matrix.hs_token)},
                      {"homeserver_url", matrix.homeserver_url},
                      {"bot_user", matrix.bot_user}}}};
  return out.dump(2);
}

bool Config::is_admin(std::string_view platform, std::string_view user) const {
  if (user.empty()) return false;
  const std::string key = std::string(platform) + ":" + std::string(user);
  return std::find(admins.begin(), admins.end(), key) != admins.end();
}

}  // namespace whygo
