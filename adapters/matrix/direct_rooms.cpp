#include "adapters/matrix/direct_rooms.hpp"

#include <spdlog/spdlog.h>

namespace whygo::matrix {

std::optional<std::string> DirectRooms::room_with(const std::string& user) {
  std::lock_guard lock(mutex_);
  if (!loaded_) {
    const CallResult known = client_.direct_rooms();
    // 404 M_NOT_FOUND: the bot has no m.direct yet. Anything else is asked again next time.
    if (known.ok && known.answer.is_object()) direct_ = known.answer;
    loaded_ = known.ok || known.status == 404;
  }
  if (const auto rooms = direct_.find(user); rooms != direct_.end() && rooms->is_array())
    for (auto room = rooms->rbegin(); room != rooms->rend(); ++room)
      if (room->is_string()) return room->get<std::string>();
  const CallResult created = client_.create_direct_room(user);
  if (!created.ok || created.room_id.empty()) {
    spdlog::warn("matrix: cannot open a direct room with {}: {}", user, created.describe());
    return std::nullopt;
  }
  if (!direct_[user].is_array()) direct_[user] = nlohmann::json::array();
  direct_[user].push_back(created.room_id);
  if (const CallResult saved = client_.set_direct_rooms(direct_); !saved.ok)
    spdlog::warn("matrix: m.direct not saved ({}); the room with {} is remembered until a restart", saved.describe(),
                 user);
  spdlog::info("matrix: opened the direct room {} with {}", created.room_id, user);
  return created.room_id;
}

}  // namespace whygo::matrix
