// The Slack adapter's HTTP routes (DESIGN.md): POST /slack/commands (slash commands),
// /slack/events (Events API) and /slack/interactions (the "More" button). Every request is
// verified (signature.hpp) before anything else reads it; see docs/protocols/slack.md.
#pragma once
#include "../../bot/adapter.hpp"

namespace httplib {
class Server;
}

namespace whygo::slack {

// Mounts the three routes. Call only when the adapter is on (SlackConfig::enabled()): without a
// signing secret nothing could be verified.
void mount(httplib::Server& server, AdapterContext& context);

}  // namespace whygo::slack
