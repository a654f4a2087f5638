// The platform adapters this build serves. A new platform is one line in adapters.cpp and a
// folder of its own under adapters/.
#pragma once
#include <string>
#include <vector>

#include "bot/adapter.hpp"
#include "bot/config.hpp"

namespace whygo {

// The platforms' names, in the order they are listed: their settings sections and admin prefixes.
std::vector<std::string> platform_names();
// Those whose people can be named in WHYGO_ADMINS: the chat platforms, not the web.
std::vector<std::string> chat_platform_names();

// Every platform's descriptor from its settings. Throws std::invalid_argument naming a
// malformed setting.
std::vector<Adapter> make_adapters(const Config& config);

}  // namespace whygo
