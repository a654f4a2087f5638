#include "adapters/matrix/adapter.hpp"

#include <memory>
#include <ostream>

#include "adapters/matrix/config.hpp"
#include "adapters/matrix/poster.hpp"
#include "adapters/matrix/registration.hpp"
#include "adapters/matrix/routes.hpp"

namespace whygo::matrix {

Adapter adapter(const Config& settings) {
  auto config = std::make_shared<const MatrixConfig>(MatrixConfig::load(settings.section("matrix")));
  Adapter a;
  a.name = "matrix";
  // The legacy unversioned transactions path too (spec "Legacy routes").
  a.route_prefixes = {"/_matrix/", "/transactions/"};
  a.enabled = config->enabled();
  a.off_reason = "MATRIX_AS_TOKEN and MATRIX_HS_TOKEN are not set";
  a.settings = config->describe();
  a.documented = MatrixConfig::documented();
  a.mount = [config](HttpServer& server, AdapterServices& services) { mount(server, services, *config); };
  // Posting needs the as_token and the homeserver, and not the hs_token.
  a.posting_needs = "MATRIX_AS_TOKEN and MATRIX_HOMESERVER_URL";
  a.poster = [config](const OutboundClient& outbound, const Clock&, Installations&) -> std::optional<Poster> {
    if (config->homeserver_url.empty() || config->as_token.empty()) return std::nullopt;
    return story_poster(*config, outbound);
  };
  a.readiness = [config] {
    std::vector<std::string> problems;
    if (config->homeserver_url.empty() || config->bot_user.empty())
      problems.emplace_back("MATRIX_HOMESERVER_URL and MATRIX_BOT_USER are both needed");
    return problems;
  };
  // The bot joins any room it is invited to; matrix.to opens the user in the person's own client
  // (https://spec.matrix.org/v1.11/appendices/#matrixto-navigation).
  if (a.enabled && !config->bot_user.empty())
    a.install = {{"Invite " + config->bot_user, "https://matrix.to/#/" + config->bot_user,
                  "invite " + config->bot_user + " to a room (it joins by itself), then type !whygo docker"}};
  const std::string listen_url = "http://" + settings.listen.host + ":" + std::to_string(settings.listen.port);
  a.cli_usage = "matrix registration [--url URL] [--id ID]";
  a.cli_summary = "print the application service registration (YAML) for the homeserver";
  a.cli = [config, listen_url](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    return run_cli(*config, listen_url, args, out, err);
  };
  return a;
}

}  // namespace whygo::matrix
