// The Slack adapter's HTTP routes: POST /slack/commands (slash commands), /slack/events (Events
// API) and /slack/interactions (the "More" button). Every request is verified (signature.hpp)
// before anything else reads it.
#pragma once
#include "adapters/slack/config.hpp"
#include "bot/adapter.hpp"

namespace whygo::slack {

// Mounts the three routes. Call only when the adapter is on (SlackConfig::enabled()): without a
// signing secret nothing could be verified.
void mount(HttpServer& server, AdapterServices& services, const SlackConfig& config);

}  // namespace whygo::slack
