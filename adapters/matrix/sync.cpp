#include "adapters/matrix/sync.hpp"

#include "adapters/matrix/limits.hpp"

namespace whygo::matrix {
namespace {

const nlohmann::json* object_at(const nlohmann::json& parent, const char* key) {
  if (!parent.is_object()) return nullptr;
  const auto it = parent.find(key);
  return it != parent.end() && it->is_object() ? &*it : nullptr;
}

const nlohmann::json* events_at(const nlohmann::json* section) {
  if (section == nullptr) return nullptr;
  const auto it = section->find("events");
  return it != section->end() && it->is_array() ? &*it : nullptr;
}

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A room's events come without room_id (ClientEventWithoutRoomID); the bot needs it.
void add_events(const nlohmann::json* events, const std::string& room_id, std::string_view bot_user,
                std::vector<Event>& out) {
  if (events == nullptr) return;
  for (const auto& raw : *events) {
    if (!raw.is_object()) continue;
    nlohmann::json with_room = raw;
    with_room["room_id"] = room_id;
    out.push_back(parse_event(with_room, bot_user));
  }
}

nlohmann::json timeline_filter() {
  return {{"types", {"m.room.message", "m.room.encrypted", "m.room.encryption", "m.room.member"}},
          {"limit", limits::matrix::sync_timeline_limit}};
}

}  // namespace

std::optional<SyncBatch> parse_sync(const nlohmann::json& body, std::string_view bot_user) {
  if (!body.is_object()) return std::nullopt;
  SyncBatch batch;
  batch.next_batch = string_at(body, "next_batch");
  if (batch.next_batch.empty()) return std::nullopt;
  const nlohmann::json* rooms = object_at(body, "rooms");
  if (rooms == nullptr) return batch;
  if (const nlohmann::json* invited = object_at(*rooms, "invite")) {
    for (const auto& [room_id, room] : invited->items()) {
      Invite invite{room_id, {}, false};
      if (const nlohmann::json* state = events_at(object_at(room, "invite_state"))) {
        for (const auto& e : *state) {
          if (!e.is_object()) continue;
          const std::string type = string_at(e, "type");
          if (type == "m.room.encryption") invite.encrypted = true;
          if (type == "m.room.member" && string_at(e, "state_key") == bot_user) invite.inviter = string_at(e, "sender");
        }
      }
      batch.invites.push_back(std::move(invite));
    }
  }
  if (const nlohmann::json* joined = object_at(*rooms, "join")) {
    for (const auto& [room_id, room] : joined->items()) {
      add_events(events_at(object_at(room, "state")), room_id, bot_user, batch.events);
      const nlohmann::json* timeline = object_at(room, "timeline");
      add_events(events_at(timeline), room_id, bot_user, batch.events);
      if (timeline != nullptr)
        if (const auto it = timeline->find("limited"); it != timeline->end() && it->is_boolean() && it->get<bool>())
          batch.gaps.push_back({room_id, string_at(*timeline, "prev_batch")});
    }
  }
  return batch;
}

std::optional<MessagesPage> parse_messages(const nlohmann::json& body, const std::string& room_id,
                                           std::string_view bot_user) {
  if (!body.is_object()) return std::nullopt;
  const auto chunk = body.find("chunk");
  if (chunk == body.end() || !chunk->is_array()) return std::nullopt;
  MessagesPage page;
  add_events(&*chunk, room_id, bot_user, page.events);
  page.end = string_at(body, "end");
  return page;
}

std::string room_event_filter() {
  return timeline_filter().dump();
}

std::string sync_filter() {
  const nlohmann::json none = {{"not_types", {"*"}}};
  const nlohmann::json filter = {{"presence", none},
                                 {"account_data", none},
                                 {"room",
                                  {{"timeline", timeline_filter()},
                                   {"state", {{"types", {"m.room.encryption"}}, {"lazy_load_members", true}}},
                                   {"ephemeral", none},
                                   {"account_data", none}}}};
  return filter.dump();
}

}  // namespace whygo::matrix
