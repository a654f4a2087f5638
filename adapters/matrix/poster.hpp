// The daily story on Matrix: an m.notice in each subscribed room.
#pragma once
#include "adapters/matrix/config.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"

namespace whygo::matrix {

// The send's txnId comes from the post's idempotency key, so a send repeated after a crash is
// answered by the homeserver with the first event instead of a second message.
Poster story_poster(const MatrixConfig& config, const OutboundClient& client);

}  // namespace whygo::matrix
