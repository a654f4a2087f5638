#include "adapters/slack/workspaces.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "bot/log_text.hpp"

namespace whygo::slack {
namespace {

// The sealed token is bound to its row: copied to another workspace's row it does not open.
std::string associated(const std::string& team) {
  return installation_binding("slack", team);
}

}  // namespace

Workspaces::Workspaces(const SlackConfig& config, Installations& installations)
    : fallback_(config.bot_token), box_(SecretBox::from_text(config.secret_key)), installations_(installations) {}

std::string Workspaces::token_for(const std::string& team) const {
  if (box_ && !team.empty()) {
    if (const auto installed = installations_.installation("slack", team)) {
      if (auto token = box_->open(installed->sealed_token, associated(team))) return *token;
      spdlog::error("slack: the token of workspace {} does not open with WHYGO_SECRET_KEY (another key?)",
                    log_text::field(team));
    }
  }
  return fallback_;
}

void Workspaces::install(const std::string& team, const std::string& enterprise, const std::string& bot_user,
                         const std::string& token, std::int64_t now) {
  if (!box_) throw std::logic_error("WHYGO_SECRET_KEY is not set: tokens cannot be stored");
  installations_.save_installation({"slack", team, enterprise, bot_user, box_->seal(token, associated(team)), now});
}

bool Workspaces::uninstall(const std::string& team) {
  return installations_.remove_installation("slack", team);
}

std::string Workspaces::bot_user(const std::string& team) const {
  const auto installed = installations_.installation("slack", team);
  return installed ? installed->bot_user : std::string();
}

}  // namespace whygo::slack
