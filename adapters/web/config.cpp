#include "adapters/web/config.hpp"

#include <stdexcept>
#include <string>

namespace whygo::web {

WebConfig WebConfig::load(const nlohmann::json& section) {
  WebConfig c;
  if (section.is_boolean()) {
    c.enabled = section.get<bool>();
  } else if (!section.is_null()) {
    const settings::Section file(section, "web");
    file.allow({"enabled"});
    if (const nlohmann::json* enabled = file.object("enabled")) {
      if (!enabled->is_boolean()) throw std::invalid_argument("web.enabled: expected true or false");
      c.enabled = enabled->get<bool>();
    }
  }
  const std::string variable = settings::env("WHYGO_WEB");
  if (!variable.empty()) {
    if (variable != "1" && variable != "0" && variable != "true" && variable != "false")
      throw std::invalid_argument("WHYGO_WEB: expected 1 or 0 (true or false), not \"" + variable + "\"");
    c.enabled = variable == "1" || variable == "true";
  }
  return c;
}

nlohmann::json WebConfig::describe() const {
  return {{"adapter", enabled ? "on" : "off (WHYGO_WEB is 0)"}, {"enabled", enabled}};
}

std::vector<settings::Documented> WebConfig::documented() {
  return {{"enabled", "WHYGO_WEB",
           "0 (false in the file, or \"web\": false) turns the web pages off for a chat-only service; GET /install "
           "stays",
           "1"}};
}

}  // namespace whygo::web
