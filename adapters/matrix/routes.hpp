// The Matrix adapter's HTTP side: the application service API the homeserver calls
// (spec application-service-api, base /_matrix/app/v1):
//   PUT  /_matrix/app/v1/transactions/{txnId}  (and the legacy /transactions/{txnId})
//   GET  /_matrix/app/v1/users/{userId}        200 for the bot user, 404 otherwise
//   GET  /_matrix/app/v1/rooms/{alias}         404: the bot owns no aliases
//   POST /_matrix/app/v1/ping                  200 {}
// Every one checks the hs_token first; other /_matrix paths get 404 M_UNRECOGNIZED.
#pragma once
#include "adapters/matrix/config.hpp"
#include "bot/adapter.hpp"

namespace whygo::matrix {

// Mounts the routes and queues the bot user's registration. Logs and mounts nothing when the
// configuration is incomplete (no homeserver URL or bot user).
void mount(HttpServer& server, AdapterServices& services, const MatrixConfig& config);

}  // namespace whygo::matrix
