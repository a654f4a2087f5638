// Which bot token acts in a workspace: the one it gave when it installed the app through OAuth
// (sealed in the store under WHYGO_SECRET_KEY), else SLACK_BOT_TOKEN, the single-workspace mode.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "adapters/slack/config.hpp"
#include "bot/secret_box.hpp"
#include "bot/store_roles.hpp"

namespace whygo::slack {

class Workspaces {
 public:
  Workspaces(const SlackConfig& config, Installations& installations);

  // The workspace's own token, else SLACK_BOT_TOKEN; empty when neither.
  std::string token_for(const std::string& team) const;
  // Seals and saves the token (resuming the workspace's paused subscriptions). Needs the key.
  void install(const std::string& team, const std::string& enterprise, const std::string& bot_user,
               const std::string& token, std::int64_t now);
  // Forgets the workspace's token and pauses its subscriptions; false when it had none.
  bool uninstall(const std::string& team);
  // The installed workspace's bot user id, for tokens_revoked; empty when not installed.
  std::string bot_user(const std::string& team) const;

 private:
  std::string fallback_;
  std::optional<SecretBox> box_;
  Installations& installations_;
};

}  // namespace whygo::slack
