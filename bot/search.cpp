#include "bot/search.hpp"

#include <xapian.h>

#include <algorithm>

#include "bot/search_index.hpp"
#include "bot/search_rank.hpp"
#include "bot/search_terms.hpp"
#include "bot/text.hpp"

namespace whygo {
namespace {

using search_rank::k1;

// One thing the query asks for, with the spellings that count as it.
struct Group {
  std::vector<Xapian::Query> alternatives;
  std::string term;                    // the one word of the index it is (words and spellings are that word), if so
  std::vector<std::string> words;      // its first spelling's words, which the ranking rules compare
  std::vector<std::string> spellings;  // each spelling's words joined, compared with subjects
  std::string shown;                   // how the reply names it
  bool stop = false;
};

std::string spaced(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string neighbours(const std::string& first, const std::string& second) {
  return std::string(search_terms::neighbours_key) + first + second;
}

using search_terms::fits;

bool is_term(const Xapian::Database& db, const std::string& term) {
  return fits(term) && db.term_exists(term);
}

bool starts_a_word(const Xapian::Database& db, const std::string& prefix) {
  return fits(prefix) && db.allterms_begin(prefix) != db.allterms_end(prefix);
}

// A term, or nothing when it is too long to be in the index.
Xapian::Query term_query(const std::string& term) {
  return fits(term) ? Xapian::Query(term) : Xapian::Query();
}

Xapian::Query all_of(const std::vector<std::string>& terms) {
  std::vector<Xapian::Query> parts;
  for (const auto& term : terms) parts.push_back(term_query(term));
  return parts.size() == 1 ? parts.front() : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// One word, or words that must stand next to each other ("new york times": the links holding
// newyork and yorktimes as neighbours).
Xapian::Query phrase_query(const Phrase& phrase) {
  if (phrase.size() == 1) return term_query(phrase.front());
  std::vector<std::string> pairs;
  for (std::size_t i = 0; i + 1 < phrase.size(); ++i) pairs.push_back(neighbours(phrase[i], phrase[i + 1]));
  return all_of(pairs);
}

Xapian::Query group_query(const Group& group) {
  if (group.alternatives.size() == 1) return group.alternatives.front();
  // Spellings of one thing count as one word for BM25.
  return Xapian::Query(Xapian::Query::OP_SYNONYM, group.alternatives.begin(), group.alternatives.end());
}

}  // namespace

Search::Search(CatalogFeed& feed, Synonyms synonyms, std::size_t cache_entries)
    : feed_(feed),
      synonyms_(std::move(synonyms)),
      cache_entries_(cache_entries),
      index_(std::make_unique<SearchIndex>(feed, limits::search_index_start_wait)) {}

Search::~Search() = default;

void Search::catch_up(const Progress& progress) {
  if (!index_->follow(feed_.catalog_version(), limits::search_index_start_wait, progress))
    throw SearchIndexError("the search index could not be brought up to date (see the log)");
}

std::size_t Search::indexed() {
  index_->follow(feed_.catalog_version(), limits::search_index_busy_wait);
  return index_->size();
}

bool Search::up_to_date() {
  return index_->version() >= feed_.catalog_version();
}

bool Search::cached(const std::string& key, std::int64_t version, SearchResult& out) {
  std::lock_guard lock(mutex_);
  if (cache_version_ != version) return false;
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return false;
  recent_.splice(recent_.begin(), recent_, it->second);
  out = it->second->second;
  return true;
}

void Search::remember(const std::string& key, std::int64_t version, const SearchResult& result) {
  std::lock_guard lock(mutex_);
  if (cache_entries_ == 0) return;
  if (cache_version_ != version) {
    if (version < cache_version_) return;  // a slower thread with an older answer
    recent_.clear();
    by_key_.clear();
    cache_version_ = version;
  }
  if (by_key_.count(key) > 0) return;
  recent_.emplace_front(key, result);
  by_key_.emplace(key, recent_.begin());
  if (recent_.size() > cache_entries_) {
    by_key_.erase(recent_.back().first);
    recent_.pop_back();
  }
}

SearchResult Search::find(std::string_view query, std::size_t offset, std::size_t limit) {
  auto words = text::words(text::utf8_prefix(query, limits::query_max_bytes));
  if (words.size() > limits::query_max_words) words.resize(limits::query_max_words);
  if (words.empty()) {
    SearchResult nothing;
    nothing.offset = offset;
    return nothing;
  }
  // The feed's version: from memory when it is a CatalogWatch (the app's), so a search reads
  // nothing from the store unless the catalog moved.
  index_->follow(feed_.catalog_version(), limits::search_index_busy_wait);
  const std::int64_t version = index_->version();
  const std::string key = spaced(words) + '\x1f' + std::to_string(offset) + '\x1f' + std::to_string(limit);
  SearchResult result;
  if (cached(key, version, result)) return result;
  result = answer(words, offset, limit);
  remember(key, version, result);
  return result;
}

SearchResult Search::answer(const std::vector<std::string>& words, std::size_t offset, std::size_t limit) {
  return index_->read([&](const Xapian::Database& db) {
    SearchResult result;
    result.offset = offset;
    const auto correct = [&](const std::string& word) -> std::string {
      if (word.size() < limits::typo_min_length || !fits(word)) return {};
      const unsigned allowed = word.size() >= limits::typo_two_edits_length ? 2 : 1;
      return db.get_spelling_suggestion(word, allowed);
    };
    // Read the words into groups: synonyms first (longest key wins), then two words the catalog
    // has as one ("dot go" -> dotgo), then single words: whole or written apart in the catalog
    // ("realtime" finds "real-time"), as a prefix, or corrected.
    std::vector<Group> groups;
    for (std::size_t i = 0; i < words.size();) {
      Group group;
      const auto [covered, choices] = synonyms_.lookup(words, i);
      if (covered > 0) {
        const Phrase typed(words.begin() + static_cast<std::ptrdiff_t>(i),
                           words.begin() + static_cast<std::ptrdiff_t>(i + covered));
        std::vector<Phrase> spellings;
        if (std::all_of(typed.begin(), typed.end(), [&](const auto& w) { return is_term(db, w); }))
          spellings.push_back(typed);
        spellings.insert(spellings.end(), choices->begin(), choices->end());
        for (const auto& spelling : spellings) {
          group.alternatives.push_back(phrase_query(spelling));
          group.spellings.push_back(search_terms::joined(spelling));
        }
        group.words = spellings.front();
        std::string meant;
        for (const auto& choice : *choices) meant += (meant.empty() ? " (" : ", ") + spaced(choice);
        group.shown = spaced(typed) + meant + ")";
        groups.push_back(std::move(group));
        i += covered;
        continue;
      }
      const std::string& word = words[i];
      if (i + 1 < words.size() && is_term(db, word + words[i + 1])) {
        const std::string together = word + words[i + 1];
        group.alternatives.emplace_back(together);
        if (is_term(db, neighbours(word, words[i + 1])))
          group.alternatives.emplace_back(neighbours(word, words[i + 1]));
        else
          group.term = together;
        group.words = {together};
        group.spellings = {together};
        group.shown = word + " " + words[i + 1];
        groups.push_back(std::move(group));
        i += 2;
        continue;
      }
      group.shown = word;
      group.words = {word};
      group.spellings = {word};
      group.stop = search_terms::is_stop_word(word);
      const std::string apart = std::string(search_terms::neighbours_key) + word;
      const bool whole = is_term(db, word);
      if (whole) group.alternatives.emplace_back(word);
      if (is_term(db, apart)) group.alternatives.emplace_back(apart);
      if (!group.alternatives.empty()) {
        if (whole && group.alternatives.size() == 1) group.term = word;
      } else if (word.size() >= 2 && starts_a_word(db, word)) {
        group.alternatives.emplace_back(Xapian::Query::OP_WILDCARD, word, limits::search_prefix_terms,
                                        Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
      } else if (const std::string meant = correct(word); !meant.empty()) {
        result.corrections.push_back({word, meant});
        group.alternatives.emplace_back(meant);
        group.term = meant;
        group.words = {meant};
        group.spellings = {meant};
        group.shown = meant;
      } else if (!group.stop) {
        result.ignored.push_back(word);
      }
      if (!group.alternatives.empty()) groups.push_back(std::move(group));
      ++i;
    }
    // Stop words only count when the query has nothing else ("why go").
    if (std::any_of(groups.begin(), groups.end(), [](const Group& g) { return !g.stop; }))
      groups.erase(std::remove_if(groups.begin(), groups.end(), [](const Group& g) { return g.stop; }), groups.end());
    if (groups.empty()) return result;
    for (const auto& group : groups) result.searched_for += (result.searched_for.empty() ? "" : " ") + group.shown;

    if (groups.size() == 1 && !groups.front().term.empty()) {
      // One word of the index, as asked (words and spellings are that word): its ranking rules
      // are the ones its XW lists hold (bot/search_rank.hpp).
      const std::string& word = groups.front().term;
      const auto found = search_rank::best_for_word(db, word, offset + limit);
      result.total = found.total;
      for (std::size_t i = offset; i < found.hits.size(); ++i)
        result.links.push_back(SearchIndex::link_of(db.get_document(found.hits[i].id)));
      return result;
    }
    // The ranking rules, on the words of each group's first spelling and on every spelling joined.
    std::vector<std::string> asked, spellings;
    for (const auto& group : groups) {
      asked.insert(asked.end(), group.words.begin(), group.words.end());
      spellings.insert(spellings.end(), group.spellings.begin(), group.spellings.end());
    }
    const Xapian::Query ranking = search_rank::ranking_query(search_rank::rules_for(asked, spellings));

    std::vector<Xapian::Query> parts;
    for (const auto& group : groups) parts.push_back(group_query(group));
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(search_rank::RankWeight(k1));
    const auto run = [&](Xapian::Query::op op) {
      const Xapian::Query wanted = parts.size() == 1 ? parts.front() : Xapian::Query(op, parts.begin(), parts.end());
      enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, wanted, ranking));
      return enquire.get_mset(static_cast<Xapian::doccount>(offset), static_cast<Xapian::doccount>(limit),
                              static_cast<Xapian::doccount>(limits::search_candidates));
    };
    Xapian::MSet found = run(Xapian::Query::OP_AND);
    if (found.get_matches_upper_bound() == 0 && parts.size() > 1) {
      found = run(Xapian::Query::OP_OR);
      result.partial = found.get_matches_upper_bound() > 0;
    }
    result.total = found.get_matches_estimated();
    for (auto it = found.begin(); it != found.end(); ++it)
      result.links.push_back(SearchIndex::link_of(it.get_document()));
    return result;
  });
}

}  // namespace whygo
