// Reading pushed events: command detection, reply fallbacks, what the bot ignores.
#include <catch2/catch.hpp>

#include "adapters/matrix/events.hpp"

using namespace whygo::matrix;
using nlohmann::json;

namespace {
const std::string bot = "@whygo:example.org";
constexpr std::int64_t now_ms = 1'800'000'000'000;

json message(const std::string& body, json extra_content = json::object()) {
  json content = {{"msgtype", "m.text"}, {"body", body}};
  content.update(extra_content);
  return {{"event_id", "$e1"},        {"room_id", "!r:example.org"}, {"sender", "@alice:example.org"},
          {"type", "m.room.message"}, {"content", content},          {"origin_server_ts", now_ms - 1000}};
}

Decision decide_raw(const json& raw) {
  return decide(parse_event(raw, bot), bot, now_ms);
}
}  // namespace

TEST_CASE("commands start with !whygo, /whygo or //whygo in any case", "[matrix][events]") {
  CHECK(command_text("!whygo docker", bot) == "docker");
  CHECK(command_text("/whygo docker", bot) == "docker");
  CHECK(command_text("//whygo docker", bot) == "docker");
  CHECK(command_text("!WhyGo   Docker  ", bot) == "Docker");
  CHECK(command_text("  !WHYGO\tdocker", bot) == "docker");
  CHECK(command_text("!whygo", bot) == "");
  CHECK_FALSE(command_text("!whygoat docker", bot));
  CHECK_FALSE(command_text("please !whygo docker", bot));
  CHECK_FALSE(command_text("docker", bot));
  CHECK_FALSE(command_text("", bot));
}

TEST_CASE("a leading mention of the bot is a command", "[matrix][events]") {
  CHECK(command_text("@whygo:example.org docker", bot) == "docker");
  CHECK(command_text("@whygo:example.org: docker", bot) == "docker");
  CHECK(command_text("whygo: docker", bot) == "docker");
  CHECK(command_text("WhyGo, docker", bot) == "docker");
  CHECK(command_text("@whygo docker", bot) == "docker");
  CHECK_FALSE(command_text("whygo is great", bot));
  CHECK_FALSE(command_text("@whygo:other.org docker", bot));
  CHECK_FALSE(command_text("@whygobot: docker", bot));
}

TEST_CASE("the quoted fallback of a reply is stripped before the command is read", "[matrix][events]") {
  CHECK(strip_reply_fallback("> <@bob:example.org> what is go?\n> second line\n\n!whygo docker") == "!whygo docker");
  CHECK(strip_reply_fallback("> <@bob:example.org> quoted\n>\n> more\n\n!whygo docker") == "!whygo docker");
  CHECK(strip_reply_fallback("!whygo docker") == "!whygo docker");
  CHECK(strip_reply_fallback("> only a quote") == "");
  const auto reply = message("> <@bob:example.org> !whygo python\n\n!whygo docker",
                             {{"m.relates_to", {{"m.in_reply_to", {{"event_id", "$q"}}}}}});
  const Decision d = decide_raw(reply);
  CHECK(d.action == Action::command);
  CHECK(d.text == "docker");
  // A quote of a command is not a command.
  CHECK(decide_raw(message("> <@bob:example.org> !whygo python\n\nthanks",
                           {{"m.relates_to", {{"m.in_reply_to", {{"event_id", "$q"}}}}}}))
            .action == Action::ignore);
}

TEST_CASE("own messages, notices, edits and old events are ignored", "[matrix][events]") {
  CHECK(decide_raw(message("!whygo docker")).action == Action::command);
  auto own = message("!whygo docker");
  own["sender"] = bot;
  CHECK(decide_raw(own).action == Action::ignore);
  auto notice = message("!whygo docker");
  notice["content"]["msgtype"] = "m.notice";
  CHECK(decide_raw(notice).action == Action::ignore);
  CHECK(decide_raw(message("* !whygo docker", {{"m.new_content", {{"msgtype", "m.text"}, {"body", "!whygo docker"}}},
                                               {"m.relates_to", {{"rel_type", "m.replace"}, {"event_id", "$o"}}}}))
            .action == Action::ignore);
  auto old = message("!whygo docker");
  old["origin_server_ts"] = now_ms - 2 * 3600 * 1000;
  CHECK(decide_raw(old).action == Action::ignore);
}

TEST_CASE("an intentional mention anywhere is a command, but not in a reply", "[matrix][events]") {
  const json mention = {{"m.mentions", {{"user_ids", {bot}}}}};
  const Decision d = decide_raw(message("hey there docker", mention));
  CHECK(d.action == Action::command);
  CHECK(d.text == "hey there docker");
  json reply_mention = mention;
  reply_mention["m.relates_to"] = {{"m.in_reply_to", {{"event_id", "$bot-answer"}}}};
  CHECK(decide_raw(message("thanks!", reply_mention)).action == Action::ignore);
}

TEST_CASE("invites of the bot are joined and encrypted rooms are noticed", "[matrix][events]") {
  json invite = {{"event_id", "$i"},
                 {"room_id", "!r:example.org"},
                 {"sender", "@alice:example.org"},
                 {"type", "m.room.member"},
                 {"state_key", bot},
                 {"content", {{"membership", "invite"}}}};
  CHECK(decide_raw(invite).action == Action::join);
  CHECK_FALSE(parse_event(invite, bot).invite_says_encrypted);
  invite["unsigned"] = {{"invite_room_state", {{{"type", "m.room.encryption"}, {"state_key", ""}}}}};
  CHECK(parse_event(invite, bot).invite_says_encrypted);
  auto someone_else = invite;
  someone_else["state_key"] = "@bob:example.org";
  CHECK(decide_raw(someone_else).action == Action::ignore);
  const json encrypted = {{"event_id", "$x"},
                          {"room_id", "!r:example.org"},
                          {"sender", "@alice:example.org"},
                          {"type", "m.room.encrypted"},
                          {"content", {{"algorithm", "m.megolm.v1.aes-sha2"}}}};
  CHECK(decide_raw(encrypted).action == Action::say_encrypted);
}

TEST_CASE("hostile and malformed events never throw and are ignored", "[matrix][events]") {
  const std::vector<json> hostile = {
      json(nullptr),
      json::array(),
      json{{"event_id", 5}, {"room_id", true}},
      json{{"event_id", "$e"}, {"room_id", "!r"}, {"sender", "@a:b"}, {"type", "m.room.message"}, {"content", "x"}},
      json{{"event_id", "$e"},
           {"room_id", "!r"},
           {"sender", "@a:b"},
           {"type", "m.room.message"},
           {"content", {{"msgtype", 1}, {"body", json::array()}, {"m.relates_to", "x"}, {"m.mentions", 3}}}},
      json{{"event_id", "$e"},
           {"room_id", "!r"},
           {"sender", "@a:b"},
           {"type", "m.room.member"},
           {"state_key", 7},
           {"content", {{"membership", "invite"}}},
           {"unsigned", {{"invite_room_state", 1}}}},
  };
  for (const json& raw : hostile) CHECK(decide_raw(raw).action == Action::ignore);
  CHECK_FALSE(parse_transaction(json::array(), bot));
  CHECK_FALSE(parse_transaction(json{{"events", "x"}}, bot));
  CHECK_FALSE(parse_transaction(json("events"), bot));
  REQUIRE(parse_transaction(json{{"ephemeral", json::array()}}, bot));
  CHECK(parse_transaction(json{{"ephemeral", json::array()}}, bot)->empty());
  const auto events = parse_transaction(json{{"events", {1, "x", message("!whygo docker")}}}, bot);
  REQUIRE(events);
  CHECK(events->size() == 1);
}

TEST_CASE("user ids split into localpart and server name", "[matrix][events]") {
  CHECK(localpart("@whygo:example.org") == "whygo");
  CHECK(server_name("@whygo:example.org:8448") == "example.org:8448");
  CHECK(localpart("whygo:example.org").empty());
  CHECK(localpart("@:example.org").empty());
  CHECK(server_name("@whygo").empty());
}
