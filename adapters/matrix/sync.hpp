// A /sync answer (https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync),
// reduced to what the bot acts on, and the filter that asks for only that. Pure functions:
// hostile or malformed input yields nullopt or fewer events, never an exception.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/matrix/events.hpp"

namespace whygo::matrix {

// A room the bot is invited to (rooms.invite), from its stripped state.
struct Invite {
  std::string room_id;
  std::string inviter;     // the sender of the bot's m.room.member invite; may be empty
  bool encrypted = false;  // the stripped state holds m.room.encryption
};

struct SyncBatch {
  std::string next_batch;  // where the next sync goes on from
  std::vector<Invite> invites;
  // Of joined rooms (rooms.join): state, then timeline, room by room, each with its room_id.
  std::vector<Event> events;
  std::vector<std::string> gaps;  // rooms whose timeline was limited: older events were left out
};

// nullopt when the body is not an object with a string next_batch.
std::optional<SyncBatch> parse_sync(const nlohmann::json& body, std::string_view bot_user);

// The filter (https://spec.matrix.org/latest/client-server-api/#filtering): messages (commands),
// encryption (to say once the bot cannot read there) and membership (invites) in rooms; no
// presence, account data, receipts or typing.
std::string sync_filter();

}  // namespace whygo::matrix
