#include "bot/store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "bot/catalog_import.hpp"
#include "bot/embedded.hpp"
#include "bot/limits.hpp"
#include "bot/store_rows.hpp"
#include "bot/url.hpp"

namespace whygo {
using namespace store_rows;
namespace {

// Migration N (1-based) brings user_version from N-1 to N. Append only.
const std::array<std::string_view, 12> migrations = {
    embedded::migration_001, embedded::migration_002, embedded::migration_003, embedded::migration_004,
    embedded::migration_005, embedded::migration_006, embedded::migration_007, embedded::migration_008,
    embedded::migration_009, embedded::migration_010, embedded::migration_011, embedded::migration_012};

constexpr int busy_timeout_ms = 5000;
constexpr std::size_t prune_every = 256;

}  // namespace

Store::Store(std::string path) : path_(std::move(path)) {
  try {
    writer_ = connect();
    check_integrity();
    writer_->exec("PRAGMA journal_mode = WAL");
    migrate();
    fill_url_keys();
  } catch (const SQLite::Exception& e) {
    throw StoreError("cannot open database " + path_ + ": " + e.what() +
                     " (does its folder exist, and may whygo write there? `whygo config check` tells)");
  }
}

Store::~Store() = default;

namespace {

std::string damaged(const std::string& path, const std::string& what) {
  return "database " + path + " is damaged (" + what +
         "); whygo will not use it. Stop whygo, put the latest backup (whygo backup) in its place, or try to "
         "recover what is left with `sqlite3 " +
         path + " .recover`.";
}

// The first problems a check reports ("ok" alone when there are none).
std::vector<std::string> check_rows(SQLite::Database& db, const char* pragma) {
  std::vector<std::string> problems;
  SQLite::Statement q(db, pragma);
  while (q.executeStep()) {
    const std::string row = q.getColumn(0).getString();
    if (row != "ok") problems.push_back(row);
  }
  return problems;
}

}  // namespace

// A damaged page is otherwise found only when something reads it: the start would succeed,
// /readyz say ready, and backups copy the damage. So every open checks the file first, within a
// time budget: a file too large to check in time is served, with a warning.
void Store::check_integrity() {
  sqlite3* handle = writer_->getHandle();
  const auto deadline = std::chrono::steady_clock::now() + limits::startup_check_budget;
  sqlite3_progress_handler(
      handle, 10'000,
      [](void* until) {
        return std::chrono::steady_clock::now() > *static_cast<const std::chrono::steady_clock::time_point*>(until) ? 1
                                                                                                                    : 0;
      },
      const_cast<std::chrono::steady_clock::time_point*>(&deadline));
  std::vector<std::string> problems;
  try {
    problems = check_rows(*writer_, "PRAGMA quick_check(5)");
  } catch (const SQLite::Exception& e) {
    sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    if (e.getErrorCode() == SQLITE_INTERRUPT) {
      spdlog::warn("database {}: PRAGMA quick_check did not finish within {} ms; serving it unchecked", path_,
                   limits::startup_check_budget.count());
      return;
    }
    if (e.getErrorCode() == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_NOTADB)
      throw StoreError(damaged(path_, e.what()));
    throw;
  }
  sqlite3_progress_handler(handle, 0, nullptr, nullptr);
  if (!problems.empty()) throw StoreError(damaged(path_, "PRAGMA quick_check: " + problems.front()));
}

std::unique_ptr<SQLite::Database> Store::connect() {
  auto db = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db->setBusyTimeout(busy_timeout_ms);
  db->exec("PRAGMA foreign_keys = ON");
  db->exec("PRAGMA synchronous = NORMAL");  // durable in WAL mode across process crashes
  return db;
}

Store::Lease Store::reader() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<Connection>(Connection{connect(), {}}));
}

void Store::migrate() {
  std::lock_guard lock(write_mutex_);
  bool migrated = false;
  for (;;) {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    const int version = writer_->execAndGet("PRAGMA user_version").getInt();
    if (version > static_cast<int>(migrations.size())) {
      // An older whygo meets a newer database: say which release reads it.
      std::string release;
      try {
        SQLite::Statement q(*writer_, "SELECT value FROM meta WHERE key = 'migrated_by'");
        if (q.executeStep()) release = q.getColumn(0).getString();
      } catch (const SQLite::Exception&) {
        // A schema without meta, or a damaged one: the message stays general.
      }
      throw StoreError("database schema version " + std::to_string(version) + " is newer than this whygo (" +
                       WHYGO_VERSION + ") reads (" + std::to_string(migrations.size()) + " at most). " +
                       (release.empty() ? "Run the newer whygo that migrated it"
                                        : "It was migrated by whygo " + release + ": run that release or a later one") +
                       ", or restore a backup taken before that upgrade.");
    }
    if (version == static_cast<int>(migrations.size())) {
      if (migrated) {
        // The release that wrote this schema, for an older whygo that meets it later.
        SQLite::Statement note(*writer_,
                               "INSERT INTO meta (key, value) VALUES ('migrated_by', ?)"
                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        note.bind(1, WHYGO_VERSION);
        note.exec();
        tx.commit();
      }
      return;
    }
    writer_->exec(std::string(migrations[static_cast<std::size_t>(version)]));
    writer_->exec("PRAGMA user_version = " + std::to_string(version + 1));
    tx.commit();
    migrated = true;
  }
}

// Rows written before url_key existed (schema 3) get theirs; the key is computed in C++.
void Store::fill_url_keys() {
  std::lock_guard lock(write_mutex_);
  SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement pending(*writer_, "SELECT id, url FROM links WHERE url_key = ''");
  SQLite::Statement fill(*writer_, "UPDATE links SET url_key = ? WHERE id = ?");
  while (pending.executeStep()) {
    fill.bind(1, url::key(pending.getColumn(1).getString()));
    fill.bind(2, pending.getColumn(0).getInt64());
    fill.exec();
    fill.reset();
  }
  tx.commit();
}

std::optional<Problem> Store::write_problem() {
  // A full disk fails the next write (SQLITE_FULL), not this probe, which rolls back: ask the
  // file system how much room is left for the write-ahead log and checkpoints.
  struct statvfs disk {};
  const std::string folder = std::filesystem::path(path_).parent_path().string();
  if (::statvfs(folder.empty() ? "." : folder.c_str(), &disk) == 0) {
    const auto free_bytes = static_cast<unsigned long long>(disk.f_bavail) * disk.f_frsize;
    if (free_bytes < limits::disk_free_min_bytes)
      return Problem{"the disk is too full to write: " + std::to_string(free_bytes / 1024) + " KiB free where " +
                     path_ + " lives, less than " + std::to_string(limits::disk_free_min_bytes / (1024 * 1024)) +
                     " MiB"};
  }
  // SQLite may reuse a descriptor this process already holds, so ask the file system first:
  // a file that cannot be opened for writing now (read-only mount, immutable) is not writable.
  const int fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Problem{path_ + ": " + std::strerror(errno)};
  ::close(fd);
  try {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(busy_timeout_ms);
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("UPDATE meta SET value = value WHERE key = 'seeded'");
    return std::nullopt;  // the transaction rolls back
  } catch (const SQLite::Exception& e) {
    return Problem{e.what()};
  }
}

void Store::backup_to(const std::string& path) {
  std::error_code ignored;
  const bool existed = std::filesystem::exists(path, ignored);
  const auto remove_copy = [&] {
    if (existed) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ignored);
  };
  std::vector<std::string> problems;
  try {
    std::unique_ptr<SQLite::Database> target;
    try {
      auto db = reader();
      target = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup backup(*target, *db);
      backup.executeStep(-1);  // every page in one step: a consistent snapshot
    } catch (const SQLite::Exception& e) {
      target.reset();
      remove_copy();
      throw StoreError("backup to " + path + " failed: " + e.what());
    }
    // A backup copies pages as they are, damage included: it is good only once checked whole.
    problems = check_rows(*target, "PRAGMA integrity_check(5)");
  } catch (const SQLite::Exception& e) {
    problems.emplace_back(e.what());  // a page too damaged to be read at all
  }
  if (problems.empty()) return;
  remove_copy();
  throw StoreError("backup to " + path + " failed: the copy is damaged (PRAGMA integrity_check: " + problems.front() +
                   ") and was removed; " + path_ + " itself is likely damaged. Keep the previous backup.");
}

int Store::schema_version() {
  auto db = reader();
  return (*db).execAndGet("PRAGMA user_version").getInt();
}

std::string Store::describe() const {
  return path_;
}

int Store::latest_schema_version() const {
  return static_cast<int>(migrations.size());
}

bool Store::seeded() {
  auto db = reader();
  return (*db).execAndGet("SELECT value FROM meta WHERE key = 'seeded'").getInt() != 0;
}

ImportCounts Store::import_links(const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                                 std::int64_t now) {
  std::lock_guard lock(write_mutex_);
  SQLite::Database& db = *writer_;
  ImportCounts counts;
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);

    std::vector<Link> existing;
    {
      SQLite::Statement q(db, sql({"SELECT ", link_columns, " FROM links"}));
      while (q.executeStep()) existing.push_back(read_link(q));
    }
    const catalog_import::Plan plan = catalog_import::plan(existing, admin_edits(db), incoming);
    write_plan(
        db, sections, incoming, plan, now, /*revive=*/false,
        [&](const catalog_import::Write& write, std::int64_t) { ++(write.update_id ? counts.updated : counts.added); });
    counts.unchanged = plan.unchanged;
    db.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("import failed, nothing changed: ") + e.what());
  }
  catalog_written();
  return counts;
}

std::vector<Link> Store::links() {
  auto db = reader();
  SQLite::Statement q(
      *db,
      sql({"SELECT ", link_columns,
           " FROM links LEFT JOIN sections ON sections.name = links.section"
           " WHERE links.removed_at IS NULL ORDER BY COALESCE(sections.position, 1e9), links.position, links.id"}));
  std::vector<Link> out;
  while (q.executeStep()) out.push_back(read_link(q));
  return out;
}

std::optional<Link> Store::link(std::int64_t id) {
  auto db = reader();
  SQLite::Statement q(*db, sql({"SELECT ", link_columns, " FROM links WHERE id = ? AND removed_at IS NULL"}));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_link(q);
}

std::vector<std::string> Store::section_names() {
  std::vector<std::string> out;
  for (auto& section : sections()) out.push_back(std::move(section.name));
  return out;
}

std::vector<SectionCount> Store::sections() {
  auto db = reader();
  SQLite::Statement q(*db,
                      "SELECT sections.name, COUNT(links.id) FROM sections"
                      " LEFT JOIN links ON links.section = sections.name AND links.removed_at IS NULL"
                      " GROUP BY sections.name HAVING COUNT(links.id) > 0 ORDER BY sections.position");
  std::vector<SectionCount> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getString(), static_cast<std::size_t>(q.getColumn(1).getInt64())});
  return out;
}

std::size_t Store::link_count() {
  auto db = reader();
  return static_cast<std::size_t>((*db).execAndGet("SELECT COUNT(*) FROM links WHERE removed_at IS NULL").getInt64());
}

std::int64_t Store::catalog_version() {
  auto db = reader();
  auto& q = db.prepared("SELECT value FROM meta WHERE key = 'catalog_version'");
  if (!q.executeStep()) throw StoreError("catalog_version is missing from meta");
  return q.getColumn(0).getInt64();
}

// Out of the catalog for search: removed, or dead (link health; restamped when that changes).
constexpr const char* removed_or_dead =
    "(removed_at IS NOT NULL OR EXISTS (SELECT 1 FROM link_health h WHERE h.link_id = links.id AND h.dead <> 0 AND "
    "h.url = links.url))";

CatalogChanges Store::changes_since(std::int64_t version) {
  auto db = reader();
  CatalogChanges out;
  try {
    // One read transaction: the rows and the version they bring an index to are one snapshot.
    SQLite::Transaction snapshot(*db, SQLite::TransactionBehavior::DEFERRED);
    auto& meta = db.prepared("SELECT key, value FROM meta WHERE key IN ('catalog_version', 'catalog_id')");
    while (meta.executeStep())
      (meta.getColumn(0).getString() == "catalog_id" ? out.catalog_id : out.version) = meta.getColumn(1).getInt64();
    auto& deleted = db.prepared("SELECT id FROM links_deleted WHERE version > ? ORDER BY id");
    deleted.bind(1, version);
    while (deleted.executeStep()) {
      CatalogRow row;
      row.link.id = deleted.getColumn(0).getInt64();
      row.removed = true;
      out.rows.push_back(std::move(row));
    }
    auto& written =
        db.prepared(sql({"SELECT ", link_columns, ", ", removed_or_dead, " FROM links WHERE version > ? ORDER BY id"}));
    written.bind(1, version);
    while (written.executeStep()) {
      CatalogRow row;
      row.link = read_link(written);
      row.removed = written.getColumn(10).getInt() != 0;
      out.rows.push_back(std::move(row));
    }
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("cannot read catalog changes: ") + e.what());
  }
  return out;
}

std::string Store::index_location() {
  if (path_.empty() || path_ == ":memory:") return {};
  return path_ + "-search";
}

}  // namespace whygo

namespace whygo {

bool Store::first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix) {
  std::lock_guard lock(write_mutex_);
  SQLite::Database& db = *writer_;
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db, "INSERT OR IGNORE INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)");
    insert.bind(1, platform);
    insert.bind(2, event_id.substr(0, limits::event_id_max_bytes));
    insert.bind(3, now_unix);
    const bool first = insert.exec() > 0;
    // Pruning scans the table, so it runs once per prune_every new ids, not on every one.
    if (first && ++sightings_since_prune_ >= prune_every) {
      sightings_since_prune_ = 0;
      const auto retention = std::chrono::duration_cast<std::chrono::seconds>(limits::seen_events_retention).count();
      SQLite::Statement prune_old(db, "DELETE FROM seen_events WHERE seen_at < ?");
      prune_old.bind(1, now_unix - retention);
      prune_old.exec();
      SQLite::Statement prune_many(db,
                                   "DELETE FROM seen_events WHERE seen_at < (SELECT seen_at FROM seen_events"
                                   " ORDER BY seen_at DESC LIMIT 1 OFFSET ?)");
      prune_many.bind(1, static_cast<std::int64_t>(limits::seen_events_max));
      prune_many.exec();
    }
    tx.commit();
    return first;
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("cannot record event: ") + e.what());
  }
}

}  // namespace whygo
