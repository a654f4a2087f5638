// The daily story on Slack: chat.postMessage to each subscribed channel.
#pragma once
#include <string>

#include "adapters/slack/config.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"

namespace whygo::slack {

// chat.postMessage has no idempotency key, so a send cut short by a crash is not repeated
// (the scheduler prefers a missed post to a double one). Sends are spaced per workspace, to stay
// well under Slack's "several hundred messages per minute" there; workspaces go out side by side.
Poster story_poster(const SlackConfig& config, const OutboundClient& client, Installations& installations);

// Why a post failed, from Slack's error code, in words that say what to do: "not_in_channel" asks
// for the bot to be invited. The core shows it in the channel's next reply and in `subscriptions`.
std::string post_failure_reason(const std::string& error);

}  // namespace whygo::slack
