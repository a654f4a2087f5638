#include "bot/pg_store.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <string_view>

#include "bot/catalog_import.hpp"
#include "bot/embedded.hpp"
#include "bot/limits.hpp"
#include "bot/pg_rows.hpp"

namespace whygo {
using namespace pg_rows;
namespace {

// Migration N (1-based) brings whygo_schema from N-1 to N. Append only.
const std::array<std::string_view, 4> migrations = {embedded::pg_migration_001, embedded::pg_migration_002,
                                                    embedded::pg_migration_003, embedded::pg_migration_004};

constexpr std::size_t prune_every = 256;

Installation installation_from(const pqxx::row& r) {
  return {r[0].as<std::string>(), r[1].as<std::string>(),         r[2].as<std::string>(),
          r[3].as<std::string>(), pqxx::binarystring(r[4]).str(), r[5].as<std::int64_t>()};
}

constexpr const char* installation_columns =
    "SELECT platform, tenant, enterprise, bot_user, sealed_token, installed_at FROM installations";

PostClaim read_claim(const pqxx::row& r) {
  PostClaim c;
  c.platform = r[0].as<std::string>();
  c.channel = r[1].as<std::string>();
  c.local_date = r[2].as<std::int64_t>();
  c.link_id = r[3].as<std::int64_t>();
  const std::string status = r[4].as<std::string>();
  c.status = store_rows::stored(parse_post_status(status), "post status", status);
  c.claim_key = r[5].as<std::string>();
  c.claimed_by = r[6].as<std::string>();
  c.claimed_at = r[7].as<std::int64_t>();
  c.attempts = r[8].as<int>();
  c.reason = r[9].as<std::string>();
  return c;
}

constexpr const char* claim_columns =
    "platform, channel, local_date, link_id, status, claim_key, claimed_by, claimed_at, attempts, reason";

std::string select(const char* columns, const char* rest) {
  return store_rows::sql({"SELECT ", columns, rest});
}

}  // namespace

PgStore::PgStore(std::string uri) : uri_(std::move(uri)) {
  migrate();
}

PgStore::~PgStore() = default;

std::unique_ptr<pqxx::connection> PgStore::connect() {
  try {
    return std::make_unique<pqxx::connection>(uri_);
  } catch (const std::exception& e) {
    throw StoreError("cannot connect to PostgreSQL at " + redact_uri(uri_) + ": " + e.what() +
                     " (is the server running, and do the URI's user, password and database exist?)");
  }
}

void PgStore::run(const char* what, const std::function<void(pqxx::connection&)>& body) {
  std::unique_ptr<pqxx::connection> connection;
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) connection = connect();
  try {
    body(*connection);
  } catch (const pqxx::broken_connection& e) {
    throw StoreError(std::string(what) + ": lost the connection to PostgreSQL: " + e.what());
  } catch (const pqxx::failure& e) {
    if (connection->is_open()) {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(std::move(connection));
    }
    throw StoreError(std::string(what) + ": " + e.what());
  } catch (...) {
    if (connection->is_open()) {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(std::move(connection));
    }
    throw;
  }
  if (!connection->is_open()) return;
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(connection));
}

void PgStore::migrate() {
  // A session lock, held while every migration runs in its own transaction: a replica that
  // starts meanwhile waits here, then finds the schema current.
  auto connection = connect();
  try {
    pqxx::nontransaction session(*connection);
    session.exec_params("SELECT pg_advisory_lock($1)", migrate_lock);
    session.exec("CREATE TABLE IF NOT EXISTS whygo_schema (version INTEGER NOT NULL)");
    session.exec("INSERT INTO whygo_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM whygo_schema)");
  } catch (const pqxx::failure& e) {
    throw StoreError("cannot migrate the PostgreSQL database at " + redact_uri(uri_) + ": " + e.what());
  }
  bool migrated = false;
  try {
    for (;;) {
      pqxx::work tx(*connection);
      const int version = tx.exec("SELECT version FROM whygo_schema")[0][0].as<int>();
      if (version > static_cast<int>(migrations.size())) {
        std::string release;
        const auto note = tx.exec("SELECT value FROM meta_text WHERE key = 'migrated_by'");
        if (!note.empty()) release = note[0][0].as<std::string>();
        throw StoreError("database schema version " + std::to_string(version) + " is newer than this whygo (" +
                         WHYGO_VERSION + ") reads (" + std::to_string(migrations.size()) + " at most). " +
                         (release.empty()
                              ? "Run the newer whygo that migrated it"
                              : "It was migrated by whygo " + release + ": run that release or a later one") +
                         ", or restore a dump taken before that upgrade.");
      }
      if (version == static_cast<int>(migrations.size())) {
        if (migrated) {
          tx.exec_params(
              "INSERT INTO meta_text (key, value) VALUES ('migrated_by', $1)"
              " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
              std::string(WHYGO_VERSION));
          tx.commit();
        }
        break;
      }
      tx.exec(std::string(migrations[static_cast<std::size_t>(version)]));
      tx.exec_params("UPDATE whygo_schema SET version = $1", version + 1);
      tx.commit();
      migrated = true;
      spdlog::info("PostgreSQL {}: migrated to schema {}", redact_uri(uri_), version + 1);
    }
  } catch (const pqxx::failure& e) {
    throw StoreError("cannot migrate the PostgreSQL database at " + redact_uri(uri_) + ": " + e.what());
  }
  // Closing the session releases the lock; the connection is not pooled with a lock held.
  connection.reset();
}

int PgStore::schema_version() {
  int out = 0;
  run("schema version", [&](pqxx::connection& c) {
    pqxx::nontransaction q(c);
    out = q.exec("SELECT version FROM whygo_schema")[0][0].as<int>();
  });
  return out;
}

int PgStore::latest_schema_version() const {
  return static_cast<int>(migrations.size());
}

std::string PgStore::describe() const {
  return redact_uri(uri_);
}

bool PgStore::seeded() {
  bool out = false;
  run("seeded", [&](pqxx::connection& c) {
    pqxx::nontransaction q(c);
    out = q.exec("SELECT value FROM meta WHERE key = 'seeded'")[0][0].as<std::int64_t>() != 0;
  });
  return out;
}

std::optional<Problem> PgStore::write_problem() {
  try {
    std::optional<Problem> out;
    run("write check", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      if (tx.exec("SELECT pg_is_in_recovery()")[0][0].as<bool>()) {
        out = Problem{"the PostgreSQL server is a read-only standby"};
        return;
      }
      tx.exec("UPDATE meta SET value = value WHERE key = 'seeded'");
      tx.abort();
    });
    return out;
  } catch (const StoreError& e) {
    return Problem{e.what()};
  }
}

void PgStore::backup_to(const std::string&) {
  throw StoreError("the catalog lives in PostgreSQL (" + redact_uri(uri_) +
                   "): back it up with pg_dump, e.g. `pg_dump --format=custom --file=whygo.dump '<the WHYGO_DB "
                   "URI>'`, and restore with pg_restore; or copy it to a SQLite file with `whygo copy-store --to "
                   "FILE`");
}

ImportCounts PgStore::import_links(const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                                   std::int64_t now) {
  ImportCounts counts;
  try {
    run("import failed, nothing changed", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      lock(tx, catalog_lock);
      std::vector<Link> existing;
      for (const auto& row : tx.exec(select(link_columns, " FROM links"))) existing.push_back(read_link(row));
      const catalog_import::Plan plan = catalog_import::plan(existing, admin_edits(tx), incoming);
      write_plan(tx, sections, incoming, plan, now, /*revive=*/false,
                 [&](const catalog_import::Write& write, std::int64_t) {
                   ++(write.update_id ? counts.updated : counts.added);
                 });
      counts.unchanged = plan.unchanged;
      tx.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
      tx.commit();
    });
  } catch (const StoreError& e) {
    const std::string what = e.what();
    throw StoreError(what.rfind("import failed", 0) == 0 ? what : "import failed, nothing changed: " + what);
  }
  catalog_written();
  return counts;
}

std::vector<Link> PgStore::links() {
  std::vector<Link> out;
  run("links", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& row : tx.exec(select(store_rows::link_columns_qualified,
                                          " FROM links LEFT JOIN sections ON sections.name = links.section"
                                          " WHERE links.removed_at IS NULL ORDER BY COALESCE(sections.position,"
                                          " 1000000000), links.position, links.id")))
      out.push_back(read_link(row));
  });
  return out;
}

std::optional<Link> PgStore::link(std::int64_t id) {
  std::optional<Link> out;
  run("link", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(select(link_columns, " FROM links WHERE id = $1 AND removed_at IS NULL"), id);
    if (!r.empty()) out = read_link(r[0]);
  });
  return out;
}

std::vector<std::string> PgStore::section_names() {
  std::vector<std::string> out;
  for (auto& section : sections()) out.push_back(std::move(section.name));
  return out;
}

std::vector<SectionCount> PgStore::sections() {
  std::vector<SectionCount> out;
  run("sections", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& row : tx.exec("SELECT sections.name, COUNT(links.id) FROM sections"
                                   " LEFT JOIN links ON links.section = sections.name AND links.removed_at IS NULL"
                                   " GROUP BY sections.name, sections.position HAVING COUNT(links.id) > 0"
                                   " ORDER BY sections.position"))
      out.push_back({row[0].as<std::string>(), static_cast<std::size_t>(row[1].as<std::int64_t>())});
  });
  return out;
}

std::size_t PgStore::link_count() {
  std::size_t out = 0;
  run("link count", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    out = static_cast<std::size_t>(
        tx.exec("SELECT COUNT(*) FROM links WHERE removed_at IS NULL")[0][0].as<std::int64_t>());
  });
  return out;
}

std::int64_t PgStore::catalog_version() {
  std::int64_t out = 0;
  run("catalog version", [&](pqxx::connection& c) {
    pqxx::nontransaction q(c);
    const auto r = q.exec("SELECT value FROM meta WHERE key = 'catalog_version'");
    if (r.empty()) throw StoreError("catalog_version is missing from meta");
    out = r[0][0].as<std::int64_t>();
  });
  return out;
}

CatalogChanges PgStore::changes_since(std::int64_t version) {
  CatalogChanges out;
  run("cannot read catalog changes", [&](pqxx::connection& c) {
    // One snapshot for the rows and the version they bring an index to.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    for (const auto& row : tx.exec("SELECT key, value FROM meta WHERE key IN ('catalog_version', 'catalog_id')"))
      (row[0].as<std::string>() == "catalog_id" ? out.catalog_id : out.version) = row[1].as<std::int64_t>();
    for (const auto& row : tx.exec_params("SELECT id FROM links_deleted WHERE version > $1 ORDER BY id", version)) {
      CatalogRow deleted;
      deleted.link.id = row[0].as<std::int64_t>();
      deleted.removed = true;
      out.rows.push_back(std::move(deleted));
    }
    for (const auto& row : tx.exec_params(
             // Out of the catalog for search: removed, or dead (link health restamps the row).
             select(link_columns,
                    ", (removed_at IS NOT NULL OR EXISTS (SELECT 1 FROM link_health h WHERE h.link_id = links.id"
                    " AND h.dead <> 0 AND h.url = links.url)) FROM links WHERE version > $1 ORDER BY id"),
             version)) {
      CatalogRow written;
      written.link = read_link(row);
      written.removed = row[10].as<bool>();
      out.rows.push_back(std::move(written));
    }
  });
  return out;
}

std::string PgStore::index_location() {
  return {};
}

bool PgStore::first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix) {
  bool first = false;
  bool prune = false;
  run("cannot record event", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    first = tx.exec_params(
                  "INSERT INTO seen_events (platform, event_id, seen_at) VALUES ($1, $2, $3)"
                  " ON CONFLICT DO NOTHING",
                  platform, event_id.substr(0, limits::event_id_max_bytes), now_unix)
                .affected_rows() > 0;
    tx.commit();
  });
  if (first) {
    std::lock_guard lock(prune_mutex_);
    if (++sightings_since_prune_ >= prune_every) {
      sightings_since_prune_ = 0;
      prune = true;
    }
  }
  // Pruning scans the table, so each replica runs it once per prune_every new ids.
  if (prune) {
    const auto retention = std::chrono::duration_cast<std::chrono::seconds>(limits::seen_events_retention).count();
    run("cannot prune events", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec_params("DELETE FROM seen_events WHERE seen_at < $1", now_unix - retention);
      tx.exec_params(
          "DELETE FROM seen_events WHERE seen_at < (SELECT seen_at FROM seen_events"
          " ORDER BY seen_at DESC LIMIT 1 OFFSET $1)",
          static_cast<std::int64_t>(limits::seen_events_max));
      tx.commit();
    });
  }
  return first;
}

void PgStore::save_installation(const Installation& i) {
  run("installation not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO installations (platform, tenant, enterprise, bot_user, sealed_token, installed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, tenant) DO UPDATE SET"
        " enterprise = excluded.enterprise, bot_user = excluded.bot_user,"
        " sealed_token = excluded.sealed_token, installed_at = excluded.installed_at",
        i.platform, i.tenant, i.enterprise, i.bot_user, pqxx::binarystring(i.sealed_token), i.installed_at);
    tx.exec_params("UPDATE subscriptions SET paused = FALSE WHERE platform = $1 AND tenant = $2", i.platform, i.tenant);
    tx.commit();
  });
}

std::optional<Installation> PgStore::installation(const std::string& platform, const std::string& tenant) {
  std::optional<Installation> out;
  run("installation", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r =
        tx.exec_params(std::string(installation_columns) + " WHERE platform = $1 AND tenant = $2", platform, tenant);
    if (!r.empty()) out = installation_from(r[0]);
  });
  return out;
}

bool PgStore::remove_installation(const std::string& platform, const std::string& tenant) {
  bool had = false;
  run("installation not removed", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    had = tx.exec_params("DELETE FROM installations WHERE platform = $1 AND tenant = $2", platform, tenant)
              .affected_rows() > 0;
    tx.exec_params("UPDATE subscriptions SET paused = TRUE WHERE platform = $1 AND tenant = $2", platform, tenant);
    tx.commit();
  });
  return had;
}

std::vector<Installation> PgStore::installations(const std::string& platform) {
  std::vector<Installation> out;
  run("installations", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& row :
         tx.exec_params(std::string(installation_columns) + " WHERE platform = $1 ORDER BY tenant", platform))
      out.push_back(installation_from(row));
  });
  return out;
}

bool PgStore::subscribe(const Subscription& s) {
  bool is_new = false;
  run("subscription not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    // xmax is 0 on a row this statement inserted, the updating transaction's id otherwise.
    is_new = tx.exec_params(
                   "INSERT INTO subscriptions (platform, channel, tenant, minute, zone, created_by, created_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (platform, channel) DO UPDATE SET"
                   " tenant = excluded.tenant, minute = excluded.minute, zone = excluded.zone,"
                   " created_by = excluded.created_by, created_at = excluded.created_at RETURNING xmax = 0",
                   s.platform, s.channel, s.tenant, s.minute, s.zone, s.created_by, s.created_at)[0][0]
                 .as<bool>();
    tx.commit();
  });
  return is_new;
}

bool PgStore::unsubscribe(const std::string& platform, const std::string& channel) {
  bool had = false;
  run("unsubscribe", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    had = tx.exec_params("DELETE FROM subscriptions WHERE platform = $1 AND channel = $2", platform, channel)
              .affected_rows() > 0;
    tx.commit();
  });
  return had;
}

std::vector<Subscription> PgStore::subscriptions(const std::string& platform) {
  std::vector<Subscription> out;
  run("subscriptions", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(
             "SELECT platform, channel, tenant, minute, zone, created_by, created_at, paused FROM subscriptions"
             " WHERE $1 = '' OR platform = $1 ORDER BY platform, channel",
             platform))
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<int>(),
                     r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::int64_t>(), r[7].as<bool>()});
  });
  return out;
}

bool PgStore::claim_post(const PostClaim& claim) {
  bool mine = false;
  run("claim", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The first replica to insert the row owns the post; the others' inserts do nothing.
    mine = tx.exec_params(
                 "INSERT INTO post_claims (platform, channel, local_date, link_id, status, claim_key,"
                 " claimed_by, claimed_at) VALUES ($1, $2, $3, $4, 'claimed', $5, $6, $7)"
                 " ON CONFLICT DO NOTHING",
                 claim.platform, claim.channel, claim.local_date, claim.link_id, claim.claim_key, claim.claimed_by,
                 claim.claimed_at)
               .affected_rows() > 0;
    tx.commit();  // durable before any send
  });
  return mine;
}

std::optional<PostClaim> PgStore::post_claim(const std::string& platform, const std::string& channel,
                                             std::int64_t local_date) {
  std::optional<PostClaim> out;
  run("post claim", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        select(claim_columns, " FROM post_claims WHERE platform = $1 AND channel = $2 AND local_date = $3"), platform,
        channel, local_date);
    if (!r.empty()) out = read_claim(r[0]);
  });
  return out;
}

std::optional<PostClaim> PgStore::last_post(const std::string& platform, const std::string& channel) {
  std::optional<PostClaim> out;
  run("last post", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(select(claim_columns,
                                         " FROM post_claims WHERE platform = $1 AND channel = $2"
                                         " ORDER BY local_date DESC LIMIT 1"),
                                  platform, channel);
    if (!r.empty()) out = read_claim(r[0]);
  });
  return out;
}

void PgStore::finish_post(const std::string& platform, const std::string& channel, std::int64_t local_date,
                          PostStatus status, const std::string& reason, int attempts, std::int64_t now) {
  run("finish post", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "UPDATE post_claims SET status = $1, reason = $2, attempts = attempts + $3, done_at = $4"
        " WHERE platform = $5 AND channel = $6 AND local_date = $7",
        std::string(to_string(status)), reason, attempts, now, platform, channel, local_date);
    tx.commit();
  });
}

std::vector<PostClaim> PgStore::stale_claims(std::int64_t older_than) {
  std::vector<PostClaim> out;
  run("stale claims", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& r :
         tx.exec_params(select(claim_columns,
                               " FROM post_claims WHERE status = 'claimed' AND claimed_at < $1 ORDER BY claimed_at"),
                        older_than))
      out.push_back(read_claim(r));
  });
  return out;
}

bool PgStore::take_over_claim(const PostClaim& stale, const std::string& claimed_by, std::int64_t now) {
  bool mine = false;
  run("take over claim", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The row lock of the UPDATE makes a second replica's take-over wait, then find the claim
    // no longer matching.
    mine = tx.exec_params(
                 "UPDATE post_claims SET claimed_by = $1, claimed_at = $2 WHERE platform = $3 AND"
                 " channel = $4 AND local_date = $5 AND status = 'claimed' AND claimed_by = $6"
                 " AND claimed_at = $7",
                 claimed_by, now, stale.platform, stale.channel, stale.local_date, stale.claimed_by, stale.claimed_at)
               .affected_rows() > 0;
    tx.commit();
  });
  return mine;
}

std::vector<PostClaim> PgStore::post_claims(std::int64_t local_date) {
  std::vector<PostClaim> out;
  run("post claims", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(
             select(claim_columns, " FROM post_claims WHERE local_date = $1 ORDER BY platform, channel"), local_date))
      out.push_back(read_claim(r));
  });
  return out;
}

// Where a polling client stopped reading its platform; the last writer wins (one client per
// account runs at a time).
std::optional<std::string> PgStore::sync_position(const std::string& platform, const std::string& account) {
  std::optional<std::string> out;
  run("sync position", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r =
        tx.exec_params("SELECT position FROM sync_positions WHERE platform = $1 AND account = $2", platform, account);
    if (!r.empty()) out = r[0][0].as<std::string>();
  });
  return out;
}

void PgStore::save_sync_position(const std::string& platform, const std::string& account, const std::string& position,
                                 std::int64_t now) {
  run("sync position not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO sync_positions (platform, account, position, updated_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (platform, account) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
        platform, account, position, now);
    tx.commit();
  });
}

std::optional<UpstreamState> PgStore::upstream_state(const std::string& url) {
  std::optional<UpstreamState> out;
  run("upstream state", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT url, etag, last_modified, checked_at, changed_at, outcome FROM upstream_state WHERE url = $1", url);
    if (!r.empty())
      out = UpstreamState{r[0][0].as<std::string>(),  r[0][1].as<std::string>(),  r[0][2].as<std::string>(),
                          r[0][3].as<std::int64_t>(), r[0][4].as<std::int64_t>(), r[0][5].as<std::string>()};
  });
  return out;
}

void PgStore::save_upstream_state(const UpstreamState& state) {
  run("upstream state not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO upstream_state (url, etag, last_modified, checked_at, changed_at, outcome)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
        " last_modified = excluded.last_modified, checked_at = excluded.checked_at,"
        " changed_at = excluded.changed_at, outcome = excluded.outcome",
        state.url, state.etag, state.last_modified, state.checked_at, state.changed_at, state.outcome);
    tx.commit();
  });
}

bool PgStore::claim_upstream_sync(std::int64_t period, const std::string& claimed_by, std::int64_t now) {
  bool claimed = false;
  run("sync claim not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    claimed = tx.exec_params(
                    "INSERT INTO upstream_claims (period, claimed_by, claimed_at) VALUES ($1, $2, $3)"
                    " ON CONFLICT (period) DO NOTHING",
                    period, claimed_by, now)
                  .affected_rows() > 0;
    tx.commit();
  });
  return claimed;
}

}  // namespace whygo
