// Slack Events API bodies (POST /slack/events): the JSON envelope as on_event reads it and an
// app_mention's text turned into a chat command (adapters/slack/events.hpp).
#include <nlohmann/json.hpp>

#include <cstdint>

#include "adapters/slack/events.hpp"
#include "bot/json_fields.hpp"
#include "fuzz/common.hpp"

namespace {

using nlohmann::json;
using namespace whygo;

using json_fields::object_at;
using json_fields::string_at;

void check_mention(std::string_view text) {
  const std::string command = slack::mention_command_text(text);
  WHYGO_FUZZ_CHECK(command.size() <= text.size(), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::quiet();
  const std::string_view input = fuzz::as_view(data, size);
  check_mention(input);

  const json body = json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return 0;
  const std::string type = string_at(body, "type");
  if (type == "url_verification") {
    const std::string challenge = string_at(body, "challenge");
    (void)json{{"challenge", challenge}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return 0;
  }
  if (type != "event_callback") return 0;
  const json& event = object_at(body, "event");
  (void)string_at(body, "event_id");
  (void)string_at(body, "team_id");
  if (string_at(event, "type") != "app_mention") return 0;
  if (event.contains("bot_id") || !string_at(event, "subtype").empty()) return 0;
  (void)string_at(event, "channel");
  (void)string_at(event, "user");
  (void)string_at(event, "ts");
  (void)string_at(event, "thread_ts");
  check_mention(string_at(event, "text"));
  return 0;
}
