// `whygo discord register [--guild ID]`: bulk-overwrites the application's commands with the
// one `/whygo` command (https://discord.com/developers/docs/interactions/application-commands, "Bulk Overwrite Global /
// Guild Application Commands") and prints Discord's answer. Guild commands update instantly
// (good for trying it out); global ones reach every guild the app is installed in.
#pragma once
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/discord/config.hpp"
#include "bot/clock.hpp"
#include "bot/outbound.hpp"

namespace whygo::discord {

// The commands array sent by `register`: /whygo with its autocompleted string option `query`.
nlohmann::json command_definitions(bool for_guild);

// args: the words after "discord register". Returns the process exit code: 0 when Discord
// accepted the commands, 1 when it did not (or could not be reached), 2 for a usage error.
int register_commands(const DiscordConfig& config, const OutboundClient& client, const Clock& clock,
                      const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace whygo::discord
