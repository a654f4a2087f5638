// The relevance set: what people type, and what must come first. Keep it green when changing
// the ranking, the synonyms or the importer.
#include <catch2/catch.hpp>

#include "bot/search.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {
struct Case {
  const char* query;
  const char* first;  // nullptr: nothing may be shown
};

const Case cases[] = {
    // companies
    {"docker", "Go at Docker"},
    {"Docker", "Go at Docker"},
    {"youtube", "Go at YouTube (Vitess)"},
    {"vitess", "Go at YouTube (Vitess)"},
    {"cloudflare", "Go at CloudFlare"},
    {"dropbox", "Go at Dropbox"},
    {"soundcloud", "Go at SoundCloud"},
    {"sound cloud", "Go at SoundCloud"},
    {"new york times", "Go at New York Times"},
    {"facebook", "Go at Facebook"},
    {"canonical", "Go at Canonical (Juju)"},
    {"juju", "Go at Canonical (Juju)"},
    {"influxdb", "Why InfluxDB is written in Go"},
    {"bitly", "Go at Bitly"},
    {"space monkey", "Go at Space Monkey"},
    {"spacemonkey", "Go at Space Monkey"},
    {"go at disqus", "Go at Disqus"},
    {"shopify", "Go at Shopify"},
    // people: a person's own company story first when there is one
    {"graham-cumming", "Go at CloudFlare"},
    {"john graham cumming", "Go at CloudFlare"},
    {"bjørn", "DNS Server in Go"},
    // topics
    {"concurrency", "I came for the easy concurrency I stayed for the easy composition"},
    {"garbage collection", "Go 1.4+ Garbage Collection (GC) Plan and Roadmap"},
    {"gc", "Go 1.4+ Garbage Collection (GC) Plan and Roadmap"},
    {"techempower", "TechEmpower Web Framework Benchmarks"},
    {"gophercon india", "Gophercon India"},
    {"dns", "DNS Server in Go"},
    {"autocomplete", "Building Street Address Autocomplete with Go"},
    // abbreviations and spellings
    {"k8s", "Kubernetes + Go = Crazy Delicious"},
    {"nyt", "Go at New York Times"},
    {"dotgo", "dotGo"},
    {"dot go", "dotGo"},
    // typos
    {"dcoker", "Go at Docker"},
    {"kubernets", "Kubernetes + Go = Crazy Delicious"},
    {"cloudfare", "Go at CloudFlare"},
    {"soundclod", "Go at SoundCloud"},
    {"dropbx", "Go at Dropbox"},
    // nonsense
    {"asdfgh", nullptr},
    {"pizza recipe", nullptr},
    {"xyzzy", nullptr},
    {"qq", nullptr},
};
// People by full or last name: every link shown is theirs.
const std::pair<const char*, const char*> people[] = {
    {"rob pike", "Rob Pike"},
    {"pike", "Rob Pike"},
    {"dave cheney", "Dave Cheney"},
    {"cheney", "Dave Cheney"},
    {"brad fitzpatrick", "Brad Fitzpatrick"},
    {"fitzpatrick", "Brad Fitzpatrick"},
    {"Sougoumarane", "Sugu Sougoumarane"},
    {"derek collison", "Derek Collison"},
};
}  // namespace

TEST_CASE("relevance set: people", "[search][relevance]") {
  test::Fixture f;
  for (const auto& [query, author] : people) {
    INFO("query: " << query);
    const auto r = f.app->search().find(query, 0, 5);
    REQUIRE_FALSE(r.links.empty());
    for (const auto& link : r.links) CHECK(link.author == author);
  }
}

TEST_CASE("relevance set", "[search][relevance]") {
  test::Fixture f;
  for (const Case& c : cases) {
    INFO("query: " << c.query);
    const auto r = f.app->search().find(c.query, 0, 5);
    if (!c.first) {
      CHECK(r.links.empty());
    } else {
      REQUIRE_FALSE(r.links.empty());
      CHECK(r.links[0].title == c.first);
    }
  }
}
