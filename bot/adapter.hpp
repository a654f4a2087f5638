// How a platform adapter plugs into the core: one descriptor per platform, which the
// composition root (app/adapters.cpp) builds from the platform's own section of the settings.
// The core calls what the descriptor holds and never names a platform.
#pragma once
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/admins.hpp"
#include "bot/background.hpp"
#include "bot/clock.hpp"
#include "bot/config.hpp"
#include "bot/dispatcher.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"
#include "bot/search.hpp"
#include "bot/server.hpp"
#include "bot/settings.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

// A catalog search for suggestions while someone types (autocomplete): the first `limit` links.
using SearchFunction = std::function<SearchResult(std::string_view query, std::size_t limit)>;

// How people add the bot where they chat, for GET /install: a link to open ("Add to Slack"), and
// what to do then.
struct InstallLink {
  std::string label;
  std::string url;
  std::string then;
};

// What a mounted adapter may use, and nothing more.
struct AdapterServices {
  Dispatcher& dispatcher;
  const Clock& clock;
  SeenEvents& seen;        // inbound de-duplication, across restarts
  Background& background;  // work that must not hold up an answer
  const OutboundClient& outbound;
  const AdminList& admins;  // WHYGO_ADMINS
  SearchFunction search;
  Installations& installations;      // tenants that installed the app themselves, with their sealed tokens
  CatalogReader& catalog;            // the catalog as it is, for pages that show it (read only)
  SyncPositions& sync_positions;     // where a polling client stopped reading, across restarts
  std::vector<InstallLink> install;  // every enabled adapter's install links, for pages that offer them
  LinkHealthBook* health = nullptr;  // what the link checker saw, for pages that show it; null: not kept
};

// `whygo <adapter> ...`: a platform's own set-up verbs. Returns the exit code.
using AdapterCli = std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)>;

struct Adapter {
  std::string name;                              // "slack": Request::platform, log and metrics label, settings section
  std::vector<std::string> route_prefixes;       // "/slack/": requests there are this adapter's in logs and metrics
  bool enabled = false;                          // it has the secret that verifies inbound requests
  std::string off_reason;                        // why not enabled: "SLACK_SIGNING_SECRET is not set"
  nlohmann::json settings;                       // for `config check`, secrets masked
  std::vector<settings::Documented> documented;  // its settings, by the names `settings` uses
  // Mounts the routes on the server. Called only when enabled.
  std::function<void(HttpServer& server, AdapterServices& services)> mount;
  // How it posts the story of the day; nullopt when it cannot (no outbound credentials).
  std::function<std::optional<Poster>(const OutboundClient& outbound, const Clock& clock, Installations& installations)>
      poster;
  std::string posting_needs;  // what posting needs, named when it is missing: "SLACK_BOT_TOKEN"
  // What keeps an enabled adapter from answering and posting, for /readyz; empty when ready.
  std::function<std::vector<std::string>()> readiness;
  // Stops what mount started that runs by itself (a client's poll loop); called once the server
  // has stopped, before queued work is drained. May be empty.
  std::function<void()> stop;
  std::vector<InstallLink> install;  // empty: nothing to offer (off, or installed by its operator only)
  AdapterCli cli;                    // may be empty: the platform has no verbs of its own
  struct CliVerb {
    std::string usage;    // for `whygo help`: "discord register [--guild ID]"
    std::string summary;  // "register /whygo with Discord"
  };
  std::vector<CliVerb> cli_verbs;  // what cli understands, one line of help each
};

// Builds a platform's descriptor from its own section of the settings (config.section(name), null
// when absent) and its environment variables. Throws std::invalid_argument naming a malformed
// setting.
using AdapterFactory = std::function<Adapter(const Config& config)>;

}  // namespace whygo
