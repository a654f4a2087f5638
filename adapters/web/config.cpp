#include "adapters/web/config.hpp"

#include <stdexcept>
#include <string>

namespace whygo::web {

WebConfig WebConfig::load(const nlohmann::json& section) {
  WebConfig c;
  // One way to write it, so `config check` can tell where the value came from.
  if (!section.is_null() && !section.is_object())
    throw std::invalid_argument("web: expected an object, e.g. \"web\": {\"enabled\": false}");
  const settings::Section file(section, "web");
  file.allow({"enabled"});
  if (const nlohmann::json* enabled = file.object("enabled")) {
    if (!enabled->is_boolean()) throw std::invalid_argument("web.enabled: expected true or false");
    c.enabled = enabled->get<bool>();
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
  return {{"adapter", enabled ? "on" : "off (WHYGO_WEB=0 or web.enabled false)"}, {"enabled", enabled}};
}

std::vector<settings::Documented> WebConfig::documented() {
  return {{"enabled", "WHYGO_WEB",
           "0 (false in the file) turns the web pages off for a chat-only service; GET /install stays", "1"}};
}

}  // namespace whygo::web
