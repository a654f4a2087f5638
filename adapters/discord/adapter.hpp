// The Discord adapter as the core sees it: its descriptor, built from the "discord" settings.
#pragma once
#include "bot/adapter.hpp"

namespace whygo::discord {

Adapter adapter(const Config& config);

}  // namespace whygo::discord
