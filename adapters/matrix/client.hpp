// The homeserver's client-server API, as the application service's bot user: send a message,
// join a room, register the bot user. Every call carries the as_token as a Bearer header (never
// in the URL, so it stays out of logs), percent-encodes its path segments, and retries 429 and
// 5xx through OutboundClient with backoff honouring Retry-After or retry_after_ms. Failures are
// values; nothing here throws.
#pragma once
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/matrix/config.hpp"
#include "bot/outbound.hpp"

namespace whygo::matrix {

// Every identifier in a path goes through text::percent_encode: room ids are opaque, event ids
// may hold '/' or '+' (room v3) and aliases start with '#'
// (https://spec.matrix.org/latest/rooms/v4/#event-ids: "clients should still encode the event ID").

// A send txnId derived from what is being answered ("reply", "$event"), so every retry - and a
// repeat after a crash - reuses it and the homeserver answers with the original event instead
// of posting twice (spec "Transaction identifiers"; matrix-appservice-bridge#513).
std::string txn_id_for(std::string_view kind, std::string_view key);

// How long a 429 asks to wait: the Retry-After header (preferred since spec v1.10), else the
// deprecated retry_after_ms in the M_LIMIT_EXCEEDED body.
std::optional<std::chrono::milliseconds> retry_after(const OutboundResponse& response);

struct CallResult {
  bool ok = false;
  int status = 0;         // 0: no HTTP answer
  std::string errcode;    // the Matrix errcode of a refusal, when there is one
  std::string event_id;   // for a send
  std::string room_id;    // for createRoom
  nlohmann::json answer;  // the answer's JSON body when ok (null otherwise)
  int attempts = 0;
  std::chrono::milliseconds retry_after{0};  // a 429's asked wait, when it said one
  std::string describe() const;              // for logs: "403 M_FORBIDDEN" or the transport error
};

// The homeserver's answer to the application service's ping
// (https://spec.matrix.org/latest/client-server-api/#post_matrixclientv1appserviceappserviceidping).
struct PingResult {
  int status = 0;                // 0: no HTTP answer
  std::string errcode;           // M_URL_NOT_SET, M_FORBIDDEN, M_BAD_STATUS, M_CONNECTION_FAILED, ...
  std::int64_t duration_ms = 0;  // on success
  int service_status = 0;        // M_BAD_STATUS: what whygo answered the homeserver
  std::string error;             // the transport error, when status is 0
  bool ok() const { return status == 200; }
};

// What a ping says about the set-up, in words for the operator: "" when all is well (or the
// homeserver cannot ping), otherwise what is wrong and where to fix it.
std::string ping_problem(const PingResult& ping, const MatrixConfig& config);

class Client {
 public:
  // The OutboundClient is copied, so queued work never outlives the one it was given.
  Client(MatrixConfig config, OutboundClient outbound);

  // PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
  CallResult send_message(std::string_view room_id, const nlohmann::json& content, std::string_view txn_id) const;
  // POST /_matrix/client/v3/rooms/{roomId}/join
  CallResult join(std::string_view room_id) const;
  // POST /_matrix/client/v3/register with m.login.application_service; "already exists"
  // (M_USER_IN_USE) counts as success, as matrix-bot-sdk and mautrix-go treat it.
  CallResult register_bot() const;
  // POST /_matrix/client/v3/createRoom: a direct, private room with `user` invited
  // (https://spec.matrix.org/latest/client-server-api/#direct-messaging).
  CallResult create_direct_room(std::string_view user) const;
  // GET and PUT /_matrix/client/v3/user/{botId}/account_data/m.direct: the bot's direct rooms,
  // {"@user:server": ["!room:server", ...]}, kept by the homeserver across restarts.
  CallResult direct_rooms() const;
  CallResult set_direct_rooms(const nlohmann::json& content) const;
  // POST /_matrix/client/v1/appservice/{MATRIX_AS_ID}/ping: the homeserver calls this service's
  // /_matrix/app/v1/ping in turn, which proves the registration's url and both tokens. One attempt.
  PingResult ping(std::string_view transaction_id) const;

  // As an ordinary user (config.client()):
  // GET /_matrix/client/v3/account/whoami: whose the access token is (answer.user_id).
  CallResult whoami() const;
  // GET /_matrix/client/v3/sync, one attempt (the caller backs off): `since` the previous
  // batch's next_batch (empty: the first sync), waiting up to `timeout` for events; `filter` is a
  // filter object's JSON text. `cancellation` ends the long poll when whygo stops.
  CallResult sync(std::string_view since, std::string_view filter, std::chrono::milliseconds timeout,
                  std::shared_ptr<Cancellation> cancellation) const;

  // GET /_matrix/client/v3/rooms/{roomId}/messages?dir=b: the room's events before `from`
  // (newest first), back to `to` at most; `filter` a RoomEventFilter's JSON text.
  CallResult messages(std::string_view room_id, std::string_view from, std::string_view to, std::string_view filter,
                      int limit) const;

  const MatrixConfig& config() const { return config_; }

 private:
  CallResult call(std::string method, std::string path, const nlohmann::json& body) const;
  CallResult call(std::string method, std::string path, const nlohmann::json& body, const RetryPolicy& policy,
                  std::shared_ptr<Cancellation> cancellation) const;

  MatrixConfig config_;
  OutboundClient outbound_;
  RetryPolicy policy_;
};

// POST /_matrix/client/v3/login with m.login.password
// (https://spec.matrix.org/latest/client-server-api/#password-based): a new device for `user`,
// named `device_name`; the answer holds access_token, device_id and user_id. Not retried after it
// may have reached the homeserver: a retry could leave a second device behind.
CallResult login(const std::string& homeserver_url, const std::string& user, const std::string& password,
                 const std::string& device_name, const OutboundClient& outbound);

}  // namespace whygo::matrix
