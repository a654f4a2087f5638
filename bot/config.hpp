// The service's settings. For now from the environment (DESIGN.md names the variables); secrets
// only ever come from there. An adapter with no secret configured is off.
#pragma once
#include <string>
#include <vector>

#include "server.hpp"

namespace whygo {

struct SlackConfig {
  std::string signing_secret;                      // SLACK_SIGNING_SECRET
  std::string bot_token;                           // SLACK_BOT_TOKEN
  std::string api_base = "https://slack.com/api";  // SLACK_API_BASE
  bool enabled() const { return !signing_secret.empty(); }
};

struct DiscordConfig {
  std::string public_key;                                // DISCORD_PUBLIC_KEY, hex
  std::string application_id;                            // DISCORD_APPLICATION_ID
  std::string bot_token;                                 // DISCORD_BOT_TOKEN
  std::string api_base = "https://discord.com/api/v10";  // DISCORD_API_BASE
  bool enabled() const { return !public_key.empty(); }
};

struct MatrixConfig {
  std::string as_token;        // MATRIX_AS_TOKEN: ours, sent to the homeserver
  std::string hs_token;        // MATRIX_HS_TOKEN: the homeserver's, checked on pushes
  std::string homeserver_url;  // MATRIX_HOMESERVER_URL
  std::string bot_user;        // MATRIX_BOT_USER, e.g. @whygo:example.org
  bool enabled() const { return !hs_token.empty() && !as_token.empty(); }
};

struct TlsConfig {
  std::string cert_file;  // WHYGO_TLS_CERT, or "tls": {"cert": ...}: PEM
  std::string key_file;   // WHYGO_TLS_KEY, or "tls": {"key": ...}: PEM
  bool enabled() const { return !cert_file.empty(); }
};

struct Config {
  ListenAddress listen;              // WHYGO_LISTEN
  std::string db_path = "whygo.db";  // WHYGO_DB
  std::string synonyms_path;         // WHYGO_SYNONYMS; empty: the bundled file
  std::vector<std::string> admins;   // WHYGO_ADMINS: "slack:U012AB3CD,discord:8035...,matrix:@a:b.org"
  SlackConfig slack;
  DiscordConfig discord;
  MatrixConfig matrix;
  std::string log_format = "text";  // WHYGO_LOG_FORMAT: text or json
  TlsConfig tls;

  // Throws std::invalid_argument naming the variable when a value is malformed.
  static Config from_environment();
  // The JSON file (if any), then the environment on top; secrets only from the environment
  // (NAME, or NAME_FILE naming a file that holds it). Unknown keys, wrong types and bad values
  // throw std::invalid_argument naming the key.
  static Config load(const std::string& file);

  // The effective settings as JSON, secrets masked, with which adapters are on and why not.
  std::string describe() const;

  // Configured admins, by stable platform id.
  bool is_admin(std::string_view platform, std::string_view user) const;
};

}  // namespace whygo
