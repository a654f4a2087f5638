// Matrix application service pushes (PUT /_matrix/app/v1/transactions/{txnId}): the body parsed
// as adapters/matrix/routes.cpp does (and, when the JSON parser refuses it, event by event through
// salvage_transaction), every event read and decided on (adapters/matrix/events.hpp), and the
// hs_token check on the Authorization header.
#include <nlohmann/json.hpp>

#include <cstdint>

#include "adapters/matrix/auth.hpp"
#include "adapters/matrix/events.hpp"
#include "fuzz/common.hpp"

namespace {

using namespace whygo;
constexpr std::string_view bot_user = "@whygo:example.org";
// 2026-11-27 08:00 UTC in milliseconds: the fuzz epoch.
constexpr std::int64_t now_ms = 1795766400000;

void check_body_text(std::string_view body) {
  const std::string_view stripped = matrix::strip_reply_fallback(body);
  WHYGO_FUZZ_CHECK(stripped.size() <= body.size(), body);
  if (const auto command = matrix::command_text(body, bot_user)) WHYGO_FUZZ_CHECK(command->size() <= body.size(), body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::quiet();
  const std::string_view input = fuzz::as_view(data, size);

  const auto body = nlohmann::json::parse(input, nullptr, false);
  if (!body.is_discarded()) {
    if (auto events = matrix::parse_transaction(body, bot_user)) {
      for (const matrix::Event& event : *events) {
        const matrix::Decision decision = matrix::decide(event, bot_user, now_ms);
        // The bot never answers itself (a loop), and only m.room.message events are commands.
        if (decision.action == matrix::Action::command) {
          WHYGO_FUZZ_CHECK(event.sender != bot_user, input);
          WHYGO_FUZZ_CHECK(event.type == "m.room.message", input);
        }
        check_body_text(event.body);
        (void)matrix::localpart(event.sender);
        (void)matrix::server_name(event.sender);
      }
    }
    // A single event as parse_event sees it.
    const matrix::Event event = matrix::parse_event(body, bot_user);
    (void)matrix::decide(event, bot_user, now_ms);
  } else if (const auto salvaged = matrix::salvage_transaction(input, bot_user)) {
    // A body refused as a whole, read event by event as routes.cpp then does: what is kept parsed
    // on its own, and nothing is both kept and skipped.
    for (const matrix::Event& event : salvaged->events) (void)matrix::decide(event, bot_user, now_ms);
    std::size_t last = 0;
    for (const auto& skipped : salvaged->skipped) {
      WHYGO_FUZZ_CHECK(skipped.position >= last, input);
      last = skipped.position + 1;
    }
    WHYGO_FUZZ_CHECK(salvaged->events.size() + salvaged->skipped.size() <= input.size(), input);
  }

  // The raw input as a message body, a user id, and an Authorization header.
  check_body_text(input);
  (void)matrix::localpart(input);
  (void)matrix::server_name(input);
  const auto outcome = matrix::check_hs_token(input, std::nullopt, "hs_secret_token_value");
  WHYGO_FUZZ_CHECK(outcome != matrix::AuthOutcome::ok || input.find("hs_secret_token_value") != std::string_view::npos,
                   input);
  const auto parts = fuzz::split(input, '\n', 2);
  if (parts.size() == 2) (void)matrix::check_hs_token(parts[0], parts[1], "hs_secret_token_value");
  return 0;
}
