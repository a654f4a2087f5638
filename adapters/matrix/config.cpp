#include "adapters/matrix/config.hpp"

#include "bot/settings.hpp"

namespace whygo::matrix {

MatrixConfig MatrixConfig::load(const nlohmann::json& section) {
  MatrixConfig c;
  const settings::Section file(section, "matrix");
  file.allow({"homeserver_url", "bot_user", "as_id"});
  file.string("homeserver_url", c.homeserver_url);
  file.string("bot_user", c.bot_user);
  file.string("as_id", c.as_id);
  c.as_token = settings::secret("MATRIX_AS_TOKEN");
  c.hs_token = settings::secret("MATRIX_HS_TOKEN");
  c.access_token = settings::secret("MATRIX_ACCESS_TOKEN");
  c.password = settings::secret("MATRIX_PASSWORD");
  c.homeserver_url = settings::without_trailing_slash(settings::env("MATRIX_HOMESERVER_URL", c.homeserver_url));
  c.bot_user = settings::env("MATRIX_BOT_USER", c.bot_user);
  c.as_id = settings::env("MATRIX_AS_ID", c.as_id);
  settings::check_base_url("matrix.homeserver_url (MATRIX_HOMESERVER_URL)", c.homeserver_url);
  return c;
}

nlohmann::json MatrixConfig::describe() const {
  const std::string mode = appservice() ? "on, as an application service"
                           : client()   ? "on, as the user of MATRIX_ACCESS_TOKEN (/sync)"
                                        : std::string("off (") + off_reason + ")";
  return {{"adapter", mode},
          {"as_token", settings::masked(as_token)},
          {"access_token", settings::masked(access_token)},
          {"password", settings::masked(password)},
          {"hs_token", settings::masked(hs_token)},
          {"homeserver_url", homeserver_url},
          {"bot_user", bot_user},
          {"as_id", as_id}};
}

std::vector<settings::Documented> MatrixConfig::documented() {
  return {{"as_token", "MATRIX_AS_TOKEN", "as_token of the registration (whygo to homeserver)", "", false, true},
          {"hs_token", "MATRIX_HS_TOKEN",
           "hs_token of the registration (homeserver to whygo); with as_token, turns Matrix on", "", false, true},
          {"access_token", "MATRIX_ACCESS_TOKEN",
           "a user's access token (whygo matrix login); with MATRIX_HOMESERVER_URL and no application service "
           "tokens, whygo runs as that user",
           "", false, true},
          {"password", "MATRIX_PASSWORD",
           "only for whygo matrix login: the bot account's password (else read from standard input)", "", false, true},
          {"homeserver_url", "MATRIX_HOMESERVER_URL", "the homeserver's client-server API base", ""},
          {"bot_user", "MATRIX_BOT_USER",
           "the bot's user id, e.g. @whygo:example.org (as a user: checked against the token's)", ""},
          {"as_id", "MATRIX_AS_ID", "the registration's id (registration --id writes it)", "whygo"}};
}

}  // namespace whygo::matrix
