// The web pages' one setting: "web": {"enabled": ...} in the settings file, WHYGO_WEB in the
// environment. On by default; off leaves a chat-only service (GET /install stays).
#pragma once
#include <nlohmann/json.hpp>
#include <vector>

#include "bot/settings.hpp"

namespace whygo::web {

struct WebConfig {
  bool enabled = true;

  // The "web" entry of the settings file (null when absent), then WHYGO_WEB on top. Throws
  // std::invalid_argument naming a malformed value.
  static WebConfig load(const nlohmann::json& section);
  nlohmann::json describe() const;
  static std::vector<settings::Documented> documented();
};

}  // namespace whygo::web
