// The search index: a Xapian database derived from the catalog. It is kept in a folder beside
// the catalog (CatalogFeed::index_location), so a restart finds it ready, and it follows the
// catalog by version: whoever sees a newer catalog version applies the rows written since the
// version the index holds, under a file lock, so several processes (the server, `whygo ask` and
// `whygo import` beside it) share one index. It is rebuilt from the store whenever it cannot be
// trusted: missing, damaged, written by another format, ahead of the store (a restored backup)
// or built from another catalog (a copied database).
//
// Folder layout: `lock` (flock'd by the process that writes), `current` (the name of the live
// database folder), and that folder, `g<N>`. A rebuild writes `g<N+1>` and then switches
// `current`, so readers never see a half-built index.
#pragma once
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "bot/catalog_feed.hpp"
#include "bot/link.hpp"

namespace whygo {

struct SearchIndexError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SearchIndex {
 public:
  // Links indexed so far out of how many, while the index is built or brought up to date.
  using Progress = std::function<void(std::size_t done, std::size_t total)>;

  // Opens the index and brings it up to the feed's version, waiting as long as `wait` for
  // another process that is writing it. Throws SearchIndexError when that fails.
  SearchIndex(CatalogFeed& feed, std::chrono::milliseconds wait, const Progress& progress = {});
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Brings the index up to at least `version` (a version the feed reported); cheap when it is
  // there. False when it could not within `wait` (another process holds the lock, or writing
  // failed: logged): the readers then still see the version they saw before.
  bool follow(std::int64_t version, std::chrono::milliseconds wait, const Progress& progress = {});

  // The catalog version the index holds (at least).
  std::int64_t version() const { return version_.load(); }

  // Runs fn(const Xapian::Database&) on a reader of this index (one per thread at a time), at
  // version() or later. A reader whose files another process's rebuild took away is opened
  // again and fn retried.
  template <typename Fn>
  auto read(Fn&& fn) -> decltype(fn(std::declval<const Xapian::Database&>()));

  std::size_t size();  // links in the index
  const std::string& folder() const { return root_; }

  // The link a document holds (the rows shown come from the index, not the store).
  static Link link_of(const Xapian::Document& document);

 private:
  struct Reader {
    std::unique_ptr<Xapian::Database> db;
    std::uint64_t generation = 0;
  };
  std::unique_ptr<Reader> take_reader();
  void give_back(std::unique_ptr<Reader> reader);
  bool update(std::chrono::milliseconds wait, const Progress& progress);
  void rebuild(const std::string& why, const Progress& progress);
  std::string live_folder() const;  // "" when there is none yet

  CatalogFeed& feed_;
  std::string root_;
  bool temporary_ = false;  // root_ is ours alone and goes with this object
  std::mutex update_mutex_;
  std::atomic<std::int64_t> version_{-1};
  std::atomic<std::uint64_t> generation_{1};  // moves when readers must open the index again
  // While another process writes the index (a rebuild takes seconds), queries do not queue up
  // behind it: after one waited in vain, the next second's do not wait.
  std::chrono::steady_clock::time_point busy_until_;  // guarded by update_mutex_
  bool busy_logged_ = false;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Reader>> idle_;
};

template <typename Fn>
auto SearchIndex::read(Fn&& fn) -> decltype(fn(std::declval<const Xapian::Database&>())) {
  for (int attempt = 0;; ++attempt) {
    try {
      auto reader = take_reader();
      if constexpr (std::is_void_v<decltype(fn(*reader->db))>) {
        fn(*reader->db);
        give_back(std::move(reader));
        return;
      } else {
        auto result = fn(*reader->db);
        give_back(std::move(reader));
        return result;
      }
    } catch (const Xapian::DatabaseModifiedError&) {
      // The writer moved on twice meanwhile: every reader opens the latest revision.
      generation_.fetch_add(1);
    } catch (const Xapian::DatabaseOpeningError&) {
      // Another process rebuilt the index and removed the folder the readers had open.
      generation_.fetch_add(1);
    } catch (const Xapian::Error& e) {
      // Xapian's errors are not std::exceptions: callers get one they can handle.
      throw SearchIndexError("search index: " + e.get_description());
    }
    if (attempt == 2) throw SearchIndexError("the search index kept changing while it was read");
  }
}

}  // namespace whygo
