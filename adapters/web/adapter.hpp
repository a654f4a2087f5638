// The web pages as the core sees them: a descriptor like a platform's, built from the "web"
// setting. They verify nothing because they change nothing: every route is a GET that reads.
#pragma once
#include "bot/adapter.hpp"

namespace whygo::web {

Adapter adapter(const Config& config);

}  // namespace whygo::web
