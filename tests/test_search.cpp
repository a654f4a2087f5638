#include <catch2/catch.hpp>

#include "bot/search.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {
std::vector<std::string> titles(const SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& link : r.links) out.push_back(link.title);
  return out;
}
}  // namespace

TEST_CASE("a company's own story comes first", "[search]") {
  test::Fixture f;
  auto r = f.app->search().find("docker", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  r = f.app->search().find("google", 0, 5);
  REQUIRE(r.links.size() >= 3);
  CHECK(r.links[0].title == "Go at Google");
  CHECK(r.links[1].title == "Go at Google");
  r = f.app->search().find("youtube", 0, 5);
  CHECK(r.links[0].title == "Go at YouTube (Vitess)");
  CHECK(r.total > 3);  // talks hosted on YouTube come after
}

TEST_CASE("case, punctuation and spacing do not matter", "[search]") {
  test::Fixture f;
  const auto reference = titles(f.app->search().find("dotgo", 0, 5));
  REQUIRE_FALSE(reference.empty());
  CHECK(titles(f.app->search().find("dotGo", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("dot go", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("  DOT-GO!! ", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("cloud flare", 0, 5)) == titles(f.app->search().find("CloudFlare", 0, 5)));
}

TEST_CASE("prefixes find whole words", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("dock", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(r.corrections.empty());
}

TEST_CASE("people match by full or last name", "[search]") {
  test::Fixture f;
  for (const char* q : {"rob pike", "pike", "Pike, Rob"}) {
    const auto r = f.app->search().find(q, 0, 10);
    REQUIRE(r.total == 3);
    for (const auto& link : r.links) CHECK(link.author == "Rob Pike");
  }
  const auto lutke = f.app->search().find("lutke", 0, 5);
  REQUIRE(lutke.links.size() == 1);
  CHECK(lutke.links[0].author == "Tobias Lütke");
}

TEST_CASE("typos are corrected and reported", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("kubernets", 0, 5);
  REQUIRE(r.corrections.size() == 1);
  CHECK(r.corrections[0].typed == "kubernets");
  CHECK(r.corrections[0].meant == "kubernetes");
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Kubernetes + Go = Crazy Delicious");
  // Short words are never "corrected" into something else.
  CHECK(f.app->search().find("xyz", 0, 5).links.empty());
}

TEST_CASE("abbreviations come from the synonyms file", "[search]") {
  test::Fixture f;
  auto r = f.app->search().find("k8s", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Kubernetes + Go = Crazy Delicious");
  r = f.app->search().find("nyt", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at New York Times");

  // A file of one's own replaces the bundled one.
  Synonyms custom = Synonyms::parse("# mine\nmoby = docker\nbroken line\n");
  CHECK(custom.size() == 1);
  CHECK(custom.errors().size() == 1);
  Search search(f.app->store(), custom);
  r = search.find("moby", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(search.find("k8s", 0, 5).links.empty());
}

TEST_CASE("no good match shows nothing", "[search]") {
  test::Fixture f;
  for (const char* q : {"asdfgh", "pizza", "qwertyuiop", "zzz", "blockchain", "!!!", ""}) {
    INFO(q);
    CHECK(f.app->search().find(q, 0, 5).links.empty());
  }
}

TEST_CASE("words no link has are left out and said so", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("docker xylophone", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(r.ignored == std::vector<std::string>{"xylophone"});
}

TEST_CASE("words matched by no single link fall back to links with some", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("docker soundcloud", 0, 5);
  CHECK(r.partial);
  CHECK(r.total == 2);
}

TEST_CASE("results come a page at a time", "[search]") {
  test::Fixture f;
  const auto first = f.app->search().find("gopheracademy", 0, 5);
  CHECK(first.links.size() == 5);
  CHECK(first.total == 6);
  const auto second = f.app->search().find("gopheracademy", 5, 5);
  REQUIRE(second.links.size() == 1);
  for (const auto& link : first.links) CHECK(link.id != second.links[0].id);
}

TEST_CASE("search follows catalog changes at once", "[search]") {
  test::Fixture f;
  CHECK(f.app->search().find("uber", 0, 5).links.empty());
  Link uber;
  uber.title = "Go at Uber";
  uber.url = "https://www.uber.com/blog/go-geofence/";
  uber.section = "Why Go";
  uber.subject = "Uber";
  f.app->store().import_links({}, {uber}, test::test_unix());
  const auto r = f.app->search().find("uber", 0, 5);
  REQUIRE(r.links.size() == 1);
  CHECK(r.links[0].title == "Go at Uber");
}

TEST_CASE("a remembered ranking is dropped when another process changes the catalog", "[search]") {
  test::Fixture f;
  const auto before = f.app->search().find("docker", 0, 5);
  REQUIRE_FALSE(before.links.empty());
  const Link docker_story = before.links[0];
  REQUIRE(docker_story.title == "Go at Docker");
  CHECK(f.app->search().find("docker", 0, 5).links[0].id == docker_story.id);  // asked again: the same

  // Another process (its own connections to the same file) removes the story and adds one.
  Store other(f.dir.file("whygo.db"));
  REQUIRE(other.remove_link(docker_story.id, Actor{"console", "admin", 0}).status == WriteStatus::done);
  Link moby;
  moby.title = "Go at Moby";
  moby.url = "https://mobyproject.org/";
  moby.section = "Why Go";
  moby.subject = "Moby";
  REQUIRE(other.add_link(moby, Actor{"console", "admin", 0}).status == WriteStatus::done);

  const auto after = f.app->search().find("docker", 0, 5);
  for (const auto& link : after.links) CHECK(link.id != docker_story.id);
  CHECK(after.total == before.total - 1);
  const auto moby_found = f.app->search().find("moby", 0, 5);
  REQUIRE(moby_found.links.size() == 1);
  CHECK(moby_found.links[0].title == "Go at Moby");
}

TEST_CASE("paging through a remembered ranking shows every link once", "[search]") {
  test::Fixture f;
  std::vector<std::int64_t> seen;
  const std::size_t total = f.app->search().find("go", 0, 5).total;
  REQUIRE(total > 10);
  for (std::size_t offset = 0; offset < total; offset += 5)
    for (const auto& link : f.app->search().find("go", offset, 5).links) seen.push_back(link.id);
  CHECK(seen.size() == total);
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}
