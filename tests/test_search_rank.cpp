#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "bot/search_index.hpp"
#include "bot/search_rank.hpp"
#include "bot/store.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

// Links over a few words, so that most words meet every ranking rule in some links and not in
// others, and many links weigh the same (the order of equals is part of what is compared).
std::vector<Link> crowded_links(std::size_t count) {
  const std::vector<std::string> companies = {"Acme", "Globex", "Initech", "Hooli", "Umbrella"};
  const std::vector<std::string> words = {"scaling", "chat", "servers", "acme", "pike", "realtime", "hooli"};
  const std::vector<std::string> authors = {"", "Rob Pike", "Acme Hooli", "Dave Cheney", "Hooli"};
  std::mt19937 rng(11);
  const auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  std::vector<Link> out;
  for (std::size_t i = 0; i < count; ++i) {
    Link link;
    const std::string company = pick(companies);
    switch (rng() % 4) {
      case 0:
        link.title = "Go at " + company;
        break;
      case 1:
        link.title = company;
        break;
      case 2:
        link.title = pick(words) + " " + pick(words) + " " + pick(words);
        break;
      default:
        link.title = company + " " + pick(words);
    }
    link.author = pick(authors);
    link.url = "https://" + pick(companies) + ".example/" + pick(words) + "-" + pick(words) + "/" + std::to_string(i);
    link.section = "Why Go";
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace

TEST_CASE("search rank: one word's lists rank its links as Xapian's matcher ranks the word with its rules",
          "[search]") {
  // The bundled catalog and crowded links; every word of the index, for a page of 5 and of 100.
  test::Fixture f;
  f.app->store().import_links({"Why Go"}, crowded_links(1500), 1'700'000'000);
  SearchIndex index(f.app->store(), std::chrono::seconds(30));
  index.read([](const Xapian::Database& db) {
    REQUIRE(db.get_doccount() > 1500);
    std::size_t compared = 0, tied = 0;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      const std::string word = *it;
      if (word.empty() || (word[0] >= 'A' && word[0] <= 'Z')) continue;  // ranking keys
      const Xapian::Query ranking = search_rank::ranking_query(search_rank::rules_for({word}, {word}));
      Xapian::Enquire enquire(db);
      enquire.set_weighting_scheme(search_rank::RankWeight(search_rank::k1));
      enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(word), ranking));
      for (const std::size_t page : {5u, 100u}) {
        const Xapian::MSet expected = enquire.get_mset(0, static_cast<Xapian::doccount>(page));
        const auto found = search_rank::best_for_word(db, word, page);
        CHECK(found.total == db.get_termfreq(word));
        const auto& hits = found.hits;
        REQUIRE(hits.size() == expected.size());
        std::size_t i = 0;
        for (auto e = expected.begin(); e != expected.end(); ++e, ++i) {
          INFO(word << " page " << page << " rank " << i);
          CHECK(hits[i].id == *e);
          CHECK(std::abs(hits[i].weight - e.get_weight()) <= 1e-9 * e.get_weight());
          if (i > 0 && hits[i].weight == hits[i - 1].weight) ++tied;
        }
        ++compared;
      }
    }
    CHECK(compared > 1000);
    CHECK(tied > 100);  // equal weights were met, and ordered alike
  });
  const Xapian::Database empty;
  CHECK(search_rank::best_for_word(empty, "acme", 5).hits.empty());
}

TEST_CASE("search rank: a word's links go to the list of the rules they meet for it", "[search]") {
  Link link;
  link.title = "Go at Acme";
  link.subject = "Acme";
  link.author = "Acme Pike";
  link.url = "https://example.com/acme-scaling";
  const auto terms = search_terms::of(link);
  const auto term_of = [&](const std::string& word) -> std::string {
    const std::string prefix = search_terms::word_rules_prefix(word);
    std::string found;
    for (const auto& w : terms.words)
      if (w.text.rfind(prefix, 0) == 0) {
        CHECK(found.empty());  // one list per word
        found = w.text;
      }
    return found;
  };
  using namespace search_terms::word_rule;
  CHECK(term_of("acme") == search_terms::word_rules_term("acme", subject | own_story | person | exact_title));
  CHECK(term_of("pike") == search_terms::word_rules_term("pike", person));
  CHECK(term_of("scaling") == search_terms::word_rules_term("scaling", 0));
  CHECK(term_of("go") == search_terms::word_rules_term("go", 0));
}
