// Typo correction: Xapian's spelling table, filled with the catalog's words as links are indexed
// and emptied of them as links change or go. The closest word within the allowed edits wins, then
// the word more links hold.
#include <catch2/catch.hpp>

#include <random>

#include "bot/search.hpp"
#include "bot/search_index.hpp"
#include "bot/store.hpp"
#include "bot/text.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

Link link_titled(const std::string& title, int n) {
  Link link;
  link.title = title;
  link.url = "https://example.org/" + std::to_string(n);
  link.section = "Why Go";
  return link;
}

std::string meant(Search& search, const std::string& typed) {
  const auto r = search.find(typed, 0, 5);
  return r.corrections.empty() ? std::string() : r.corrections.front().meant;
}

}  // namespace

TEST_CASE("typos: the closest catalog word within the allowed edits", "[typo]") {
  test::TempDir dir;
  Store store(dir.file("w.db"));
  std::vector<Link> links;
  int n = 0;
  for (int i = 0; i < 5; ++i) links.push_back(link_titled("Docker story", ++n));
  links.push_back(link_titled("Docket story", ++n));
  for (int i = 0; i < 3; ++i) links.push_back(link_titled("CloudFlare story", ++n));
  links.push_back(link_titled("Brad Fitzpatrick story", ++n));
  links.push_back(link_titled("Kubernetes story", ++n));
  store.import_links({"Why Go"}, links, test::test_unix());
  Search search(store, Synonyms{});

  CHECK(meant(search, "dcoker") == "docker");  // two neighbours swapped: one edit
  CHECK(meant(search, "docer") == "docker");   // a letter missing
  CHECK(meant(search, "dockef") == "docker");  // docker and docket are one edit away: more links wins
  CHECK(meant(search, "cloudfare") == "cloudflare");
  CHECK(meant(search, "fitzpatrik") == "fitzpatrick");
  CHECK(meant(search, "kubernets") == "kubernetes");
  CHECK(meant(search, "xyzzy").empty());
  CHECK(meant(search, "dkocre").empty());  // four to seven letters: one edit, not three
  CHECK(meant(search, "brd").empty());     // three letters: never corrected
  const auto r = search.find("dcoker", 0, 5);
  REQUIRE(r.links.size() == 5);
  CHECK(r.links[0].title == "Docker story");
  CHECK(r.searched_for == "docker");
}

TEST_CASE("typos: a word leaves the spelling table with the last link that had it", "[typo]") {
  test::Fixture f;
  CHECK(meant(f.app->search(), "dcoker") == "docker");
  REQUIRE(f.ask("remove 22", true).error == ErrorKind::none);  // Go at Docker, the only link saying docker
  const auto r = f.app->search().find("dcoker", 0, 5);
  CHECK(r.corrections.empty());
  CHECK(r.links.empty());
}

TEST_CASE("typos: Xapian's suggestion is the closest word, as comparing every word finds it", "[typo]") {
  // Over the bundled catalog's words: typos of each (a letter dropped, added, changed, or two
  // swapped), corrected by Xapian and by the plain definition.
  test::Fixture f;
  SearchIndex index(f.app->store(), std::chrono::seconds(10));
  index.read([](const Xapian::Database& db) {
    std::vector<std::pair<std::string, unsigned>> words;
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) words.emplace_back(*it, it.get_termfreq());
    REQUIRE(words.size() > 200);
    std::mt19937 rng(7);
    std::size_t compared = 0;
    for (const auto& [word, links] : words) {
      if (word.size() < 4) continue;
      for (int k = 0; k < 4; ++k) {
        std::string typo = word;
        const std::size_t at = rng() % typo.size();
        switch (k) {
          case 0:
            typo.erase(at, 1);
            break;
          case 1:
            typo.insert(at, 1, static_cast<char>('a' + rng() % 26));
            break;
          case 2:
            typo[at] = static_cast<char>('a' + rng() % 26);
            break;
          default:
            if (at + 1 < typo.size()) std::swap(typo[at], typo[at + 1]);
        }
        if (typo.size() < 4 || db.term_exists(typo)) continue;
        const std::size_t allowed = typo.size() >= 8 ? 2 : 1;
        std::string closest;
        std::size_t best = allowed + 1;
        unsigned best_links = 0;
        for (const auto& [other, other_links] : words) {
          const std::size_t d = text::edit_distance(typo, other, allowed);
          if (d < best || (d == best && d <= allowed && other_links > best_links)) {
            closest = other;
            best = d;
            best_links = other_links;
          }
        }
        if (best > allowed) closest.clear();
        INFO(typo << " (a typo of " << word << ")");
        CHECK(db.get_spelling_suggestion(typo, static_cast<unsigned>(allowed)) == closest);
        ++compared;
      }
    }
    CHECK(compared > 800);
  });
}
