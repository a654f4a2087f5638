// Slack's Web API and response_url posts, through the core's OutboundClient (timeouts, 429
// Retry-After; a post is never repeated after a 5xx or a lost answer). Calls block, so they run
// on the Background queue, never on a request thread that owes Slack an answer within 3 seconds.
// Failures are values.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "adapters/slack/config.hpp"
#include "bot/outbound.hpp"

namespace whygo::slack {

struct ApiResult {
  bool ok = false;
  int status = 0;     // HTTP status; 0 when no answer came
  std::string error;  // Slack's code ("channel_not_found", "invalid_auth") or a transport error
  std::string ts;     // chat.postMessage: the new message's id
  int attempts = 0;
};

class WebApi {
 public:
  WebApi(SlackConfig config, const OutboundClient& client);

  // chat.postMessage with the bot token. `message` holds text and blocks (render.hpp's message());
  // a non-empty thread_ts answers in that thread. Link unfurls are turned off: the blocks already
  // show each link, and Slack would otherwise add a preview per URL.
  ApiResult post_message(std::string_view channel, const nlohmann::json& message, std::string_view thread_ts) const;

  // chat.postEphemeral: a message only `user` sees in the channel
  // (https://docs.slack.dev/reference/methods/chat.postEphemeral); in a thread only when thread_ts names one
  // ("Ephemeral messages in threads are only shown if there is already an active thread").
  ApiResult post_ephemeral(std::string_view channel, std::string_view user, const nlohmann::json& message,
                           std::string_view thread_ts) const;

  // POSTs a message to an interaction's or command's response_url (at most 5 times within 30
  // minutes, Slack says). Only Slack's own hosts, or the configured API base's origin (a stand-in
  // in tests), are posted to.
  ApiResult respond(std::string_view response_url, const nlohmann::json& message) const;

  bool allowed_response_url(std::string_view url) const;

  // The same API acting with another bot token: a workspace's own (workspaces.hpp).
  WebApi with_token(std::string token) const;

 private:
  RetryPolicy policy() const;
  ApiResult call(std::string_view method, const nlohmann::json& body) const;

  SlackConfig config_;
  const OutboundClient& client_;
};

}  // namespace whygo::slack
