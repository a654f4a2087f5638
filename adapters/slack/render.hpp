// A platform-neutral Reply as a Slack message: Block Kit blocks plus the fallback `text` Slack
// shows in notifications (https://api.slack.com/reference/surfaces/formatting#escaping). Everything that comes from the
// catalog or the asker is escaped, so a title such as "<!channel>" is shown, never acted on.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "bot/reply.hpp"

namespace whygo::slack {

// The "More" button's action_id; /slack/interactions answers only this one.
inline constexpr std::string_view more_action_id = "whygo_more";

// Slack's three control characters as entities: "&" -> "&amp;", "<" -> "&lt;", ">" -> "&gt;".
// Only these: Slack decodes nothing else ("You shouldn't encode the entire piece of text").
std::string escape(std::string_view text);

// "<url|label>" for an http(s) URL; any other URL is shown as escaped text, not linked.
std::string mrkdwn_link(std::string_view url, std::string_view label);

// The blocks alone, at most 50 (Block Kit's per-message cap).
nlohmann::json blocks(const Reply& reply);

// The notification and screen-reader text, escaped, at most 4000 bytes.
std::string fallback_text(const Reply& reply);

// {"response_type", "text", "blocks"}: in_channel for results everyone should see, ephemeral
// (the asker only) for help, errors and admin confirmations. response_type is what slash-command
// answers and response_url posts read; chat.postMessage ignores it. As JSON text (what a slash
// command's HTTP answer sends), and parsed for the Web API calls that add fields to it.
std::string message_json(const Reply& reply);
nlohmann::json message(const Reply& reply);

// The More button's value (bot/more.hpp's payload, at most 2000 bytes) and back; nullopt when
// it does not fit, or is not one this service made.
std::optional<std::string> more_value(const MoreResults& more);
std::optional<MoreResults> parse_more_value(std::string_view value);

}  // namespace whygo::slack
