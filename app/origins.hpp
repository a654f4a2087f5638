// Where a setting's value came from (the command line, the environment, the --config file or the
// default), and what to tell an operator whose verb found no database.
#pragma once
#include <optional>
#include <string>

#include "bot/config.hpp"
#include "bot/settings.hpp"

namespace whygo {

// "--db", "environment (WHYGO_DB)", "environment (SLACK_BOT_TOKEN_FILE=/run/secrets/slack)",
// "file (/etc/whygo/whygo.json)" or "default". `section` is the platform's name for an adapter's
// setting, empty for the core's.
std::string origin_of(const Config& config, const std::string& section, const settings::Documented& setting);

// For every verb but serve and import, which may create it: nullopt when the database is there,
// else what to say (the file looked for, where that name came from, how to name the right one).
std::optional<std::string> missing_database(const Config& config);

}  // namespace whygo
