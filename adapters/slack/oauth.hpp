// "Add to Slack" for many workspaces, Slack's OAuth v2 flow
// (https://docs.slack.dev/authentication/installing-with-oauth): GET /slack/install sends the
// browser to Slack's authorize page with a single-use state bound to a cookie; Slack sends it back
// to GET /slack/oauth_redirect with a code, exchanged with oauth.v2.access for the workspace's bot
// token (https://docs.slack.dev/reference/methods/oauth.v2.access).
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "adapters/slack/config.hpp"
#include "adapters/slack/workspaces.hpp"
#include "bot/adapter.hpp"

namespace whygo::slack {

// The bot scopes of deploy/slack/manifest.yml, asked for at install (a test holds them equal).
inline constexpr const char* bot_scopes = "commands,app_mentions:read,chat:write,chat:write.public";

// States handed out and not used yet. A state is good once, for 10 minutes, and only with the
// cookie of the browser it was handed to, so a link with someone else's state installs nothing.
class StateBook {
 public:
  enum class Check { ok, unknown, expired, other_browser };
  struct Issued {
    std::string state;
    std::string cookie;
  };
  static constexpr std::chrono::minutes lifetime{10};
  static constexpr std::size_t capacity = 10'000;  // a flood of /slack/install drops the oldest

  Issued issue(std::chrono::system_clock::time_point now);
  // Uses the state up, whatever the outcome.
  Check redeem(const std::string& state, const std::string& cookie, std::chrono::system_clock::time_point now);

 private:
  struct Entry {
    std::string cookie;
    std::chrono::system_clock::time_point expires;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> states_;
};

// Mounts GET /slack/install and GET /slack/oauth_redirect; when OAuth is off they say why.
void mount_oauth(HttpServer& server, AdapterServices& services, const SlackConfig& config);

}  // namespace whygo::slack
