// Store: the upstream page as the last sync found it, and the claims of scheduled syncs.
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"

namespace whygo {

std::optional<UpstreamState> Store::upstream_state(const std::string& url) {
  auto db = reader();
  SQLite::Statement q(
      *db, "SELECT url, etag, last_modified, checked_at, changed_at, outcome FROM upstream_state WHERE url = ?");
  q.bind(1, url);
  if (!q.executeStep()) return std::nullopt;
  return UpstreamState{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getInt64(),  q.getColumn(4).getInt64(),  q.getColumn(5).getString()};
}

void Store::save_upstream_state(const UpstreamState& state) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Statement upsert(*writer_,
                             "INSERT INTO upstream_state (url, etag, last_modified, checked_at, changed_at, outcome)"
                             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                             " last_modified = excluded.last_modified, checked_at = excluded.checked_at,"
                             " changed_at = excluded.changed_at, outcome = excluded.outcome");
    upsert.bind(1, state.url);
    upsert.bind(2, state.etag);
    upsert.bind(3, state.last_modified);
    upsert.bind(4, state.checked_at);
    upsert.bind(5, state.changed_at);
    upsert.bind(6, state.outcome);
    upsert.exec();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("upstream state not saved: ") + e.what());
  }
}

bool Store::claim_upstream_sync(std::int64_t period, const std::string& claimed_by, std::int64_t now) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Statement insert(*writer_,
                             "INSERT INTO upstream_claims (period, claimed_by, claimed_at) VALUES (?, ?, ?)"
                             " ON CONFLICT (period) DO NOTHING");
    insert.bind(1, period);
    insert.bind(2, claimed_by);
    insert.bind(3, now);
    return insert.exec() > 0;
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("sync claim not saved: ") + e.what());
  }
}

}  // namespace whygo
