// Search over the catalog: the query is read into words, abbreviations are expanded, typos are
// corrected against the catalog's own words, FTS5 finds the candidates (bm25) and the project's
// ranking rules order them: a company's own story first, then a person's talks, then the rest.
// What a query found is cached until the catalog changes, so asking again, or paging with
// "More", costs a look-up and the page's rows.
#pragma once
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/limits.hpp"
#include "bot/link.hpp"
#include "bot/store.hpp"
#include "bot/synonyms.hpp"

namespace whygo {

struct Correction {
  std::string typed;
  std::string meant;
};

struct SearchResult {
  std::vector<Link> links;  // the requested page, best first
  std::size_t total = 0;    // how many links matched
  std::size_t offset = 0;
  std::string searched_for;             // the words actually searched, after corrections
  std::vector<Correction> corrections;  // "did you mean"
  std::vector<std::string> ignored;     // words no link contains
  bool partial = false;                 // no link had every word; these have some
};

class Search {
 public:
  // cache_entries: how many queries' rankings to keep (0: none, to measure the uncached path).
  Search(Store& store, Synonyms synonyms, std::size_t cache_entries = limits::search_cache_entries);

  SearchResult find(std::string_view query, std::size_t offset, std::size_t limit);

 private:
  struct Catalog;
  struct Ranking;
  std::shared_ptr<const Catalog> catalog();
  std::shared_ptr<Ranking> rank(const std::vector<std::string>& words, const Catalog& catalog);
  std::shared_ptr<const Ranking> cached(const std::string& key, const Catalog& catalog);
  void remember(const std::string& key, const Catalog& catalog, std::shared_ptr<const Ranking> ranking);

  Store& store_;
  Synonyms synonyms_;
  std::size_t cache_entries_;
  std::mutex build_mutex_;  // one thread reads a changed catalog; the others wait for it
  std::mutex mutex_;        // guards what follows
  std::shared_ptr<const Catalog> catalog_;
  // Rankings by query words, most recently used first, for catalog_'s version.
  std::list<std::pair<std::string, std::shared_ptr<const Ranking>>> recent_;
  std::unordered_map<std::string, decltype(recent_)::iterator> by_words_;
};

}  // namespace whygo
