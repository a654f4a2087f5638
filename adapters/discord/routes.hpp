// POST /discord/interactions: Discord's Interactions Endpoint URL. Every request is verified
// first (Ed25519, see signature.hpp); anything unverified gets 401 and reaches nothing else.
#pragma once
#include "adapters/discord/config.hpp"
#include "bot/adapter.hpp"

namespace whygo::discord {

void mount(HttpServer& server, AdapterServices& services, const DiscordConfig& config);

}  // namespace whygo::discord
