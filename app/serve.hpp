// `whygo serve`: the HTTP service with every adapter that is on, /readyz and /metrics, and the
// daily-post scheduler, until SIGTERM or SIGINT.
#pragma once
#include <vector>

#include "app/app.hpp"
#include "bot/adapter.hpp"

namespace whygo {

int serve(App& app, std::vector<Adapter>& adapters);

}  // namespace whygo
