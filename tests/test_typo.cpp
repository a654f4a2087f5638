#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "bot/text.hpp"
#include "bot/typo.hpp"

using whygo::Term;

namespace {

std::vector<Term> sorted_terms(std::vector<Term> terms) {
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.text < b.text; });
  return terms;
}

// The plain definition: every term's distance, fewest edits, then most links, then first.
std::optional<std::size_t> brute_force(const std::vector<Term>& sorted, const std::string& word, std::size_t max) {
  std::optional<std::size_t> best;
  std::size_t best_distance = max + 1;
  std::int64_t best_links = -1;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::size_t d = whygo::text::edit_distance(word, sorted[i].text, max);
    if (d <= max && (d < best_distance || (d == best_distance && sorted[i].links > best_links))) {
      best = i;
      best_distance = d;
      best_links = sorted[i].links;
    }
  }
  return best;
}

}  // namespace

TEST_CASE("typos: the closest catalog word within the allowed edits", "[typo]") {
  const auto terms = sorted_terms({{"docker", 5},
                                   {"dock", 1},
                                   {"cloudflare", 3},
                                   {"fitzpatrick", 2},
                                   {"kubernetes", 4},
                                   {"docket", 1},
                                   {"pike", 9}});
  const auto meant = [&](const std::string& word, std::size_t max) -> std::string {
    const auto at = whygo::typo::closest(terms, word, max);
    return at ? terms[*at].text : "";
  };
  CHECK(meant("dcoker", 1) == "docker");  // two neighbours swapped: one edit
  CHECK(meant("docer", 1) == "docker");   // a letter missing
  CHECK(meant("dockef", 1) == "docker");  // docker and docket are one edit away: more links wins
  CHECK(meant("cloudfare", 2) == "cloudflare");
  CHECK(meant("fitzpatrik", 2) == "fitzpatrick");
  CHECK(meant("kubernets", 1) == "kubernetes");
  CHECK(meant("xyzzy", 2).empty());
  CHECK(meant("pike", 0) == "pike");
  CHECK(whygo::typo::closest({}, "docker", 2) == std::nullopt);
}

TEST_CASE("typos: the trie walk agrees with comparing every word", "[typo]") {
  // Random words over a small alphabet, so many are near each other and share prefixes.
  std::mt19937 rng(7);
  const auto random_word = [&](std::size_t min_length, std::size_t max_length) {
    std::string w(min_length + rng() % (max_length - min_length + 1), 'a');
    for (auto& c : w) c = static_cast<char>('a' + rng() % 4);
    return w;
  };
  std::vector<Term> terms;
  for (int i = 0; i < 600; ++i) terms.push_back({random_word(1, 9), static_cast<std::int64_t>(rng() % 5)});
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.text < b.text; });
  terms.erase(std::unique(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.text == b.text; }),
              terms.end());
  for (int i = 0; i < 2000; ++i) {
    const std::string word = random_word(1, 11);
    const std::size_t max = rng() % 3;
    INFO(word << " within " << max);
    CHECK(whygo::typo::closest(terms, word, max) == brute_force(terms, word, max));
  }
}
