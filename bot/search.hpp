// Search over the catalog: the query is read into words, abbreviations are expanded, typos are
// corrected against the catalog's own words, FTS5 finds the candidates (bm25) and the project's
// ranking rules order them: a company's own story first, then a person's talks, then the rest.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "link.hpp"
#include "store.hpp"
#include "synonyms.hpp"

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
  Search(Store& store, Synonyms synonyms);

  SearchResult find(std::string_view query, std::size_t offset, std::size_t limit);

 private:
  struct Vocabulary;
  std::shared_ptr<const Vocabulary> vocabulary();

  Store& store_;
  Synonyms synonyms_;
  std::mutex mutex_;
  std::shared_ptr<const Vocabulary> vocabulary_;
};

}  // namespace whygo
