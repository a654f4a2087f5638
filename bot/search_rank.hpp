// How search weighs a link: BM25 over the words asked (RankWeight, Xapian's formula with the
// lengths folded into the frequencies at indexing), plus the project's ranking rules as
// constant bonuses for the links holding ranking keys (bot/search_terms.hpp). The query for many
// words leaves the sum to Xapian's matcher; the best links for one word are read here straight
// from the posting lists, with the same weights, because Xapian 1.4's matcher cannot skip the
// links without a bonus and weighs each link several times under AND_MAYBE (bench/README.md).
#pragma once
#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

#include "bot/search_terms.hpp"

namespace whygo::search_rank {

// The ranking rules, as points added to BM25 (BM25's usual range is about 1 to 4 points per word
// asked): a company's own story before stories that merely mention it, then a person's links,
// then the rest.
namespace points {
inline constexpr double subject = 60;             // the subject is what was asked, all words of it
inline constexpr double own_story = 40;           // ... and the title is "Go at <subject>" (100 in all)
inline constexpr double subject_spelling = 50;    // the subject under another spelling (a synonym)
inline constexpr double own_story_spelling = 30;  // ... in its own story (80 in all)
inline constexpr double person = 40;              // every word asked is in the author's name
inline constexpr double exact_title = 45;         // the title is the words asked (stop words aside)
inline constexpr double neighbours = 15;          // two words asked next to each other stand so
}  // namespace points

// BM25 over the frequencies search_terms weighted and length-normalised at indexing: b = 0 here
// (no document lengths to read), k1 = a title mention of average length, so a second mention
// adds less than the first. Points are BM25 weights times bm25_scale: a bonus of p points weighs
// p / bm25_scale in Xapian's units.
inline constexpr double k1 = search_terms::weight::title * search_terms::weight::unit;
inline constexpr double bm25_scale = 2 / (k1 + 1);

// A ranking key is asked with this within-query frequency, which no typed query reaches
// (limits::query_max_words is far below it): RankWeight gives such a term a constant weight.
inline constexpr Xapian::termcount key_mark = 1'000'000;
// A word's XW list is asked with this one: its BM25 weight comes from the factor (the word's own,
// as the word's list would have it), not from the XW list's statistics.
inline constexpr Xapian::termcount word_rules_mark = 500'000;

// The weighting: for the query's words, BM25 exactly as Xapian's BM25Weight computes it with
// b = 0 (no document lengths), k2 = 0 and k3 = 1; for a ranking key, the factor OP_SCALE_WEIGHT
// gives it (the bonus) on every link that holds it, which is also its bound. Under BM25Weight a
// key would be bounded by the index's largest within-document frequency, so the matcher could
// never tell that links without the bonus are out of reach; and a bonus as a PostingSource costs
// more per link than a term's own list.
class RankWeight : public Xapian::Weight {
 public:
  explicit RankWeight(double k1);
  RankWeight* clone() const override;
  std::string name() const override;
  void init(double factor) override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount, Xapian::termcount) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }

  // BM25's weight of a word held by `holding` of `links` links, asked once (before saturation).
  static double word_weight(double links, double holding, double k1);

 private:
  double k1_;
  bool key_ = false;
  double termweight_ = 0;
};

// A bonus, in Xapian's weight units, for the links holding every one of `keys`.
struct Bonus {
  std::vector<std::string> keys;
  double weight = 0;
};
// A link earns the largest bonus of a group it holds (one subject per link); groups add up.
using BonusGroup = std::vector<Bonus>;

// The bonuses as a query to put beside the words (OP_AND_MAYBE).
Xapian::Query ranking_query(const std::vector<BonusGroup>& groups);

// The ranking rules for the words asked (each group's first spelling) and every spelling of
// them joined (synonyms: another subject counts, a little less).
std::vector<BonusGroup> rules_for(const std::vector<std::string>& asked, const std::vector<std::string>& spellings);

struct Hit {
  Xapian::docid id = 0;
  double weight = 0;
};

struct WordPage {
  std::vector<Hit> hits;
  Xapian::doccount total = 0;  // the links holding the word
};

// The `count` best links holding `word`, best first (equal weights: lower id first, as Xapian
// orders them), weighed as Xapian's matcher weighs them for `word AND_MAYBE
// ranking_query(rules_for({word}, {word}))` under RankWeight(k1). Read from the word's XW lists
// (bot/search_terms.hpp), most points first, until no list left can reach the page: a few list
// scans, where the matcher would weigh every link of the word several times over.
WordPage best_for_word(const Xapian::Database& db, const std::string& word, std::size_t count);

}  // namespace whygo::search_rank
