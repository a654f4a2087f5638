// The Matrix adapter as the core sees it: its descriptor, built from the "matrix" settings.
#pragma once
#include "bot/adapter.hpp"

namespace whygo::matrix {

Adapter adapter(const Config& config);

}  // namespace whygo::matrix
