// What search reads from the store that keeps the catalog: the links written since a version.
// The store implements it; the search index (bot/search_index.hpp) follows it and knows no SQL,
// so any store can feed the same search.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bot/link.hpp"

namespace whygo {

struct CatalogRow {
  Link link;             // only the id is meaningful when removed
  bool removed = false;  // out of the catalog (removed or deleted): out of the index too
};

struct CatalogChanges {
  std::int64_t catalog_id = 0;   // which catalog: a copy of another database has another id
  std::int64_t version = 0;      // the catalog version these rows bring an index up to
  std::vector<CatalogRow> rows;  // written after the version asked for: deleted ids, then rows by id
};

// Watches a catalog while it lives (watch_catalog); destroying it stops the watching.
class CatalogWatcher {
 public:
  virtual ~CatalogWatcher() = default;
};

class CatalogFeed {
 public:
  virtual ~CatalogFeed() = default;
  // Moves with every write to the catalog, from any process. Read from the store: searches ask
  // a CatalogWatch (bot/catalog_watch.hpp) instead, which keeps it in memory.
  virtual std::int64_t catalog_version() = 0;
  // Calls `changed` whenever catalog_version() may have moved: after this process committed a
  // catalog write (on the writing thread, before the write returns), and within about a second
  // of another process's commit (from a thread of the watcher's). Until the watcher goes.
  virtual std::unique_ptr<CatalogWatcher> watch_catalog(std::function<void()> changed) = 0;
  // The links written after `version` (every link for -1), read at one instant.
  virtual CatalogChanges changes_since(std::int64_t version) = 0;
  // A folder in which an index derived from this catalog may be kept between runs; "" when the
  // store has no place of its own (the index then lives in a temporary folder).
  virtual std::string index_location() = 0;
};

}  // namespace whygo
