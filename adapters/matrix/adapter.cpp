#include "adapters/matrix/adapter.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <ostream>

#include "adapters/matrix/config.hpp"
#include "adapters/matrix/login.hpp"
#include "adapters/matrix/poster.hpp"
#include "adapters/matrix/registration.hpp"
#include "adapters/matrix/routes.hpp"
#include "adapters/matrix/sync_loop.hpp"

namespace whygo::matrix {
namespace {

// As a user, what mount starts and stop ends.
struct ClientMode {
  std::shared_ptr<ClientHealth> health = std::make_shared<ClientHealth>();
  std::unique_ptr<SyncLoop> loop;
};

}  // namespace

Adapter adapter(const Config& settings) {
  auto config = std::make_shared<const MatrixConfig>(MatrixConfig::load(settings.section("matrix")));
  auto client = std::make_shared<ClientMode>();
  Adapter a;
  a.name = "matrix";
  // The legacy unversioned transactions path too (spec "Legacy routes").
  a.route_prefixes = {"/_matrix/", "/transactions/"};
  a.enabled = config->enabled();
  a.off_reason = MatrixConfig::off_reason;
  a.settings = config->describe();
  a.documented = MatrixConfig::documented();
  a.mount = [config, client](HttpServer& server, AdapterServices& services) {
    if (config->appservice()) {
      if (!config->access_token.empty())
        spdlog::warn("matrix: MATRIX_ACCESS_TOKEN is not used: the application service tokens are set, and win");
      return mount(server, services, *config);
    }
    if (!config->homeserver_url.starts_with("http://") && !config->homeserver_url.starts_with("https://")) {
      spdlog::error("Matrix is off: MATRIX_HOMESERVER_URL must start with http:// or https://");
      return;
    }
    client->loop = std::make_unique<SyncLoop>(services, *config, client->health);
    client->loop->start();
  };
  a.stop = [client] {
    if (client->loop) client->loop->stop();
  };
  // Posting needs the homeserver and a token to send with (the as_token, or the user's), and not the hs_token.
  a.posting_needs = "MATRIX_HOMESERVER_URL, and MATRIX_AS_TOKEN or MATRIX_ACCESS_TOKEN";
  a.poster = [config](const OutboundClient& outbound, const Clock&, Installations&) -> std::optional<Poster> {
    if (config->homeserver_url.empty() || config->bearer().empty()) return std::nullopt;
    return story_poster(*config, outbound);
  };
  a.readiness = [config, client] {
    std::vector<std::string> problems;
    if (config->appservice() && (config->homeserver_url.empty() || config->bot_user.empty()))
      problems.emplace_back("MATRIX_HOMESERVER_URL and MATRIX_BOT_USER are both needed");
    if (config->client())
      for (std::string& problem : client->health->problems()) problems.push_back(std::move(problem));
    return problems;
  };
  // The bot joins any room it is invited to; matrix.to opens the user in the person's own client
  // (https://spec.matrix.org/v1.11/appendices/#matrixto-navigation).
  if (a.enabled && !config->bot_user.empty())
    a.install = {{"Invite " + config->bot_user, "https://matrix.to/#/" + config->bot_user,
                  "invite " + config->bot_user + " to a room (it joins by itself), then type !whygo docker"}};
  const std::string listen_url = "http://" + settings.listen.host + ":" + std::to_string(settings.listen.port);
  a.cli_verbs = {{"matrix registration [--url URL] [--id ID]",
                  "print the application service registration (YAML) for the homeserver"},
                 {"matrix login --user @bot:server [--device NAME]",
                  "log in as an ordinary user (password from MATRIX_PASSWORD or stdin) and print a new access token"}};
  a.cli = [config, listen_url](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (!args.empty() && args[0] == "login") return login_cli(*config, OutboundClient{}, args, std::cin, out, err);
    return run_cli(*config, listen_url, args, out, err);
  };
  return a;
}

}  // namespace whygo::matrix
