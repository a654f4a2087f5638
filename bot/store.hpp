// The one place SQL lives: catalog, full-text index and counters in a SQLite file (WAL mode,
// schema versioned with PRAGMA user_version and migrated at open). Safe to share between
// threads: reads use pooled connections, writes are serialised.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "link.hpp"

namespace SQLite {
class Database;
}

namespace whygo {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SectionCount {
  std::string name;
  std::size_t links = 0;
};

struct ImportCounts {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
};

struct Term {
  std::string text;
  std::int64_t links = 0;  // how many links hold it
};

struct Match {
  Link link;
  double bm25 = 0;  // SQLite's bm25(): lower is better
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database; throws StoreError.
  explicit Store(std::string path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version();
  int latest_schema_version() const;

  // Catalog
  bool seeded();
  // Adds new links and updates changed ones, matching by (url, title), then by url alone; never
  // deletes. One transaction; marks the catalog seeded.
  ImportCounts import_links(const std::vector<std::string>& sections, const std::vector<Link>& links);
  std::vector<Link> links();  // in catalog order: section, then position
  std::optional<Link> link(std::int64_t id);
  std::vector<std::string> section_names();
  std::vector<SectionCount> sections();
  std::size_t link_count();
  std::int64_t catalog_version();

  // Search support: an FTS5 MATCH expression, best first by bm25 with column weights.
  std::vector<Match> match(const std::string& fts_expression, std::size_t limit);
  std::vector<Term> vocabulary();  // every indexed word

  // Inbound de-duplication: records (platform, id) and returns true the first time it is seen,
  // false for a repeat. Prunes ids older than the retention, and the oldest past the cap.
  bool first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix);

 private:
  class Lease;
  Lease reader();
  std::unique_ptr<SQLite::Database> connect();
  void migrate();

  std::string path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<SQLite::Database>> idle_;
  std::mutex write_mutex_;
  std::unique_ptr<SQLite::Database> writer_;
  std::size_t sightings_since_prune_ = 0;
};

}  // namespace whygo
