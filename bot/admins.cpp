#include "bot/admins.hpp"

#include <algorithm>
#include <stdexcept>

#include "bot/text.hpp"

namespace whygo {

AdminList AdminList::parse(std::string_view entries, const std::vector<std::string>& platforms,
                           const std::string& setting) {
  AdminList out;
  while (!entries.empty()) {
    const std::size_t comma = entries.find(',');
    const std::string_view entry = text::trim(entries.substr(0, comma));
    if (!entry.empty()) {
      const std::size_t colon = entry.find(':');
      const std::string_view platform = entry.substr(0, colon == std::string_view::npos ? 0 : colon);
      if (colon == std::string_view::npos || colon + 1 == entry.size() ||
          std::find(platforms.begin(), platforms.end(), platform) == platforms.end()) {
        std::string names;
        for (std::size_t i = 0; i < platforms.size(); ++i)
          names += (i == 0 ? "" : i + 1 == platforms.size() ? " or " : ", ") + platforms[i];
        throw std::invalid_argument(setting + ": expected platform:user entries (" + names + "), e.g. " +
                                    (platforms.empty() ? std::string("slack") : platforms.front()) +
                                    ":U012AB3CD, got \"" + std::string(entry) + "\"");
      }
      out.entries_.emplace_back(entry);
    }
    entries = comma == std::string_view::npos ? std::string_view() : entries.substr(comma + 1);
  }
  return out;
}

bool AdminList::listed(std::string_view platform, std::string_view user) const {
  if (user.empty()) return false;
  const std::string key = std::string(platform) + ":" + std::string(user);
  return std::find(entries_.begin(), entries_.end(), key) != entries_.end();
}

std::vector<std::string> AdminList::users_on(std::string_view platform) const {
  std::vector<std::string> users;
  const std::string prefix = std::string(platform) + ":";
  for (const auto& entry : entries_)
    if (entry.rfind(prefix, 0) == 0) users.push_back(entry.substr(prefix.size()));
  return users;
}

}  // namespace whygo
