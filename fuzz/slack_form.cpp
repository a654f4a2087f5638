// Slack form bodies (slash commands and interaction payloads): the form decoder, the fields the
// routes read with the command text decoded (adapters/slack/text.hpp), the block_actions payload
// JSON inside `payload=`, the "More" button value, and the request signature over the raw body.
// Then the input as catalog text in a reply, through the JSON the routes write directly.
// Mirrors adapters/slack/routes.cpp on_command and on_interaction up to the point where the
// dispatcher would run.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>

#include "adapters/slack/form.hpp"
#include "adapters/slack/render.hpp"
#include "adapters/slack/signature.hpp"
#include "adapters/slack/text.hpp"
#include "bot/json_fields.hpp"
#include "bot/text.hpp"
#include "fuzz/common.hpp"

namespace {

using nlohmann::json;
using namespace whygo;

using json_fields::object_at;
using json_fields::string_at;

void check_more_value(std::string_view value) {
  const auto more = slack::parse_more_value(value);
  if (!more) return;
  WHYGO_FUZZ_CHECK(text::valid_utf8(more->args), value);
  WHYGO_FUZZ_CHECK(!text::trim(more->args).empty(), value);
  WHYGO_FUZZ_CHECK(!more->command.empty(), value);
  // What we parse, we write back the same way (bot/more.hpp's payload; leading zeros aside).
  const auto written = slack::more_value(*more);
  WHYGO_FUZZ_CHECK(written.has_value(), value);
  const auto again = slack::parse_more_value(*written);
  WHYGO_FUZZ_CHECK(
      again && again->offset == more->offset && again->args == more->args && again->command == more->command, value);
}

// The block_actions payload, read as on_interaction reads it.
void read_payload(const std::string& raw) {
  const json payload = json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return;
  if (string_at(payload, "type") != "block_actions") return;
  const auto actions = payload.find("actions");
  if (actions == payload.end() || !actions->is_array()) return;
  const json* more_action = nullptr;
  for (const json& action : *actions)
    if (string_at(action, "action_id") == slack::more_action_id) more_action = &action;
  if (!more_action) return;
  check_more_value(string_at(*more_action, "value"));
  std::string channel = string_at(object_at(payload, "channel"), "id");
  if (channel.empty()) channel = string_at(object_at(payload, "container"), "channel_id");
  std::string team = string_at(object_at(payload, "team"), "id");
  if (team.empty()) team = string_at(object_at(payload, "user"), "team_id");
  (void)string_at(payload, "response_url");
  (void)string_at(object_at(payload, "user"), "id");
}

// Any bytes as a link's title, a reply's text and note: the message written as JSON text
// (slack::message_json) always parses, is UTF-8, holds no raw control character, and gives back
// plain text byte for byte.
void check_reply(std::string_view text) {
  Reply reply;
  reply.title = "Why Go";
  reply.text = std::string(text);
  reply.note = std::string(text);
  Link link;
  link.title = std::string(text);
  link.url = "https://example.com/" + std::string(text.substr(0, 64));
  link.author = std::string(text.substr(0, 32));
  reply.links.push_back(link);
  reply.total = 1;
  const std::string wire = slack::message_json(reply);
  for (const char c : wire) WHYGO_FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20, text);
  WHYGO_FUZZ_CHECK(text::valid_utf8(wire), text);
  const json parsed = json::parse(wire, nullptr, /*allow_exceptions=*/false);
  WHYGO_FUZZ_CHECK(parsed.is_object(), text);
  const bool plain = text::valid_utf8(text) && text.find_first_of("&<>") == std::string_view::npos &&
                     text.size() <= 2000 && !text::trim(text).empty();
  if (plain) WHYGO_FUZZ_CHECK(parsed.at("blocks").at(1).at("text").at("text") == text, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::quiet();
  const std::string_view body = fuzz::as_view(data, size);

  // The whole input as one field value, and as a More value.
  if (const auto decoded = slack::form_decode(body)) WHYGO_FUZZ_CHECK(text::valid_utf8(*decoded), body);
  check_more_value(body);

  if (const auto form = slack::Form::parse(body)) {
    for (const auto& [name, value] : form->fields()) {
      WHYGO_FUZZ_CHECK(text::valid_utf8(name) && text::valid_utf8(value), body);
      WHYGO_FUZZ_CHECK(form->find(name) != nullptr, name);
    }
    (void)form->value("ssl_check");
    (void)form->value("team_id");
    (void)form->value("channel_id");
    (void)form->value("user_id");
    // The command text as the person typed it: never longer, still UTF-8.
    const std::string typed = form->value("text");
    const std::string decoded = slack::decode_text(typed);
    WHYGO_FUZZ_CHECK(decoded.size() <= typed.size() && text::valid_utf8(decoded), typed);
    if (const std::string* payload = form->find("payload")) read_payload(*payload);
  }

  check_reply(body);

  // The signature over the raw body: our own signature verifies, a foreign one never does.
  static const auto now = fuzz::fuzz_epoch();
  static const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::string secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const std::string signature = slack::sign(secret, timestamp, body);
  WHYGO_FUZZ_CHECK(slack::verify(secret, timestamp, signature, body, now) == slack::SignatureCheck::ok, body);
  // The input's first line as a signature header and the rest as the body.
  const auto parts = fuzz::split(body, '\n', 2);
  if (parts.size() == 2)
    WHYGO_FUZZ_CHECK(slack::verify(secret, timestamp, parts[0], parts[1], now) != slack::SignatureCheck::ok ||
                         parts[0] == slack::sign(secret, timestamp, parts[1]),
                     body);
  return 0;
}
