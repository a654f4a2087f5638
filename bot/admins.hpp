// The admins configured by stable platform id (WHYGO_ADMINS, or the config file's "admins"):
// "slack:U012AB3CD,discord:80351110224678912,matrix:@alice:example.org". They alone may change
// the one shared catalog, on every platform. An entry may name the tenant it counts in,
// "slack:T0123/U0456" (the workspace T0123): then that user is an admin there and nowhere else.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace whygo {

class AdminList {
 public:
  AdminList() = default;
  // Entries as given, unchecked (tests; configuration goes through parse()).
  AdminList(std::initializer_list<std::string> entries) : entries_(entries) {}
  // Comma-separated "platform:user" entries; platforms must be among `platforms`. Throws
  // std::invalid_argument naming `setting` when an entry is malformed.
  static AdminList parse(std::string_view entries, const std::vector<std::string>& platforms,
                         const std::string& setting);

  // True for "platform:user", and for "platform:tenant/user" when the request comes from that
  // tenant. An empty tenant matches only entries that name none.
  bool listed(std::string_view platform, std::string_view user, std::string_view tenant = {}) const;
  // The ids that count in one tenant of a platform (entries naming another tenant left out, the
  // tenant's own shown without it), in the order configured.
  std::vector<std::string> users_on(std::string_view platform, std::string_view tenant = {}) const;
  const std::vector<std::string>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::string> entries_;  // "platform:user"
};

}  // namespace whygo
