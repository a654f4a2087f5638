// A platform-neutral Reply as the content of a Matrix m.room.message: an m.notice (bots answer
// with notices, spec m.notice) with a plain body and an escaped org.matrix.custom.html
// formatted_body, related to the asking event, and an m.mentions naming the asker alone, so
// nothing in the text (a catalog title saying "@room") pings anyone else.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "bot/reply.hpp"

namespace whygo::matrix {

// The event a reply answers, who sent it, and the thread root when that event was in a thread.
struct ReplyTarget {
  std::string event_id;
  std::string thread_root;  // empty: not in a thread
  std::string sender = {};  // the asker: the reply mentions them, and only them
};

nlohmann::json render(const Reply& reply, const ReplyTarget& target);

// A plain notice with no relation (e.g. "I cannot read this encrypted room").
nlohmann::json notice(std::string_view text);

// Breaks "@room" (any case) with a word joiner, so a catalog title cannot notify a whole room
// on clients and servers that still apply the legacy body-matching push rule .m.rule.roomnotif.
std::string defuse_room_mention(std::string_view text);

}  // namespace whygo::matrix
