#include "adapters/matrix/login.hpp"

#include <istream>
#include <ostream>

#include "adapters/matrix/client.hpp"
#include "adapters/matrix/events.hpp"

namespace whygo::matrix {

int login_cli(const MatrixConfig& config, const OutboundClient& outbound, const std::vector<std::string>& args,
              std::istream& in, std::ostream& out, std::ostream& err) {
  const char* usage = "usage: whygo matrix login --user @bot:server [--device NAME]\n";
  std::string user;
  std::string device = "whygo";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--user" && i + 1 < args.size()) {
      user = args[++i];
    } else if (args[i] == "--device" && i + 1 < args.size()) {
      device = args[++i];
    } else {
      err << usage;
      return 2;
    }
  }
  if (localpart(user).empty() || server_name(user).empty()) {
    err << usage << "whygo: --user takes a full user id, like @whygo:example.org\n";
    return 2;
  }
  if (config.homeserver_url.empty()) {
    err << "whygo: MATRIX_HOMESERVER_URL is not set: set it to the homeserver's address, e.g. https://matrix.org\n";
    return 2;
  }
  std::string password = config.password;
  if (password.empty()) {
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  if (password.empty()) {
    err << "whygo: no password: set MATRIX_PASSWORD (or MATRIX_PASSWORD_FILE), or give it on standard input\n";
    return 2;
  }
  const CallResult r = login(config.homeserver_url, user, password, device, outbound);
  const auto text = [&r](const char* key) {
    const auto it = r.answer.is_object() ? r.answer.find(key) : r.answer.end();
    return r.ok && it != r.answer.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string token = text("access_token");
  if (!r.ok || token.empty()) {
    // https://spec.matrix.org/latest/client-server-api/#post_matrixclientv3login: 403 M_FORBIDDEN
    // for a wrong user or password, 400 for a login type the homeserver does not offer.
    if (r.errcode == "M_FORBIDDEN")
      err << "whygo: " << config.homeserver_url << " refused " << user << ": wrong user or password\n";
    else if (r.ok)
      err << "whygo: " << config.homeserver_url << " answered without an access_token\n";
    else
      err << "whygo: logging in at " << config.homeserver_url << " failed (" << r.describe()
          << "); does it offer password login (m.login.password)?\n";
    return 1;
  }
  out << token << "\n";
  err << "whygo: logged in as " << text("user_id") << " on a new device " << text("device_id")
      << "; set MATRIX_ACCESS_TOKEN to the line above (and MATRIX_HOMESERVER_URL as now), then start whygo\n";
  return 0;
}

}  // namespace whygo::matrix
