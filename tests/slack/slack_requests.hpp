// Signed requests as Slack sends them, for the tests that drive the real `whygo serve`: slash
// commands (https://api.slack.com/interactivity/slash-commands) and block_actions clicks
// (https://api.slack.com/reference/interaction-payloads/block-actions), signed with the test secret.
#pragma once
#include <httplib.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/slack/signature.hpp"
#include "tests/support.hpp"

namespace whygo::test::slack_requests {

inline const std::string secret = "whygo-test-signing-secret-not-real";
inline constexpr const char* form_type = "application/x-www-form-urlencoded";

inline std::string timestamp(std::int64_t shift_seconds = 0) {
  return std::to_string(std::time(nullptr) + shift_seconds);
}

inline httplib::Headers signed_headers(const std::string& body, const std::string& ts = timestamp()) {
  return {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slack::sign(secret, ts, body)}};
}

inline std::string command_body(const std::string& text, const std::string& user = "U0TEST",
                                const std::string& team = "T0TEST", const std::string& channel = "C0TEST",
                                const std::string& response_url = "https://hooks.slack.com/commands/T0TEST/1/x") {
  return "token=deprecated-fake&team_id=" + team + "&team_domain=test&channel_id=" + channel +
         "&channel_name=general&user_id=" + user + "&user_name=tester&command=%2Fwhygo&text=" + form_encode(text) +
         "&response_url=" + form_encode(response_url) + "&trigger_id=1.2.3&api_app_id=A0TEST";
}

// A click on the More button whose value is `value`, by `user`.
inline std::string click_body(const std::string& value, const std::string& user, const std::string& response_url,
                              const std::string& team = "T0TEST") {
  const nlohmann::json payload = {
      {"type", "block_actions"},
      {"team", {{"id", team}, {"domain", "test"}}},
      {"user", {{"id", user}, {"username", "clicker"}, {"team_id", team}}},
      {"api_app_id", "A0TEST"},
      {"container",
       {{"type", "message"}, {"message_ts", "1700000000.000100"}, {"channel_id", "C0TEST"}, {"is_ephemeral", false}}},
      {"trigger_id", "1.2.3"},
      {"channel", {{"id", "C0TEST"}, {"name", "general"}}},
      {"message", {{"ts", "1700000000.000100"}}},
      {"response_url", response_url},
      {"actions", nlohmann::json::array({{{"action_id", "whygo_more"},
                                          {"block_id", "b1"},
                                          {"type", "button"},
                                          {"value", value},
                                          {"action_ts", "1700000001.000001"}}})}};
  return "payload=" + form_encode(payload.dump());
}

// The More button's value in a rendered message, or "" when it has none.
inline std::string more_value_of(const nlohmann::json& message) {
  for (const nlohmann::json& block : message.at("blocks"))
    if (block.at("type") == "actions")
      for (const nlohmann::json& e : block.at("elements"))
        if (e.at("action_id") == "whygo_more") return e.at("value");
  return {};
}

}  // namespace whygo::test::slack_requests
