#include "bot/catalog_watch.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace whygo {

CatalogWatch::CatalogWatch(CatalogFeed& source) : source_(source) {
  // Watching first, then reading: a change between the two is not missed.
  watcher_ = source_.watch_catalog([this] { refresh(); });
  version_.store(source_.catalog_version());
}

CatalogWatch::~CatalogWatch() {
  watcher_.reset();  // no refresh runs after this
}

void CatalogWatch::refresh() {
  std::int64_t read = 0;
  try {
    read = source_.catalog_version();
  } catch (const std::exception& e) {
    spdlog::warn("catalog version not read (searches keep version {}): {}", version_.load(), e.what());
    return;
  }
  // Versions only grow: a slower reader's older answer does not win.
  std::int64_t seen = version_.load();
  while (read > seen && !version_.compare_exchange_weak(seen, read)) {
  }
}

}  // namespace whygo
