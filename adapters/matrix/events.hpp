// Matrix events as pushed to an application service, reduced to what the bot acts on, and the
// rules that decide what it does with each. Pure functions, no I/O: nlohmann::json in, values out;
// hostile or malformed input yields "ignore", never an exception.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whygo::matrix {

// One ClientEvent (spec client_event.yaml), the fields the bot reads. Missing or wrongly typed
// fields are left empty.
struct Event {
  std::string event_id;
  std::string room_id;
  std::string sender;
  std::string type;
  std::optional<std::string> state_key;  // present iff a state event (spec: tell state events by this)
  std::int64_t origin_server_ts = 0;     // 0 when absent
  std::string msgtype;
  std::string body;
  std::string membership;              // m.room.member content.membership
  std::string in_reply_to;             // content.m.relates_to.m.in_reply_to.event_id
  std::string rel_type;                // content.m.relates_to.rel_type ("m.thread", "m.replace", ...)
  std::string relates_to_id;           // content.m.relates_to.event_id (the thread root for m.thread)
  bool has_new_content = false;        // content.m.new_content: an edit
  bool mentions_bot = false;           // content.m.mentions.user_ids holds the bot
  bool invite_says_encrypted = false;  // unsigned.invite_room_state holds m.room.encryption
};

Event parse_event(const nlohmann::json& raw, std::string_view bot_user);

// The events of a transaction body ({"events": [...]}); nullopt when the body is not a JSON
// object or its "events" is not an array. Elements that are not objects are skipped.
std::optional<std::vector<Event>> parse_transaction(const nlohmann::json& body, std::string_view bot_user);

// A transaction body the JSON parser refused as a whole, read event by event. A homeserver may pass
// on an event whose text holds a lone surrogate escape ("\ud800"), which no strict parser takes;
// that one event must not cost the others theirs. The body is split by its structure (strings,
// brackets) into the elements of "events", and each is parsed alone.
struct SalvagedTransaction {
  std::vector<Event> events;  // the elements that parsed, in order (non-objects left out)
  struct Skipped {
    std::size_t position = 0;  // in "events"
    std::string event_id;      // read from the raw text when it can be; may be empty
  };
  std::vector<Skipped> skipped;
};
// nullopt when the body is not a JSON object with an "events" array even by its structure.
std::optional<SalvagedTransaction> salvage_transaction(std::string_view body, std::string_view bot_user);

// Drops the quoted fallback older clients put before a reply ("> <@alice:x> text" lines), so the
// command after it can be read (spec modules/rich_replies.md: receivers SHOULD strip it).
std::string_view strip_reply_fallback(std::string_view body);

// The text after the command when the message addresses the bot: "!whygo", "/whygo" or "//whygo"
// (any case) at the start, or a leading mention of the bot ("@whygo:example.org docker",
// "whygo: docker" as Element writes a mention pill). nullopt when it does not address the bot.
std::optional<std::string> command_text(std::string_view body, std::string_view bot_user);

enum class Action {
  ignore,
  command,        // answer with a reply
  join,           // the bot was invited
  say_encrypted,  // the room is encrypted: say once that the bot cannot read there
};

struct Decision {
  Action action = Action::ignore;
  std::string text;  // for Action::command: what follows the command
};

// What to do with an event. now_unix_ms bounds how old a command may be to be answered.
Decision decide(const Event& event, std::string_view bot_user, std::int64_t now_unix_ms);

// "@whygo:example.org" -> "whygo"; "" when not a user id.
std::string_view localpart(std::string_view user_id);
// "@whygo:example.org" -> "example.org"; "" when not a user id.
std::string_view server_name(std::string_view user_id);

}  // namespace whygo::matrix
