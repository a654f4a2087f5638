// The catalog version kept in memory, so a search never asks the store for it: read once at
// start, then again only when the store says it may have moved (CatalogFeed::watch_catalog):
// synchronously after a write through this process, so an admin's change is searchable before
// the reply is sent, and within about a second of another process's (a replica's on
// PostgreSQL, or `whygo ask add` / `whygo import` beside `whygo serve` on SQLite).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "bot/catalog_feed.hpp"

namespace whygo {

class CatalogWatch final : public CatalogFeed {
 public:
  // Reads the version and starts watching; throws StoreError when the store cannot be read.
  explicit CatalogWatch(CatalogFeed& source);
  ~CatalogWatch() override;
  CatalogWatch(const CatalogWatch&) = delete;
  CatalogWatch& operator=(const CatalogWatch&) = delete;

  // The last version heard of: no store access.
  std::int64_t catalog_version() override { return version_.load(std::memory_order_acquire); }
  CatalogChanges changes_since(std::int64_t version) override { return source_.changes_since(version); }
  std::string index_location() override { return source_.index_location(); }
  std::unique_ptr<CatalogWatcher> watch_catalog(std::function<void()> changed) override {
    return source_.watch_catalog(std::move(changed));
  }

  // Reads the version from the store now (what the watcher does when told of a change). A read
  // that fails is logged; the version stays as it was until the next change or poll.
  void refresh();

 private:
  CatalogFeed& source_;
  std::atomic<std::int64_t> version_{-1};
  std::unique_ptr<CatalogWatcher> watcher_;
};

}  // namespace whygo
