#include "bot/admins.hpp"

#include <algorithm>
#include <stdexcept>

#include "bot/text.hpp"

namespace whygo {
namespace {

// "T0123/U0456": an id that names its tenant. The tenant is letters and digits (a Slack team id),
// so a Matrix id with a '/' in its localpart ("@a/b:example.org") is not read as one.
bool names_tenant(std::string_view user, std::string_view& tenant, std::string_view& id) {
  const std::size_t slash = user.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  tenant = user.substr(0, slash);
  id = user.substr(slash + 1);
  return std::all_of(tenant.begin(), tenant.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace

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
      std::string_view tenant, id;
      if (names_tenant(entry.substr(colon + 1), tenant, id) && id.empty())
        throw std::invalid_argument(
            setting + ": \"" + std::string(entry) +
            "\" names a tenant but no user; write platform:TENANT/USER, e.g. slack:T0123/U0456");
      out.entries_.emplace_back(entry);
    }
    entries = comma == std::string_view::npos ? std::string_view() : entries.substr(comma + 1);
  }
  return out;
}

bool AdminList::listed(std::string_view platform, std::string_view user, std::string_view tenant) const {
  if (user.empty()) return false;
  const std::string key = std::string(platform) + ":" + std::string(user);
  const std::string scoped = std::string(platform) + ":" + std::string(tenant) + "/" + std::string(user);
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const std::string& entry) { return entry == key || (!tenant.empty() && entry == scoped); });
}

std::vector<std::string> AdminList::users_on(std::string_view platform, std::string_view tenant) const {
  std::vector<std::string> users;
  const std::string prefix = std::string(platform) + ":";
  for (const auto& entry : entries_) {
    if (entry.rfind(prefix, 0) != 0) continue;
    const std::string_view user = std::string_view(entry).substr(prefix.size());
    std::string_view named, id;
    if (!names_tenant(user, named, id))
      users.emplace_back(user);
    else if (!tenant.empty() && named == tenant)
      users.emplace_back(id);
  }
  return users;
}

}  // namespace whygo
