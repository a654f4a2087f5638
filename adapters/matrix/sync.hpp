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

// A room whose timeline in a batch was `limited`: events between the previous batch and
// prev_batch were left out, and are fetched with /messages before the batch is handled.
struct Gap {
  std::string room_id;
  std::string prev_batch;
};

struct SyncBatch {
  std::string next_batch;  // where the next sync goes on from
  std::vector<Invite> invites;
  // Of joined rooms (rooms.join): state, then timeline, room by room, each with its room_id.
  std::vector<Event> events;
  std::vector<Gap> gaps;
};

// nullopt when the body is not an object with a string next_batch.
std::optional<SyncBatch> parse_sync(const nlohmann::json& body, std::string_view bot_user);

// A page of GET /rooms/{roomId}/messages
// (https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3roomsroomidmessages):
// chunk's events in the order given (newest first with dir=b), each with the room_id, and `end`,
// the token of the next page ("" when there are no more). nullopt when chunk is not an array.
struct MessagesPage {
  std::vector<Event> events;
  std::string end;
};
std::optional<MessagesPage> parse_messages(const nlohmann::json& body, const std::string& room_id,
                                           std::string_view bot_user);

// The room events the bot reads, as a RoomEventFilter's JSON: the sync filter's timeline part,
// for /messages.
std::string room_event_filter();

// The filter (https://spec.matrix.org/latest/client-server-api/#filtering): messages (commands),
// encryption (to say once the bot cannot read there) and membership (invites) in rooms; no
// presence, account data, receipts or typing.
std::string sync_filter();

}  // namespace whygo::matrix
