// The admins configured by stable platform id (WHYGO_ADMINS, or the config file's "admins"):
// "slack:U012AB3CD,discord:80351110224678912,matrix:@alice:example.org".
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

  bool listed(std::string_view platform, std::string_view user) const;
  // The ids listed for one platform, in the order configured.
  std::vector<std::string> users_on(std::string_view platform) const;
  const std::vector<std::string>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::string> entries_;  // "platform:user"
};

}  // namespace whygo
