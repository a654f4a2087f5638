#include "bot/search.hpp"

#include <xapian.h>

#include <algorithm>
#include <cmath>

#include "bot/search_index.hpp"
#include "bot/search_terms.hpp"
#include "bot/text.hpp"

namespace whygo {
namespace {

// The ranking rules, as weights added to Xapian's BM25 score (a few points per word): a company's
// own story before stories that merely mention it, then a person's links, then the rest.
namespace bonus {
constexpr double subject = 60;             // the subject is what was asked, all words of it
constexpr double own_story = 40;           // ... and the title is "Go at <subject>" (100 in all)
constexpr double subject_spelling = 50;    // the subject under another spelling (a synonym)
constexpr double own_story_spelling = 30;  // ... in its own story (80 in all)
constexpr double person = 40;              // every word asked is in the author's name
constexpr double exact_title = 45;         // the title is the words asked (stop words aside)
constexpr double neighbours = 15;          // two words asked next to each other stand so
}  // namespace bonus

// BM25 over the frequencies search_terms weighted and length-normalised at indexing: b = 0 here
// (no document lengths to read), k1 = a title mention of average length, so a second mention
// adds less than the first. The bonuses are set against BM25's usual range (about 1 to 4 per word
// asked), which is these scores times bm25_scale: the bonuses are divided by it instead (the same
// order, one step less per link for the matcher).
constexpr double k1 = search_terms::weight::title * search_terms::weight::unit;
constexpr double bm25_scale = 2 / (k1 + 1);

// One thing the query asks for, with the spellings that count as it.
struct Group {
  std::vector<Xapian::Query> alternatives;
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

bool fits(const std::string& term) {
  return term.size() <= search_terms::max_term_bytes;
}

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

// A ranking key is asked with this within-query frequency, which no typed query reaches
// (limits::query_max_words is far below it): RankWeight gives such a term a constant weight.
constexpr Xapian::termcount key_mark = 1'000'000;

// The weighting: for the query's words, BM25 exactly as Xapian's BM25Weight computes it with
// b = 0 (no document lengths), k2 = 0 and k3 = 1; for a ranking key, the factor OP_SCALE_WEIGHT
// gives it (the bonus) on every link that holds it, which is also its bound. Under BM25Weight a
// key would be bounded by the index's largest within-document frequency, so the matcher could
// never tell that links without the bonus are out of reach; and a bonus as a PostingSource costs
// more per link than a term's own list.
class RankWeight : public Xapian::Weight {
 public:
  explicit RankWeight(double k1) : k1_(k1) {
    need_stat(TERMFREQ);
    need_stat(COLLECTION_SIZE);
    need_stat(WDF);
    need_stat(WDF_MAX);
    need_stat(WQF);
  }
  RankWeight* clone() const override { return new RankWeight(k1_); }
  std::string name() const override { return "whygo.RankWeight"; }

  void init(double factor) override {
    key_ = get_wqf() >= key_mark;
    if (key_) {
      termweight_ = factor;
      return;
    }
    // https://xapian.org/docs/apidoc/html/classXapian_1_1BM25Weight.html, without a relevance set:
    // the same idf, raised for terms in more than a third of the links.
    const double links = static_cast<double>(get_collection_size());
    const double holding = static_cast<double>(get_termfreq());
    double idf = (links - holding + 0.5) / (holding + 0.5);
    if (idf < 2) idf = idf * 0.5 + 1;
    const double wqf = get_wqf();
    termweight_ = std::log(idf) * factor * (2 * wqf / (1 + wqf)) * (k1_ + 1);
  }
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount, Xapian::termcount) const override {
    if (key_) return termweight_;
    const double frequency = wdf;
    return termweight_ * (frequency / (k1_ + frequency));
  }
  double get_maxpart() const override {
    if (key_) return termweight_;
    const double frequency = get_wdf_upper_bound();
    return termweight_ * (frequency / (k1_ + frequency));
  }
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }

 private:
  double k1_;
  bool key_ = false;
  double termweight_ = 0;
};

// A constant weight for the links that hold every one of `terms` (ranking keys).
Xapian::Query bonus_for(const std::vector<std::string>& terms, double weight) {
  if (terms.empty() || !std::all_of(terms.begin(), terms.end(), fits)) return {};
  const Xapian::Query first(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(terms.front(), key_mark),
                            weight / bm25_scale);
  if (terms.size() == 1) return first;
  return Xapian::Query(Xapian::Query::OP_FILTER, first, all_of({terms.begin() + 1, terms.end()}));
}

std::vector<std::string> prefixed(std::string_view prefix, const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(std::string(prefix) + w);
  return out;
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
      if (is_term(db, word)) group.alternatives.emplace_back(word);
      if (is_term(db, apart)) group.alternatives.emplace_back(apart);
      if (!group.alternatives.empty()) {
        // found as it is
      } else if (word.size() >= 2 && starts_a_word(db, word)) {
        group.alternatives.emplace_back(Xapian::Query::OP_WILDCARD, word, limits::search_prefix_terms,
                                        Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
      } else if (const std::string meant = correct(word); !meant.empty()) {
        result.corrections.push_back({word, meant});
        group.alternatives.emplace_back(meant);
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

    // The ranking rules, on the words of each group's first spelling and on every spelling joined.
    std::vector<std::string> asked;
    for (const auto& group : groups) asked.insert(asked.end(), group.words.begin(), group.words.end());
    const std::string asked_joined = search_terms::joined(asked);
    // A link has one subject, so it earns one of the subject bonuses: their maximum, which also
    // tells Xapian how little a link without them can reach (it then skips such links).
    std::vector<Xapian::Query> subject_bonuses;
    const auto subject_bonus = [&](const std::string& subject, double subject_weight, double own_weight) {
      subject_bonuses.push_back(bonus_for({std::string(search_terms::subject_key) + subject}, subject_weight));
      subject_bonuses.push_back(
          bonus_for({std::string(search_terms::own_story_key) + subject}, subject_weight + own_weight));
    };
    subject_bonus(asked_joined, bonus::subject, bonus::own_story);
    std::vector<std::string> subjects{asked_joined};
    for (const auto& group : groups)
      for (const auto& spelling : group.spellings) {
        if (std::find(subjects.begin(), subjects.end(), spelling) != subjects.end()) continue;
        subjects.push_back(spelling);
        subject_bonus(spelling, bonus::subject_spelling, bonus::own_story_spelling);
      }
    std::vector<Xapian::Query> bonuses{
        Xapian::Query(Xapian::Query::OP_MAX, subject_bonuses.begin(), subject_bonuses.end())};
    bonuses.push_back(bonus_for(prefixed(search_terms::author_key, asked), bonus::person));
    bonuses.push_back(bonus_for({std::string(search_terms::exact_title_key) + asked_joined}, bonus::exact_title));
    for (std::size_t i = 0; i + 1 < asked.size(); ++i)
      bonuses.push_back(bonus_for({neighbours(asked[i], asked[i + 1])}, bonus::neighbours));
    const Xapian::Query ranking(Xapian::Query::OP_OR, bonuses.begin(), bonuses.end());

    std::vector<Xapian::Query> parts;
    for (const auto& group : groups) parts.push_back(group_query(group));
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(RankWeight(k1));
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
