// Search over the catalog. The query is read into words; abbreviations are expanded (the
// synonyms file); words written together or apart match both ways; prefixes and typos are looked
// up among the index's own words. Xapian ranks the links (BM25 over title, author, tags and the
// URL's words), and the project's rules come on top: a company's own story first, a person's
// links for their full or last name, and links where the words stand next to each other before
// links where they are scattered (bot/search_rank.hpp; one word's links are read from lists
// sorted by those rules at indexing). The index is derived from the store (bot/search_index.hpp)
// and follows it by catalog version, from any process; what a query found is kept until the
// catalog changes, so asking again or paging with "More" is a look-up.
#pragma once
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/catalog_feed.hpp"
#include "bot/limits.hpp"
#include "bot/link.hpp"
#include "bot/synonyms.hpp"

namespace whygo {

class SearchIndex;

struct Correction {
  std::string typed;
  std::string meant;
};

struct SearchResult {
  std::vector<Link> links;  // the requested page, best first
  std::size_t total = 0;    // how many links matched (an estimate past limits::search_candidates)
  std::size_t offset = 0;
  std::string searched_for;             // the words actually searched, after corrections
  std::vector<Correction> corrections;  // "did you mean"
  std::vector<std::string> ignored;     // words no link contains
  bool partial = false;                 // no link had every word; these have some
};

class Search {
 public:
  // Links indexed so far out of how many, while the index is built or brought up to date.
  using Progress = std::function<void(std::size_t done, std::size_t total)>;

  // Opens the index beside the catalog (building or updating it first when it is missing or
  // behind). cache_entries: how many answers to keep (0: none, to measure first askings).
  Search(CatalogFeed& feed, Synonyms synonyms, std::size_t cache_entries = limits::search_cache_entries);
  ~Search();

  SearchResult find(std::string_view query, std::size_t offset, std::size_t limit);

  // Brings the index up to the catalog now, e.g. after `whygo import` loaded many links, so the
  // next search (in this or another process) finds it ready.
  void catch_up(const Progress& progress = {});
  std::size_t indexed();  // links in the index, once it follows the catalog's last change
  // The index holds the catalog's latest version, so find() reads nothing but memory (when the
  // feed keeps its version in memory, as the app's catalog watch does).
  bool up_to_date();

 private:
  SearchResult answer(const std::vector<std::string>& words, std::size_t offset, std::size_t limit);
  bool cached(const std::string& key, std::int64_t version, SearchResult& out);
  void remember(const std::string& key, std::int64_t version, const SearchResult& result);

  CatalogFeed& feed_;
  Synonyms synonyms_;
  std::size_t cache_entries_;
  std::unique_ptr<SearchIndex> index_;
  std::mutex mutex_;  // guards what follows
  std::int64_t cache_version_ = -1;
  // Answers by query words and page, most recently used first, for cache_version_.
  std::list<std::pair<std::string, SearchResult>> recent_;
  std::unordered_map<std::string, decltype(recent_)::iterator> by_key_;
};

}  // namespace whygo
