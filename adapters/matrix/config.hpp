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
  bool enabled() const { return !hs_token.empty() && !as_token.empty(); }

  // The "matrix" section (null when absent), then the environment on top. Throws
  // std::invalid_argument naming a malformed setting.
  static MatrixConfig load(const nlohmann::json& section);
  // For `config check`: secrets masked.
  nlohmann::json describe() const;
  // Its settings by the names describe() uses, for help, config check and README.
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::matrix
