// Wires the core together: the store (seeded with the bundled catalog on first start), the
// synonyms, the search and the dispatcher with every built-in command registered.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "bot/catalog_watch.hpp"
#include "bot/clock.hpp"
#include "bot/config.hpp"
#include "bot/database.hpp"
#include "bot/dispatcher.hpp"
#include "bot/search.hpp"
#include "bot/upstream_sync.hpp"

namespace whygo {

class App {
 public:
  // Opens the database config.db names: a SQLite file, or PostgreSQL for a postgresql:// URI.
  // Throws StoreError (database) or std::runtime_error (unreadable synonyms file). A new
  // database gets the bundled catalog unless seed_new is false (`import` brings its own).
  // It follows the upstream page (config.upstream_url) through the safe fetcher, opened to
  // config.fetch_allow: `whygo sync`, the `sync` command and serve's schedule.
  App(const Config& config, const Clock& clock, bool seed_new = true);

  const Config& config() const { return config_; }

  Database& store() { return *store_; }
  Search& search() { return *search_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  const Clock& clock() const { return clock_; }
  upstream::Syncer* syncer() { return syncer_.get(); }

 private:
  Config config_;
  const Clock& clock_;
  std::unique_ptr<Database> store_;
  std::unique_ptr<CatalogWatch> watch_;
  std::unique_ptr<Search> search_;
  std::unique_ptr<upstream::Syncer> syncer_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

// Imports wiki markdown into the store, dated `now` (unix seconds); returns what changed.
ImportCounts import_wiki(Database& store, std::string_view markdown, std::int64_t now);

}  // namespace whygo
