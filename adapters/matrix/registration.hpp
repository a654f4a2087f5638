// `whygo matrix registration`: the application service registration YAML the homeserver loads
// (Synapse: app_service_config_files in homeserver.yaml). Schema: spec
// data/api/application-service/definitions/registration.yaml; required keys id, url, as_token,
// hs_token, sender_localpart, namespaces (users, aliases, rooms).
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/matrix/config.hpp"
#include "bot/problem.hpp"

namespace whygo::matrix {

struct Registration {
  std::string id = "whygo";  // unique per homeserver and never changed
  std::string url;           // where the homeserver reaches whygo, e.g. http://whygo:8080
  std::string as_token;
  std::string hs_token;
  std::string bot_user;  // @whygo:example.org
};

// Why the values cannot go into a registration; nullopt when they can.
std::optional<Problem> registration_problem(const Registration& registration);

// The YAML text. Call only when registration_problem() is nullopt.
std::string registration_yaml(const Registration& registration);

// "^@whygo:example\.org$": the bot's user id as an anchored POSIX regex (homeservers differ in
// whether they anchor namespace regexes, https://spec.matrix.org/latest/application-service-api/#registration).
std::string user_regex(std::string_view user_id);

// 64 hex characters from the OpenSSL CSPRNG; "" if it fails.
std::string random_token();

// The CLI verb: `whygo matrix registration [--url URL] [--id ID]`. Tokens come from
// MATRIX_AS_TOKEN / MATRIX_HS_TOKEN, or are generated when unset; the id defaults to MATRIX_AS_ID
// ("whygo"), the URL to listen_url (whygo's own WHYGO_LISTEN). Returns the exit code.
int run_cli(const MatrixConfig& config, const std::string& listen_url, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err);

}  // namespace whygo::matrix
