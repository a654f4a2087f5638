// Suggestions for the `query` option while the user types (an APPLICATION_COMMAND_AUTOCOMPLETE
// interaction, answered with type 8). It cannot be deferred, so it must answer well inside
// Discord's 3 seconds: one catalog search, no outbound calls.
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

#include "bot/adapter.hpp"

namespace whygo::discord {

// Choices {name, value}: companies, then people, then titles matching what was typed, without
// repeats; at most 25, each name and value 1..100 characters (docs
// https://discord.com/developers/docs/interactions/receiving-and-responding, "Autocomplete"). With nothing typed yet:
// the commands worth knowing. Never throws; on a store failure, no choices.
nlohmann::json autocomplete_choices(const SearchFunction& search, std::string_view typed);

}  // namespace whygo::discord
