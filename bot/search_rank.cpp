#include "bot/search_rank.hpp"

#include <algorithm>
#include <cmath>

namespace whygo::search_rank {

RankWeight::RankWeight(double k1) : k1_(k1) {
  need_stat(TERMFREQ);
  need_stat(COLLECTION_SIZE);
  need_stat(WDF);
  need_stat(WDF_MAX);
  need_stat(WQF);
}

RankWeight* RankWeight::clone() const {
  return new RankWeight(k1_);
}

std::string RankWeight::name() const {
  return "whygo.RankWeight";
}

double RankWeight::word_weight(double links, double holding, double k1) {
  // https://xapian.org/docs/apidoc/html/classXapian_1_1BM25Weight.html, without a relevance set:
  // the same idf, raised for terms in more than a third of the links.
  double idf = (links - holding + 0.5) / (holding + 0.5);
  if (idf < 2) idf = idf * 0.5 + 1;
  return std::log(idf) * (k1 + 1);
}

void RankWeight::init(double factor) {
  key_ = get_wqf() >= key_mark;
  if (key_ || get_wqf() >= word_rules_mark) {
    termweight_ = factor;
    return;
  }
  const double wqf = get_wqf();
  termweight_ = word_weight(static_cast<double>(get_collection_size()), static_cast<double>(get_termfreq()), k1_) *
                factor * (2 * wqf / (1 + wqf));
}

double RankWeight::get_sumpart(Xapian::termcount wdf, Xapian::termcount, Xapian::termcount) const {
  if (key_) return termweight_;
  const double frequency = wdf;
  return termweight_ * (frequency / (k1_ + frequency));
}

double RankWeight::get_maxpart() const {
  if (key_) return termweight_;
  const double frequency = get_wdf_upper_bound();
  return termweight_ * (frequency / (k1_ + frequency));
}

namespace {

Xapian::Query bonus_query(const Bonus& bonus) {
  const Xapian::Query first(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(bonus.keys.front(), key_mark), bonus.weight);
  if (bonus.keys.size() == 1) return first;
  std::vector<Xapian::Query> rest;
  for (auto key = bonus.keys.begin() + 1; key != bonus.keys.end(); ++key) rest.emplace_back(*key);
  const Xapian::Query all =
      rest.size() == 1 ? rest.front() : Xapian::Query(Xapian::Query::OP_AND, rest.begin(), rest.end());
  return Xapian::Query(Xapian::Query::OP_FILTER, first, all);
}

// The page being filled: the best hits so far, the worst on top of a heap.
class Page {
 public:
  explicit Page(std::size_t size) : size_(size) {}
  static bool better(const Hit& a, const Hit& b) {
    return a.weight > b.weight || (a.weight == b.weight && a.id < b.id);
  }
  void offer(const Hit& hit) {
    if (hits_.size() < size_) {
      hits_.push_back(hit);
      std::push_heap(hits_.begin(), hits_.end(), better);
    } else if (better(hit, hits_.front())) {
      std::pop_heap(hits_.begin(), hits_.end(), better);
      hits_.back() = hit;
      std::push_heap(hits_.begin(), hits_.end(), better);
    }
  }
  // No link weighing at most `bound` can enter any more.
  bool closed_to(double bound) const { return hits_.size() == size_ && hits_.front().weight > bound; }
  std::vector<Hit> sorted() && {
    std::sort(hits_.begin(), hits_.end(), better);
    return std::move(hits_);
  }

 private:
  std::size_t size_;
  std::vector<Hit> hits_;
};

}  // namespace

Xapian::Query ranking_query(const std::vector<BonusGroup>& groups) {
  std::vector<Xapian::Query> parts;
  for (const auto& group : groups) {
    std::vector<Xapian::Query> bonuses;
    for (const auto& bonus : group)
      if (!bonus.keys.empty()) bonuses.push_back(bonus_query(bonus));
    if (bonuses.size() == 1) parts.push_back(bonuses.front());
    if (bonuses.size() > 1) parts.emplace_back(Xapian::Query::OP_MAX, bonuses.begin(), bonuses.end());
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::vector<BonusGroup> rules_for(const std::vector<std::string>& asked, const std::vector<std::string>& spellings) {
  const auto bonus = [&](std::vector<std::string> keys, double bonus_points) {
    if (!std::all_of(keys.begin(), keys.end(), [](const std::string& key) { return search_terms::fits(key); }))
      keys.clear();
    return Bonus{std::move(keys), bonus_points / bm25_scale};
  };
  const std::string asked_joined = search_terms::joined(asked);
  // A link has one subject, so it earns one of the subject bonuses: their maximum, which also
  // tells Xapian how little a link without them can reach (it then skips such links).
  BonusGroup subject;
  const auto subject_bonus = [&](const std::string& name, double subject_points, double own_points) {
    subject.push_back(bonus({std::string(search_terms::subject_key) + name}, subject_points));
    subject.push_back(bonus({std::string(search_terms::own_story_key) + name}, subject_points + own_points));
  };
  subject_bonus(asked_joined, points::subject, points::own_story);
  std::vector<std::string> subjects{asked_joined};
  for (const auto& spelling : spellings) {
    if (std::find(subjects.begin(), subjects.end(), spelling) != subjects.end()) continue;
    subjects.push_back(spelling);
    subject_bonus(spelling, points::subject_spelling, points::own_story_spelling);
  }
  std::vector<std::string> authors;
  for (const auto& word : asked) authors.push_back(std::string(search_terms::author_key) + word);
  std::vector<BonusGroup> rules{
      subject,
      {bonus(authors, points::person)},
      {bonus({std::string(search_terms::exact_title_key) + asked_joined}, points::exact_title)}};
  for (std::size_t i = 0; i + 1 < asked.size(); ++i)
    rules.push_back({bonus({std::string(search_terms::neighbours_key) + asked[i] + asked[i + 1]}, points::neighbours)});
  for (auto& group : rules)
    group.erase(std::remove_if(group.begin(), group.end(), [](const Bonus& b) { return b.keys.empty(); }), group.end());
  return rules;
}

WordPage best_for_word(const Xapian::Database& db, const std::string& word, std::size_t count) {
  const Xapian::doccount holding = db.get_termfreq(word);
  if (holding == 0 || count == 0) return {{}, holding};
  const double termweight = RankWeight::word_weight(static_cast<double>(db.get_doccount()), holding, k1);
  // The word's lists, each with the bonus its rules earn (as rules_for({word}, {word}) gives
  // them: the subject's or the own story's, then the person's and the exact title's).
  struct List {
    std::string term;
    double bonus = 0;
  };
  std::vector<List> lists;
  const std::string prefix = search_terms::word_rules_prefix(word);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string term = *it;
    if (term.size() != prefix.size() + 1) continue;
    const unsigned rules = static_cast<unsigned>(term.back() - 'a') & search_terms::word_rule::all;
    using namespace search_terms::word_rule;
    double sum = 0;
    if (rules & own_story) {
      sum += (points::subject + points::own_story) / bm25_scale;
    } else if (rules & subject) {
      sum += points::subject / bm25_scale;
    }
    if (rules & person) sum += points::person / bm25_scale;
    if (rules & exact_title) sum += points::exact_title / bm25_scale;
    lists.push_back({term, sum});
  }
  std::stable_sort(lists.begin(), lists.end(), [](const List& a, const List& b) { return a.bonus > b.bonus; });

  Page page(count);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(RankWeight(k1));
  for (const auto& list : lists) {
    // A link's BM25 stays below termweight: once the page's last link outweighs every link this
    // list could hold, the rest cannot enter either.
    if (page.closed_to(list.bonus + termweight)) break;
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(list.term, word_rules_mark), termweight));
    const Xapian::MSet found = enquire.get_mset(0, static_cast<Xapian::doccount>(count));
    for (auto it = found.begin(); it != found.end(); ++it) page.offer({*it, it.get_weight() + list.bonus});
  }
  return {std::move(page).sorted(), holding};
}

}  // namespace whygo::search_rank
