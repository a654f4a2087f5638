// The Matrix adapter's settings: the application service tokens from the environment, the
// homeserver and bot user also from the settings file's "matrix" section.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/settings.hpp"

namespace whygo::matrix {

struct MatrixConfig {
  std::string as_token;         // MATRIX_AS_TOKEN: ours, sent to the homeserver
  std::string hs_token;         // MATRIX_HS_TOKEN: the homeserver's, checked on pushes
  std::string homeserver_url;   // MATRIX_HOMESERVER_URL
  std::string bot_user;         // MATRIX_BOT_USER, e.g. @whygo:example.org
  std::string as_id = "whygo";  // MATRIX_AS_ID: the registration's id, which the start-up ping names
  std::string access_token;     // MATRIX_ACCESS_TOKEN: an ordinary user's (`whygo matrix login`)
  std::string password;         // MATRIX_PASSWORD: only for `whygo matrix login`

  // An application service: the homeserver pushes events (its administrator installed the
  // registration). Wins when both ways are configured.
  bool appservice() const { return !hs_token.empty() && !as_token.empty(); }
  // A client, as an ordinary user on any homeserver: whygo reads /sync itself.
  bool client() const { return !appservice() && !access_token.empty() && !homeserver_url.empty(); }
  bool enabled() const { return appservice() || client(); }
  // The token whygo calls the homeserver with.
  const std::string& bearer() const { return appservice() ? as_token : access_token; }
  static constexpr const char* off_reason =
      "neither MATRIX_AS_TOKEN and MATRIX_HS_TOKEN (application service) nor MATRIX_ACCESS_TOKEN and "
      "MATRIX_HOMESERVER_URL (a user) are set";

  // The "matrix" section (null when absent), then the environment on top. Throws
  // std::invalid_argument naming a malformed setting.
  static MatrixConfig load(const nlohmann::json& section);
  // For `config check`: secrets masked.
  nlohmann::json describe() const;
  // Its settings by the names describe() uses, for help, config check and README.
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::matrix
