// One database behind every store role, as the composition root opens it: the SQLite file
// (bot/store.hpp, the embedded default) or a PostgreSQL server (bot/pg_store.hpp, for several
// replicas). Beyond the roles, what operators' verbs need: seeding, import, health, backup.
#pragma once
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bot/catalog_feed.hpp"
#include "bot/link.hpp"
#include "bot/problem.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

// One table's rows as copy-store moves them: every value as text, NULL as nullopt; binary
// columns (sealed tokens) as hex.
struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// The tables copy-store moves and their columns, the same names in both schemas, in an order
// that keeps references pointing backwards. Search data and deleted-row marks are derived and
// not copied; each database keeps its own catalog id.
struct CopiedTable {
  const char* name;
  std::vector<const char*> columns;
};
const std::vector<CopiedTable>& copied_tables();

// What a sync of the upstream page changed in the catalog, or why it changed nothing.
struct UpstreamApplied {
  std::optional<std::string> refused;          // why nothing changed (bot/catalog_import.hpp refusal())
  std::vector<Link> added;                     // new links, and links the page brought back
  std::vector<std::pair<Link, Link>> updated;  // before, after
  std::vector<Link> removed;                   // as they were
  std::size_t unchanged = 0;
  std::size_t kept = 0;  // gone from the page, kept: admins added or changed them
};

class Database : public StoreRoles, public CatalogFeed {
 public:
  // Both bases declare catalog_version(); one implementation answers for both.
  std::int64_t catalog_version() override = 0;

  virtual int schema_version() = 0;
  virtual int latest_schema_version() const = 0;
  // Where the data lives, fit for a log line (a PostgreSQL URI without its password).
  virtual std::string describe() const = 0;

  virtual bool seeded() = 0;
  // Adds new links and updates changed ones, keeping what admins changed (bot/catalog_import.hpp);
  // never deletes. One transaction, dated `now`; marks the catalog seeded.
  virtual ImportCounts import_links(const std::vector<std::string>& sections, const std::vector<Link>& links,
                                    std::int64_t now) = 0;
  // A sync of the upstream page: import_links' matching, plus what vanished from the page goes
  // when it came from the page and no admin touched it; unless that is more than
  // max_removed_share of the catalog, when nothing changes. Each change gets its audit row as
  // `upstream` (platform catalog_import::upstream_platform), so admins see it in history and the
  // next import keeps it as the page's, not an admin's. One transaction; marks the catalog seeded.
  virtual UpstreamApplied apply_upstream(const std::vector<std::string>& sections, const std::vector<Link>& links,
                                         const Actor& upstream, double max_removed_share) = 0;
  // nullopt when a write would succeed now; otherwise why not (for /readyz).
  virtual std::optional<Problem> write_problem() = 0;
  // A consistent copy at path, checked; throws StoreError saying what to do instead where the
  // database has its own tools (pg_dump).
  virtual void backup_to(const std::string& path) = 0;

  // copy-store: every copied table, read at one instant.
  virtual std::vector<TableRows> copy_out() = 0;
  // Writes the tables into this database, which must hold no link, suggestion, subscription nor
  // claim yet (StoreError otherwise), in one transaction; marks it seeded.
  virtual void copy_in(const std::vector<TableRows>& tables) = 0;
  virtual std::size_t row_count(const std::string& table) = 0;  // a table of copied_tables()

  // Hears of this process's catalog writes (catalog_written) and of other processes' (the
  // store's own watch_other_processes).
  std::unique_ptr<CatalogWatcher> watch_catalog(std::function<void()> changed) final;
  // The stores call it after committing a write that may have changed the catalog.
  void catalog_written();

 protected:
  // Calls changed within about a second of another process's catalog commit, from a thread of
  // the returned watcher's (which stops it when destroyed).
  virtual std::unique_ptr<CatalogWatcher> watch_other_processes(std::function<void()> changed) = 0;

 private:
  class Listening;
  std::mutex listeners_mutex_;
  std::list<std::function<void()>> listeners_;
};

// True for a postgresql:// or postgres:// connection URI; anything else names a SQLite file.
bool is_postgres_uri(const std::string& where);
// A URI with its password replaced by "***", for logs and messages.
std::string redact_uri(const std::string& uri);
// Opens (migrating) the SQLite file or the PostgreSQL database `where` names; throws StoreError.
std::unique_ptr<Database> open_database(const std::string& where);

}  // namespace whygo
