// Store: where a polling client stopped reading its platform (sync positions).
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"

namespace whygo {

std::optional<std::string> Store::sync_position(const std::string& platform, const std::string& account) {
  auto db = reader();
  SQLite::Statement q(*db, "SELECT position FROM sync_positions WHERE platform = ? AND account = ?");
  q.bind(1, platform);
  q.bind(2, account);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

void Store::save_sync_position(const std::string& platform, const std::string& account, const std::string& position,
                               std::int64_t now) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Statement upsert(*writer_,
                             "INSERT INTO sync_positions (platform, account, position, updated_at) VALUES (?, ?, ?, ?)"
                             " ON CONFLICT (platform, account) DO UPDATE SET position = excluded.position,"
                             " updated_at = excluded.updated_at");
    upsert.bind(1, platform);
    upsert.bind(2, account);
    upsert.bind(3, position);
    upsert.bind(4, now);
    upsert.exec();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("sync position not saved: ") + e.what());
  }
}

}  // namespace whygo
