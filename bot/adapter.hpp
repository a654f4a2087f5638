// What a platform adapter gets when it mounts its routes: the core (dispatcher, store, config,
// clock), a background queue for work that must not hold up an inbound answer, and the
// outbound HTTP client. Each adapter folder exposes `void mount(httplib::Server&, AdapterContext&)`.
#pragma once
#include "app.hpp"
#include "background.hpp"
#include "outbound.hpp"

namespace whygo {

struct AdapterContext {
  App& app;
  Background& background;
  const OutboundClient& outbound;
};

}  // namespace whygo
