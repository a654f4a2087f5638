#include "bot/config.hpp"

#include <algorithm>
#include <stdexcept>

#include "bot/database.hpp"
#include "bot/link_check.hpp"
#include "bot/secret_box.hpp"
#include "bot/settings.hpp"

namespace whygo {
namespace {

using nlohmann::json;

ListenAddress listen_from(const std::string& text, const std::string& setting) {
  const auto parsed = parse_listen(text);
  if (!parsed) throw std::invalid_argument(setting + ": expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + text + "\"");
  return *parsed;
}

void apply_file(Config& c, const std::string& file, const std::vector<std::string>& platforms,
                const std::vector<std::string>& chat_platforms) {
  json root;
  try {
    root = json::parse(settings::read_file(file, "the settings file (--config)"));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(e.what()) +
                                "; start from deploy/whygo.example.json (README, Running in production)");
  } catch (const json::parse_error& e) {
    throw std::invalid_argument(file + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw std::invalid_argument(file + ": expected a JSON object");
  c.file = file;
  c.file_settings = root;
  for (const auto& item : root.items()) {
    static const char* core_keys[] = {
        "listen",         "share_port",  "db",           "synonyms",   "admins",          "log_format",  "tls",
        "public_url",     "fetch_allow", "upstream_url", "sync_every", "link_dead_after", "archive_url", "link_check",
        "link_host_delay"};
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
  top.string("public_url", c.public_url);
  top.string("upstream_url", c.upstream_url);
  top.string("sync_every", c.sync_every_text);
  if (const json* admins = top.object("admins")) {
    if (!admins->is_array()) throw std::invalid_argument("admins: expected an array of \"platform:user\" strings");
    std::string joined;
    for (const auto& a : *admins) {
      if (!a.is_string()) throw std::invalid_argument("admins: expected an array of \"platform:user\" strings");
      joined += a.get<std::string>() + ",";
    }
    c.admins = AdminList::parse(joined, chat_platforms, "admins");
  }
  if (const json* allow = top.object("fetch_allow")) {
    // "127.0.0.1/32,fd00::/8" or ["127.0.0.1/32", "fd00::/8"]
    std::string joined;
    if (allow->is_string()) joined = allow->get<std::string>();
    for (const auto& block : allow->is_array() ? *allow : json::array()) {
      if (!block.is_string()) throw std::invalid_argument("fetch_allow: expected CIDR strings like \"127.0.0.1/32\"");
      joined += block.get<std::string>() + ",";
    }
    if (!allow->is_string() && !allow->is_array())
      throw std::invalid_argument("fetch_allow: expected CIDR strings like \"127.0.0.1/32\"");
    c.fetch_allow = parse_ip_ranges(joined, "fetch_allow");
  }
  top.string("link_dead_after", c.link_dead_after);
  top.string("archive_url", c.archive_url);
  top.string("link_check", c.link_check);
  if (const json* delay = top.object("link_host_delay")) {
    if (!delay->is_number_integer() || delay->get<std::int64_t>() < 0 || delay->get<std::int64_t>() > 600000)
      throw std::invalid_argument("link_host_delay: expected milliseconds, 0 to 600000");
    c.link_host_delay_ms = delay->get<int>();
  }
  if (const json* tls = top.object("tls")) {
    const settings::Section r(*tls, "tls");
    r.allow({"cert", "key"});
    r.string("cert", c.tls.cert_file);
    r.string("key", c.tls.key_file);
  }
}

void apply_environment(Config& c, const std::vector<std::string>& chat_platforms) {
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
    c.admins = AdminList::parse(admins, chat_platforms, "WHYGO_ADMINS");
  c.log_format = settings::env("WHYGO_LOG_FORMAT", c.log_format);
  c.tls.cert_file = settings::env("WHYGO_TLS_CERT", c.tls.cert_file);
  c.tls.key_file = settings::env("WHYGO_TLS_KEY", c.tls.key_file);
  c.public_url = settings::without_trailing_slash(settings::env("WHYGO_PUBLIC_URL", c.public_url));
  c.upstream_url = settings::env("WHYGO_UPSTREAM_URL", c.upstream_url);
  c.sync_every_text = settings::env("WHYGO_SYNC_EVERY", c.sync_every_text);
  if (const std::string allow = settings::env("WHYGO_FETCH_ALLOW"); !allow.empty())
    c.fetch_allow = parse_ip_ranges(allow, "WHYGO_FETCH_ALLOW");
  c.link_dead_after = settings::env("WHYGO_LINK_DEAD_AFTER", c.link_dead_after);
  c.archive_url = settings::without_trailing_slash(settings::env("WHYGO_ARCHIVE_URL", c.archive_url));
  c.link_check = settings::env("WHYGO_LINK_CHECK", c.link_check);
  if (const std::string delay = settings::env("WHYGO_LINK_HOST_DELAY"); !delay.empty()) {
    if (delay.size() > 6 || delay.find_first_not_of("0123456789") != std::string::npos || std::stoi(delay) > 600000)
      throw std::invalid_argument("WHYGO_LINK_HOST_DELAY: expected milliseconds, 0 to 600000, got \"" + delay + "\"");
    c.link_host_delay_ms = std::stoi(delay);
  }
  c.secret_key = settings::secret("WHYGO_SECRET_KEY");
  c.old_secret_key = settings::secret("WHYGO_OLD_SECRET_KEY");
}

void validate(const Config& c) {
  if (c.log_format != "text" && c.log_format != "json")
    throw std::invalid_argument("log_format (WHYGO_LOG_FORMAT): expected \"text\" or \"json\", got \"" + c.log_format +
                                "\"");
  if (c.db_path.empty()) throw std::invalid_argument("db (WHYGO_DB): must name a SQLite file or a postgresql:// URI");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty())
    throw std::invalid_argument("tls (WHYGO_TLS_CERT, WHYGO_TLS_KEY): give both the certificate and the key");
  settings::check_base_url("public_url (WHYGO_PUBLIC_URL)", c.public_url);
  DeadRule::parse(c.link_dead_after, "link_dead_after (WHYGO_LINK_DEAD_AFTER)");
  if (c.archive_url != "off") settings::check_base_url("archive_url (WHYGO_ARCHIVE_URL)", c.archive_url);
  c.link_check_period();
  if (c.upstream_url.empty()) throw std::invalid_argument("upstream_url (WHYGO_UPSTREAM_URL): must not be empty");
  settings::check_base_url("upstream_url (WHYGO_UPSTREAM_URL)", c.upstream_url);
  if (!c.secret_key.empty() && !SecretBox::from_text(c.secret_key))
    throw std::invalid_argument(
        "WHYGO_SECRET_KEY: expected 32 bytes as 64 hex digits or 44 base64 characters (openssl rand -hex 32)");
}

}  // namespace

Config Config::load(const std::string& file, const std::vector<std::string>& platforms) {
  return load(file, platforms, platforms);
}

Config Config::load(const std::string& file, const std::vector<std::string>& platforms,
                    const std::vector<std::string>& chat_platforms) {
  Config c;
  if (!file.empty()) apply_file(c, file, platforms, chat_platforms);
  apply_environment(c, chat_platforms);
  validate(c);
  const auto every = parse_sync_every(c.sync_every_text);
  if (!every)
    throw std::invalid_argument(
        "sync_every (WHYGO_SYNC_EVERY): expected daily, hourly, never or a duration of 10m "
        "or more (30m, 6h, 2d), got \"" +
        c.sync_every_text + "\"");
  c.sync_every = *every;
  return c;
}

std::chrono::seconds Config::link_check_period() const {
  if (link_check == "never") return std::chrono::seconds(0);
  const std::string digits = link_check.size() > 1 ? link_check.substr(0, link_check.size() - 1) : "";
  const char unit = link_check.empty() ? ' ' : link_check.back();
  if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos ||
      (unit != 'h' && unit != 'd') || std::stoi(digits) == 0)
    throw std::invalid_argument(
        "link_check (WHYGO_LINK_CHECK): expected how often each link is checked, e.g. 24h or "
        "7d, or never; got \"" +
        link_check + "\"");
  return std::chrono::hours(std::stoi(digits) * (unit == 'd' ? 24 : 1));
}

const nlohmann::json& Config::section(const std::string& platform) const {
  static const json absent;
  const auto found = sections.find(platform);
  return found == sections.end() ? absent : found->second;
}

namespace {
std::string fetch_allow_text(const std::vector<IpRange>& ranges) {
  std::string out;
  for (const auto& range : ranges) out += (out.empty() ? "" : ",") + range.text();
  return out.empty() ? "(none: public addresses only)" : out;
}
}  // namespace

json Config::describe() const {
  std::string admin_list;
  for (const auto& entry : admins.entries()) admin_list += (admin_list.empty() ? "" : ",") + entry;
  const bool v6 = listen.host.find(':') != std::string::npos;
  return {{"listen", (v6 ? "[" + listen.host + "]" : listen.host) + ":" + std::to_string(listen.port)},
          {"share_port", share_port},
          {"db", is_postgres_uri(db_path) ? redact_uri(db_path) : db_path},
          {"synonyms", synonyms_path.empty() ? "(bundled)" : synonyms_path},
          {"admins", admin_list.empty() ? "(none)" : admin_list},
          {"log_format", log_format},
          {"tls.cert", tls.enabled() ? tls.cert_file : "(off)"},
          {"tls.key", tls.enabled() ? tls.key_file : "(off)"},
          {"public_url", public_url.empty() ? "(not set)" : public_url},
          {"upstream_url", upstream_url},
          {"sync_every", sync_every_text},
          {"fetch_allow", fetch_allow_text(fetch_allow)},
          {"link_dead_after", link_dead_after},
          {"archive_url", archive_url},
          {"link_check", link_check},
          {"link_host_delay", link_host_delay_ms},
          {"secret_key", settings::masked(secret_key)},
          {"old_secret_key", settings::masked(old_secret_key)}};
}

const std::vector<settings::Documented>& Config::documented() {
  static const std::vector<settings::Documented> all = {
      {"listen", "WHYGO_LISTEN", "HOST:PORT to serve on (PORT 0 picks a free one)", "127.0.0.1:8080"},
      {"share_port", "WHYGO_SHARE_PORT",
       "1: let a second process bind the same port (SO_REUSEPORT) for a rolling restart", "0"},
      {"db", "WHYGO_DB", "the SQLite database file (also --db); only serve and import create it", "whygo.db"},
      {"synonyms", "WHYGO_SYNONYMS", "a synonyms file replacing the bundled one", "bundled data/synonyms.txt"},
      {"admins", "WHYGO_ADMINS",
       "admins by stable platform id, e.g. slack:U012AB3CD,discord:80351110224678912,matrix:@alice:example.org "
       "(an array in the file, comma-separated in the environment)",
       "none"},
      {"log_format", "WHYGO_LOG_FORMAT", "text or json, one JSON object per line (also --log-format)", "text"},
      {"tls.cert", "WHYGO_TLS_CERT", "PEM certificate: serve HTTPS directly, without a reverse proxy", "off"},
      {"tls.key", "WHYGO_TLS_KEY", "PEM private key of tls.cert", "off"},
      {"public_url", "WHYGO_PUBLIC_URL",
       "the service's external base URL, e.g. https://whygo.example.org: install links and OAuth redirects", ""},
      {"upstream_url", "WHYGO_UPSTREAM_URL",
       "the wiki page whygo sync follows, as raw markdown (http or https; public addresses only)",
       default_upstream_url},
      {"sync_every", "WHYGO_SYNC_EVERY",
       "how often serve syncs the upstream page: daily, hourly, a duration (30m, 6h, 2d; 10m at least) or never",
       "daily"},
      {"fetch_allow", "WHYGO_FETCH_ALLOW",
       "comma-separated CIDR blocks (127.0.0.1/32, fd00::/8) that links may be fetched from although not public; "
       "otherwise loopback, private, link-local and other non-public addresses are never fetched",
       "none"},
      {"link_dead_after", "WHYGO_LINK_DEAD_AFTER",
       "N/D: a link failing N checks in a row that span at least D days is dead (search and the story skip it); "
       "1/0 marks it dead at its first failure",
       "3/7"},
      {"archive_url", "WHYGO_ARCHIVE_URL",
       "the Internet Archive's availability API, asked for a dead link's archived copy; off: not asked",
       "https://archive.org/wayback/available"},
      {"link_check", "WHYGO_LINK_CHECK",
       "how often serve checks each link in the background, spread out (e.g. 24h, 7d), or never", "24h"},
      {"link_host_delay", "WHYGO_LINK_HOST_DELAY", "milliseconds between two link checks on the same site", "2000"},
      {"secret_key", "WHYGO_SECRET_KEY",
       "32 bytes (64 hex digits or base64) sealing platform tokens in the database with AES-256-GCM; without it "
       "OAuth install is off",
       "", false, true},
      {"old_secret_key", "WHYGO_OLD_SECRET_KEY",
       "only for whygo rotate-key: the key the stored tokens are sealed with until then", "", false, true},
  };
  return all;
}

std::optional<std::chrono::seconds> parse_sync_every(const std::string& text) {
  using std::chrono::seconds;
  if (text == "daily") return seconds(24 * 60 * 60);
  if (text == "hourly") return seconds(60 * 60);
  if (text == "never") return seconds(0);
  if (text.size() < 2 || text.size() > 8) return std::nullopt;
  const std::string digits = text.substr(0, text.size() - 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const long long count = std::stoll(digits);
  long long unit = 0;
  switch (text.back()) {
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 60 * 60;
      break;
    case 'd':
      unit = 24 * 60 * 60;
      break;
    default:
      return std::nullopt;
  }
  if (count * unit < 10 * 60) return std::nullopt;
  return seconds(count * unit);
}

}  // namespace whygo
