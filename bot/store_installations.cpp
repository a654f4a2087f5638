// Store: installations (a tenant's own bot token, sealed by the caller) and the pause of a
// tenant's subscriptions while it has none.
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"

namespace whygo {
namespace {

Installation installation_from(SQLite::Statement& q) {
  const SQLite::Column token = q.getColumn(4);
  return {q.getColumn(0).getString(),
          q.getColumn(1).getString(),
          q.getColumn(2).getString(),
          q.getColumn(3).getString(),
          std::string(static_cast<const char*>(token.getBlob()), static_cast<std::size_t>(token.getBytes())),
          q.getColumn(5).getInt64()};
}

constexpr const char* columns =
    "SELECT platform, tenant, enterprise, bot_user, sealed_token, installed_at FROM installations";

}  // namespace

void Store::save_installation(const Installation& i) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement upsert(*writer_,
                             "INSERT INTO installations (platform, tenant, enterprise, bot_user, sealed_token,"
                             " installed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, tenant) DO UPDATE SET"
                             " enterprise = excluded.enterprise, bot_user = excluded.bot_user,"
                             " sealed_token = excluded.sealed_token, installed_at = excluded.installed_at");
    upsert.bind(1, i.platform);
    upsert.bind(2, i.tenant);
    upsert.bind(3, i.enterprise);
    upsert.bind(4, i.bot_user);
    upsert.bind(5, i.sealed_token.data(), static_cast<int>(i.sealed_token.size()));
    upsert.bind(6, i.installed_at);
    upsert.exec();
    SQLite::Statement resume(*writer_, "UPDATE subscriptions SET paused = 0 WHERE platform = ? AND tenant = ?");
    resume.bind(1, i.platform);
    resume.bind(2, i.tenant);
    resume.exec();
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("installation not saved: ") + e.what());
  }
}

std::optional<Installation> Store::installation(const std::string& platform, const std::string& tenant) {
  auto db = reader();
  SQLite::Statement q(*db, std::string(columns) + " WHERE platform = ? AND tenant = ?");
  q.bind(1, platform);
  q.bind(2, tenant);
  if (!q.executeStep()) return std::nullopt;
  return installation_from(q);
}

bool Store::remove_installation(const std::string& platform, const std::string& tenant) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement remove(*writer_, "DELETE FROM installations WHERE platform = ? AND tenant = ?");
    remove.bind(1, platform);
    remove.bind(2, tenant);
    const bool had = remove.exec() > 0;
    SQLite::Statement pause(*writer_, "UPDATE subscriptions SET paused = 1 WHERE platform = ? AND tenant = ?");
    pause.bind(1, platform);
    pause.bind(2, tenant);
    pause.exec();
    tx.commit();
    return had;
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("installation not removed: ") + e.what());
  }
}

std::vector<Installation> Store::installations(const std::string& platform) {
  auto db = reader();
  SQLite::Statement q(*db, std::string(columns) + " WHERE platform = ? ORDER BY tenant");
  q.bind(1, platform);
  std::vector<Installation> out;
  while (q.executeStep()) out.push_back(installation_from(q));
  return out;
}

}  // namespace whygo
