// Slack's limits and the adapter's deadlines, named once
// (https://api.slack.com/authentication/verifying-requests-from-slack,
// https://api.slack.com/reference/block-kit/blocks, https://api.slack.com/methods/chat.postMessage).
#pragma once
#include <chrono>
#include <cstddef>

namespace whygo::limits::slack {
// Signed requests older or newer than this are refused: "does not differ from local time by more
// than five minutes" (Slack, verifying requests).
inline constexpr std::chrono::seconds signature_window{5 * 60};
inline constexpr std::size_t blocks_per_message = 50;   // Block Kit: up to 50 blocks a message
inline constexpr std::size_t section_text_max = 3000;   // section / text object text
inline constexpr std::size_t context_text_max = 2000;   // kept under the 3000 text cap
inline constexpr std::size_t title_max = 150;           // one line, as a header block's cap
inline constexpr std::size_t button_value_max = 2000;   // button value
inline constexpr std::size_t fallback_text_max = 4000;  // chat.postMessage top-level text
// A slash command must be answered "within 3000 milliseconds"; past this budget it is
// acknowledged with an empty 200 and the answer follows through response_url.
inline constexpr auto inline_answer_budget = std::chrono::milliseconds(2000);
inline constexpr auto api_connect_timeout = std::chrono::seconds(5);
inline constexpr auto api_read_timeout = std::chrono::seconds(10);
inline constexpr int api_max_attempts = 4;
// Daily story fan-out. chat.postMessage allows "1 message per second to a specific channel" and
// "several hundred messages per minute" per workspace
// (https://docs.slack.dev/reference/methods/chat.postMessage), and Web API limits are "per API
// method per workspace/team per app" (https://docs.slack.dev/apis/web-api/rate-limits). So the
// pace is kept per workspace: 4 posts a second (240 a minute) in each, across every replica, stays
// under "several hundred" with room for the bot's answers there; one post per channel a day is far
// under 1 per second. Workspaces go out side by side, as many at once as there are workers:
// 10,000 channels over 50 workspaces take 200 x 250 ms = 50 s at best, not 42 minutes.
inline constexpr std::chrono::milliseconds story_post_spacing{250};
// Sends in flight at once in one process, over all workspaces: 8 keep 8 workspaces at full pace
// when a call takes 250 ms, more when calls are faster (each replica adds as many), and the
// outbound connections few.
inline constexpr std::size_t story_post_workers = 8;
// A Retry-After longer than this is not waited for: the asker has moved on.
inline constexpr auto api_max_backoff = std::chrono::seconds(30);
}  // namespace whygo::limits::slack
