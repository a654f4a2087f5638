#include "app/adapters.hpp"

#include <algorithm>
#include <utility>

#include "adapters/discord/adapter.hpp"
#include "adapters/matrix/adapter.hpp"
#include "adapters/slack/adapter.hpp"
#include "adapters/web/adapter.hpp"

namespace whygo {
namespace {

const std::vector<std::pair<std::string, AdapterFactory>>& factories() {
  static const std::vector<std::pair<std::string, AdapterFactory>> all = {
      {"slack", slack::adapter},
      {"discord", discord::adapter},
      {"matrix", matrix::adapter},
      {"web", web::adapter},
  };
  return all;
}

}  // namespace

std::vector<std::string> chat_platform_names() {
  std::vector<std::string> names = platform_names();
  names.erase(std::remove(names.begin(), names.end(), "web"), names.end());  // its readers are anonymous
  return names;
}

std::vector<std::string> platform_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : factories()) names.push_back(name);
  return names;
}

std::vector<Adapter> make_adapters(const Config& config) {
  std::vector<Adapter> adapters;
  for (const auto& [name, make] : factories()) adapters.push_back(make(config));
  return adapters;
}

}  // namespace whygo
