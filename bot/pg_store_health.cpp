// PgStore: link health (what the checker last saw of each link), as the SQLite store keeps it.
#include <pqxx/pqxx>

#include "bot/pg_rows.hpp"
#include "bot/pg_store.hpp"

namespace whygo {
using namespace pg_rows;
namespace {

constexpr const char* health_columns =
    "link_id, url, status, final_url, error, checked_at, last_success, failures, failing_since, dead, fix_url, "
    "archive_url, archive_checked_at";

LinkHealth read_health(const pqxx::row& r) {
  LinkHealth h;
  h.link_id = r[0].as<std::int64_t>();
  h.url = r[1].as<std::string>();
  h.status = r[2].as<int>();
  h.final_url = r[3].as<std::string>();
  h.error = r[4].as<std::string>();
  h.checked_at = r[5].as<std::int64_t>();
  h.last_success = r[6].as<std::int64_t>();
  h.failures = r[7].as<int>();
  h.failing_since = r[8].as<std::int64_t>();
  h.dead = r[9].as<int>() != 0;
  h.fix_url = r[10].as<std::string>();
  h.archive_url = r[11].as<std::string>();
  h.archive_checked_at = r[12].as<std::int64_t>();
  return h;
}

}  // namespace

std::optional<LinkHealth> PgStore::link_health(std::int64_t link_id) {
  std::optional<LinkHealth> out;
  run("link health", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r =
        tx.exec_params(store_rows::sql({"SELECT ", health_columns, " FROM link_health WHERE link_id = $1"}), link_id);
    out = r.empty() ? std::nullopt : std::optional(read_health(r[0]));
  });
  return out;
}

std::vector<LinkHealth> PgStore::link_healths(bool fixes_only) {
  std::vector<LinkHealth> out;
  run("link health", [&](pqxx::connection& c) {
    out.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r :
         tx.exec(store_rows::sql({"SELECT ", health_columns,
                                  " FROM link_health WHERE link_id IN (SELECT id FROM links WHERE removed_at IS NULL)",
                                  fixes_only ? " AND fix_url <> ''" : "", " ORDER BY link_id"})))
      out.push_back(read_health(r));
  });
  return out;
}

void PgStore::save_link_health(const LinkHealth& h) {
  bool restamped = false;
  run("link health not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto was = tx.exec_params("SELECT dead FROM link_health WHERE link_id = $1 FOR UPDATE", h.link_id);
    const bool was_dead = !was.empty() && was[0][0].as<int>() != 0;
    tx.exec_params(store_rows::sql({"INSERT INTO link_health (", health_columns,
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                                    " ON CONFLICT (link_id) DO UPDATE SET url = excluded.url, status = excluded.status,"
                                    " final_url = excluded.final_url, error = excluded.error,"
                                    " checked_at = excluded.checked_at, last_success = excluded.last_success,"
                                    " failures = excluded.failures, failing_since = excluded.failing_since,"
                                    " dead = excluded.dead, fix_url = excluded.fix_url,"
                                    " archive_url = excluded.archive_url,"
                                    " archive_checked_at = excluded.archive_checked_at"}),
                   h.link_id, h.url, h.status, h.final_url, h.error, h.checked_at, h.last_success, h.failures,
                   h.failing_since, h.dead ? 1 : 0, h.fix_url, h.archive_url, h.archive_checked_at);
    // Dying or coming back restamps the link (links_stamp), so every replica's search follows.
    restamped = was_dead != h.dead;
    if (restamped) tx.exec_params("UPDATE links SET updated_at = updated_at WHERE id = $1", h.link_id);
    tx.commit();
  });
  if (restamped) catalog_written();  // this process's searches see it before we return
}

HealthCounts PgStore::health_counts() {
  HealthCounts out;
  run("link health counts", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE dead = 0 AND failures = 0 AND status BETWEEN 200 AND 299),"
        " COUNT(*) FILTER (WHERE fix_url <> ''), COUNT(*) FILTER (WHERE dead <> 0),"
        " COUNT(*) FILTER (WHERE dead = 0 AND failures > 0)"
        " FROM link_health WHERE link_id IN (SELECT id FROM links WHERE removed_at IS NULL)");
    out.checked = static_cast<std::size_t>(r[0][0].as<std::int64_t>());
    out.alive = static_cast<std::size_t>(r[0][1].as<std::int64_t>());
    out.redirected = static_cast<std::size_t>(r[0][2].as<std::int64_t>());
    out.dead = static_cast<std::size_t>(r[0][3].as<std::int64_t>());
    out.failing = static_cast<std::size_t>(r[0][4].as<std::int64_t>());
  });
  return out;
}

std::vector<Link> PgStore::links_to_check(std::int64_t checked_before, std::size_t count) {
  std::vector<Link> out;
  run("links to check", [&](pqxx::connection& c) {
    out.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r :
         tx.exec_params(store_rows::sql({"SELECT ", store_rows::link_columns_qualified,
                                         " FROM links LEFT JOIN link_health h ON h.link_id = links.id"
                                         " WHERE links.removed_at IS NULL AND (h.link_id IS NULL OR h.checked_at < $1"
                                         " OR h.url <> links.url)"
                                         " ORDER BY COALESCE(h.checked_at, 0), links.id LIMIT $2"}),
                        checked_before, static_cast<std::int64_t>(count)))
      out.push_back(read_link(r));
  });
  return out;
}

}  // namespace whygo
