// The Slack adapter as the core sees it: its descriptor, built from the "slack" settings.
#pragma once
#include "bot/adapter.hpp"

namespace whygo::slack {

Adapter adapter(const Config& config);

}  // namespace whygo::slack
