// The service's settings: a JSON file (--config) with the environment on top; secrets only ever
// come from the environment. The core reads its own settings; each platform's section of the
// file ("slack": {...}) is kept as it is for that platform's adapter to read.
#pragma once
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bot/admins.hpp"
#include "bot/ip_range.hpp"
#include "bot/limits.hpp"
#include "bot/server.hpp"
#include "bot/settings.hpp"

namespace whygo {

struct TlsConfig {
  std::string cert_file;  // WHYGO_TLS_CERT, or "tls": {"cert": ...}: PEM
  std::string key_file;   // WHYGO_TLS_KEY, or "tls": {"key": ...}: PEM
  bool enabled() const { return !cert_file.empty(); }
};

// The Go wiki's "Why Go" page as raw markdown: the wiki moved from github.com/golang/go/wiki to
// go.dev/wiki, its source to the golang.org/x/wiki repository (https://go.dev/issue/61940),
// mirrored at github.com/golang/wiki; go.dev/wiki/WhyGo is that file rendered as HTML.
inline constexpr const char* default_upstream_url = "https://raw.githubusercontent.com/golang/wiki/master/WhyGo.md";

struct Config {
  ListenAddress listen;  // WHYGO_LISTEN
  // WHYGO_SHARE_PORT: let other processes bind the same port (SO_REUSEPORT), for a deliberate
  // hand-over between two whygo; off, a second whygo on the port fails to start instead.
  bool share_port = false;
  std::string db_path = "whygo.db";  // WHYGO_DB
  std::string synonyms_path;         // WHYGO_SYNONYMS; empty: the bundled file
  AdminList admins;                  // WHYGO_ADMINS: "slack:U012AB3CD,discord:8035...,matrix:@a:b.org"
  std::string log_format = "text";   // WHYGO_LOG_FORMAT: text or json
  TlsConfig tls;
  // WHYGO_PUBLIC_URL: where people and platforms reach this service from outside
  // ("https://whygo.example.org"), for install links and OAuth redirects; empty when not said.
  std::string public_url;
  // WHYGO_SECRET_KEY (secret): 32 bytes, hex or base64, that seal platform tokens in the database.
  std::string secret_key;
  std::string old_secret_key;  // WHYGO_OLD_SECRET_KEY (secret): only for `whygo rotate-key`
  // WHYGO_UPSTREAM_URL: the wiki page `whygo sync` follows (an http:// or https:// URL).
  std::string upstream_url = default_upstream_url;
  // WHYGO_SYNC_EVERY: how often `serve` syncs it: "daily", "hourly", a duration ("6h", "30m",
  // "2d"; 10m at least) or "never"; zero seconds when never.
  std::string sync_every_text = "daily";
  std::chrono::seconds sync_every{24 * 60 * 60};
  // WHYGO_FETCH_ALLOW: address blocks links may be fetched from although not public (bot/fetch.hpp).
  std::vector<IpRange> fetch_allow;
  // Link health (bot/link_check.hpp, README "Link health").
  std::string link_dead_after = "3/7";  // WHYGO_LINK_DEAD_AFTER: N failed checks in a row spanning D days
  std::string archive_url = "https://archive.org/wayback/available";  // WHYGO_ARCHIVE_URL; "off"
  std::string link_check = "24h";  // WHYGO_LINK_CHECK: serve checks each link about this often; "never"
  int link_host_delay_ms = static_cast<int>(
      limits::link_check_host_delay.count());  // WHYGO_LINK_HOST_DELAY: pause between two requests to one host
  // link_check as a period; zero for "never".
  std::chrono::seconds link_check_period() const;
  // Each platform's section of the file, unread here; absent sections are not in the map.
  std::map<std::string, nlohmann::json> sections;
  std::string file;              // the --config file; empty without one
  nlohmann::json file_settings;  // everything the file holds (null without one): where values came from
  // Settings given on the command line, which win over the environment: name -> option ("db" -> "--db").
  std::map<std::string, std::string> command_line;

  // The JSON file (if any), then the environment on top. `platforms` names the adapters: their
  // sections are allowed in the file and their names in admins. Unknown keys, wrong types and
  // bad values throw std::invalid_argument naming the key or variable.
  static Config load(const std::string& file, const std::vector<std::string>& platforms);
  // ...where only `chat_platforms` have people to name in WHYGO_ADMINS (a web reader is nobody).
  static Config load(const std::string& file, const std::vector<std::string>& platforms,
                     const std::vector<std::string>& chat_platforms);

  // A platform's section of the file; null when the file has none.
  const nlohmann::json& section(const std::string& platform) const;

  // The core's effective settings by name (documented()'s names); adapters describe their own.
  nlohmann::json describe() const;

  // The core's settings, for help, config check and README.
  static const std::vector<settings::Documented>& documented();
};

// "daily", "hourly", "never" (zero) or a count and a unit (m, h, d): the period between syncs;
// nullopt for anything else, or for less than ten minutes.
std::optional<std::chrono::seconds> parse_sync_every(const std::string& text);

}  // namespace whygo
