// Store: link health (what the checker last saw of each link).
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"

namespace whygo {
using namespace store_rows;
namespace {

constexpr const char* health_columns =
    "link_id, url, status, final_url, error, checked_at, last_success, failures, failing_since, dead, fix_url, "
    "archive_url, archive_checked_at";

LinkHealth read_health(SQLite::Statement& q) {
  LinkHealth h;
  h.link_id = q.getColumn(0).getInt64();
  h.url = q.getColumn(1).getString();
  h.status = q.getColumn(2).getInt();
  h.final_url = q.getColumn(3).getString();
  h.error = q.getColumn(4).getString();
  h.checked_at = q.getColumn(5).getInt64();
  h.last_success = q.getColumn(6).getInt64();
  h.failures = q.getColumn(7).getInt();
  h.failing_since = q.getColumn(8).getInt64();
  h.dead = q.getColumn(9).getInt() != 0;
  h.fix_url = q.getColumn(10).getString();
  h.archive_url = q.getColumn(11).getString();
  h.archive_checked_at = q.getColumn(12).getInt64();
  return h;
}

}  // namespace

std::optional<LinkHealth> Store::link_health(std::int64_t link_id) {
  auto db = reader();
  SQLite::Statement q(*db, sql({"SELECT ", health_columns, " FROM link_health WHERE link_id = ?"}));
  q.bind(1, link_id);
  if (!q.executeStep()) return std::nullopt;
  return read_health(q);
}

std::vector<LinkHealth> Store::link_healths(bool fixes_only) {
  auto db = reader();
  SQLite::Statement q(*db, sql({"SELECT ", health_columns,
                                " FROM link_health WHERE link_id IN (SELECT id FROM links WHERE removed_at IS NULL)",
                                fixes_only ? " AND fix_url <> ''" : "", " ORDER BY link_id"}));
  std::vector<LinkHealth> out;
  while (q.executeStep()) out.push_back(read_health(q));
  return out;
}

void Store::save_link_health(const LinkHealth& h) {
  std::lock_guard lock(write_mutex_);
  bool restamped = false;
  try {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement was(*writer_, "SELECT dead FROM link_health WHERE link_id = ?");
    was.bind(1, h.link_id);
    const bool was_dead = was.executeStep() && was.getColumn(0).getInt() != 0;
    SQLite::Statement upsert(*writer_, sql({"INSERT OR REPLACE INTO link_health (", health_columns,
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"}));
    upsert.bind(1, h.link_id);
    upsert.bind(2, h.url);
    upsert.bind(3, h.status);
    upsert.bind(4, h.final_url);
    upsert.bind(5, h.error);
    upsert.bind(6, h.checked_at);
    upsert.bind(7, h.last_success);
    upsert.bind(8, h.failures);
    upsert.bind(9, h.failing_since);
    upsert.bind(10, h.dead ? 1 : 0);
    upsert.bind(11, h.fix_url);
    upsert.bind(12, h.archive_url);
    upsert.bind(13, h.archive_checked_at);
    upsert.exec();
    // Dying or coming back restamps the link (links_after_update), so every search index
    // follows: changes_since reports a dead link as out of the catalog.
    restamped = was_dead != h.dead;
    if (restamped) {
      SQLite::Statement touch(*writer_, "UPDATE links SET updated_at = updated_at WHERE id = ?");
      touch.bind(1, h.link_id);
      touch.exec();
    }
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("link health not saved: ") + e.what());
  }
  if (restamped) catalog_written();  // this process's searches see it before we return
}

HealthCounts Store::health_counts() {
  auto db = reader();
  HealthCounts c;
  SQLite::Statement q(*db,
                      "SELECT COUNT(*), COALESCE(SUM(dead = 0 AND failures = 0 AND status BETWEEN 200 AND 299), 0),"
                      " COALESCE(SUM(fix_url <> ''), 0), COALESCE(SUM(dead), 0),"
                      " COALESCE(SUM(dead = 0 AND failures > 0), 0)"
                      " FROM link_health WHERE link_id IN (SELECT id FROM links WHERE removed_at IS NULL)");
  if (q.executeStep()) {
    c.checked = static_cast<std::size_t>(q.getColumn(0).getInt64());
    c.alive = static_cast<std::size_t>(q.getColumn(1).getInt64());
    c.redirected = static_cast<std::size_t>(q.getColumn(2).getInt64());
    c.dead = static_cast<std::size_t>(q.getColumn(3).getInt64());
    c.failing = static_cast<std::size_t>(q.getColumn(4).getInt64());
  }
  return c;
}

std::vector<Link> Store::links_to_check(std::int64_t checked_before, std::size_t count) {
  auto db = reader();
  SQLite::Statement q(*db, sql({"SELECT ", link_columns_qualified,
                                " FROM links LEFT JOIN link_health h ON h.link_id = links.id"
                                " WHERE links.removed_at IS NULL AND (h.link_id IS NULL OR h.checked_at < ?"
                                " OR h.url <> links.url)"
                                " ORDER BY COALESCE(h.checked_at, 0), links.id LIMIT ?"}));
  q.bind(1, checked_before);
  q.bind(2, static_cast<std::int64_t>(count));
  std::vector<Link> out;
  while (q.executeStep()) out.push_back(read_link(q));
  return out;
}

}  // namespace whygo
