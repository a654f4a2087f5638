// What an attack must leave as it was, read from the database file after the server stopped: the
// catalog (its version moves on every change), the audit log, the suggestions waiting and the
// subscribed channels.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

#include "bot/store.hpp"

namespace whygo::test {

struct CatalogState {
  std::size_t links = 0;
  std::int64_t version = 0;
  std::size_t audit_rows = 0;
  std::size_t pending = 0;
  std::size_t subscriptions = 0;
  bool operator==(const CatalogState&) const = default;
};

inline CatalogState catalog_state(const std::string& db_path) {
  Store store(db_path);
  return {store.link_count(), store.catalog_version(), store.history(1'000'000).size(),
          store.pending_suggestions(1'000'000).size(), store.subscriptions().size()};
}

inline std::ostream& operator<<(std::ostream& out, const CatalogState& s) {
  return out << "{links " << s.links << ", version " << s.version << ", audit " << s.audit_rows << ", pending "
             << s.pending << ", subscriptions " << s.subscriptions << "}";
}

}  // namespace whygo::test
