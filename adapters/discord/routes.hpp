// POST /discord/interactions: Discord's Interactions Endpoint URL. Every request is verified
// first (Ed25519, see signature.hpp); anything unverified gets 401 and reaches nothing else.
#pragma once

namespace httplib {
class Server;
}

namespace whygo {
struct AdapterContext;
}

namespace whygo::discord {

void mount(httplib::Server& server, AdapterContext& context);

}  // namespace whygo::discord
