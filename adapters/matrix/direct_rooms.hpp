// The direct room the bot shares with an admin it must tell something privately (replies that
// list people: a Matrix room has no message only one member sees). Remembered in the bot's
// m.direct account data, as clients keep theirs
// (https://spec.matrix.org/latest/client-server-api/#direct-messaging), so a restart finds the
// same room; created, with the admin invited, on first need.
#pragma once
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/matrix/client.hpp"

namespace whygo::matrix {

class DirectRooms {
 public:
  explicit DirectRooms(const Client& client) : client_(client) {}

  // The room shared with `user`; nullopt when the homeserver would not create one.
  std::optional<std::string> room_with(const std::string& user);

 private:
  const Client& client_;
  std::mutex mutex_;
  bool loaded_ = false;
  nlohmann::json direct_ = nlohmann::json::object();  // m.direct: user id -> [room id, ...]
};

}  // namespace whygo::matrix
