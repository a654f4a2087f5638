#include "bot/config.hpp"

#include <algorithm>
#include <stdexcept>

#include "bot/settings.hpp"

namespace whygo {
namespace {

using nlohmann::json;

ListenAddress listen_from(const std::string& text, const std::string& setting) {
  const auto parsed = parse_listen(text);
  if (!parsed) throw std::invalid_argument(setting + ": expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + text + "\"");
  return *parsed;
}

void apply_file(Config& c, const std::string& file, const std::vector<std::string>& platforms) {
  json root;
  try {
    root = json::parse(settings::read_file(file, "--config"));
  } catch (const json::parse_error& e) {
    throw std::invalid_argument(file + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw std::invalid_argument(file + ": expected a JSON object");
  for (const auto& item : root.items()) {
    static const char* core_keys[] = {"listen", "share_port", "db", "synonyms", "admins", "log_format", "tls"};
    const bool core = std::find(std::begin(core_keys), std::end(core_keys), item.key()) != std::end(core_keys);
    const bool platform = std::find(platforms.begin(), platforms.end(), item.key()) != platforms.end();
    if (!core && !platform) throw std::invalid_argument(item.key() + ": unknown setting");
    if (platform) c.sections[item.key()] = item.value();
  }
  const settings::Section top(root, "");
  std::string listen;
  top.string("listen", listen);
  if (!listen.empty()) c.listen = listen_from(listen, "listen");
  if (const json* share = top.object("share_port")) {
    if (!share->is_boolean()) throw std::invalid_argument("share_port: expected true or false");
    c.share_port = share->get<bool>();
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
    c.admins = AdminList::parse(joined, platforms, "admins");
  }
  if (const json* tls = top.object("tls")) {
    const settings::Section r(*tls, "tls");
    r.allow({"cert", "key"});
    r.string("cert", c.tls.cert_file);
    r.string("key", c.tls.key_file);
  }
}

void apply_environment(Config& c, const std::vector<std::string>& platforms) {
  if (const std::string listen = settings::env("WHYGO_LISTEN"); !listen.empty())
    c.listen = listen_from(listen, "WHYGO_LISTEN");
  if (const std::string share = settings::env("WHYGO_SHARE_PORT"); !share.empty()) {
    if (share != "1" && share != "0" && share != "true" && share != "false")
      throw std::invalid_argument("WHYGO_SHARE_PORT: expected 1 or 0, got \"" + share + "\"");
    c.share_port = share == "1" || share == "true";
  }
  c.db_path = settings::env("WHYGO_DB", c.db_path);
  c.synonyms_path = settings::env("WHYGO_SYNONYMS", c.synonyms_path);
  if (const std::string admins = settings::env("WHYGO_ADMINS"); !admins.empty())
    c.admins = AdminList::parse(admins, platforms, "WHYGO_ADMINS");
  c.log_format = settings::env("WHYGO_LOG_FORMAT", c.log_format);
  c.tls.cert_file = settings::env("WHYGO_TLS_CERT", c.tls.cert_file);
  c.tls.key_file = settings::env("WHYGO_TLS_KEY", c.tls.key_file);
}

void validate(const Config& c) {
  if (c.log_format != "text" && c.log_format != "json")
    throw std::invalid_argument("log_format (WHYGO_LOG_FORMAT): expected \"text\" or \"json\", got \"" + c.log_format +
                                "\"");
  if (c.db_path.empty()) throw std::invalid_argument("db (WHYGO_DB): must name a file");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty())
    throw std::invalid_argument("tls (WHYGO_TLS_CERT, WHYGO_TLS_KEY): give both the certificate and the key");
}

}  // namespace

Config Config::load(const std::string& file, const std::vector<std::string>& platforms) {
  Config c;
  if (!file.empty()) apply_file(c, file, platforms);
  apply_environment(c, platforms);
  validate(c);
  return c;
}

const nlohmann::json& Config::section(const std::string& platform) const {
  static const json absent;
  const auto found = sections.find(platform);
  return found == sections.end() ? absent : found->second;
}

json Config::describe() const {
  return {{"listen", listen.host + ":" + std::to_string(listen.port)},
          {"share_port", share_port},
          {"db", db_path},
          {"synonyms", synonyms_path.empty() ? "(bundled)" : synonyms_path},
          {"admins", admins.entries()},
          {"log_format", log_format},
          {"tls", tls.enabled() ? json{{"cert", tls.cert_file}, {"key", tls.key_file}} : json("off")}};
}

}  // namespace whygo
