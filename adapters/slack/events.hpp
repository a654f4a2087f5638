// Pure helpers for Events API payloads (https://api.slack.com/apis/events-api).
#pragma once
#include <string>
#include <string_view>

namespace whygo::slack {

// An app_mention's text as a chat command: "<@U0LAN0Z89> docker &amp; k8s" -> "docker & k8s".
// User mentions are dropped (the bot's own among them); the rest is decoded as text.hpp says.
std::string mention_command_text(std::string_view text);

}  // namespace whygo::slack
