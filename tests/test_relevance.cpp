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
// Words only the URL holds: the host (without www.) and the path's words. (The expected link's
// URL is given too where two links share a title.)
struct UrlCase {
  const char* query;
  const char* first;
  const char* url_part;
};
const UrlCase url_words[] = {
    {"servers", "Go at Iron.io", "how-we-went-from-30-servers-to-2-go"},
    {"streaming", "Go at New York Times", "emr-streaming-in-go"},
    {"libraries", "Go at Dropbox", "open-sourcing-our-go-libraries"},
    {"simplicity", "Go at Splice", "golang-improved-simplicity-reduced-maintenance"},
    {"gadget", "Go at Bitly", "go-go-gadget"},
    {"startup", "Go at PopTip", "why-one-startup-made-the-switch"},
    {"demolishes", "Go at Disqus", "its-still-about-realtime-but-go-demolishes"},
    {"highscalability", "Go at Disqus", "highscalability.com"},
    {"splash", "Go at Google", "talks.golang.org/2012/splash.article"},
    // compounds: written together, apart or hyphenated, in the query or in the URL
    {"realtime", "Go at Disqus", "about-realtime-but"},
    {"real time", "Go at Disqus", "about-realtime-but"},
    {"real-time", "Go at Disqus", "about-realtime-but"},
    {"opensourcing", "Go at Dropbox", "open-sourcing"},
    {"open sourcing", "Go at Dropbox", "open-sourcing"},
    {"bigdata", "Go at Torbit", "big-data-at-torbit"},
    {"big data", "Go at Torbit", "big-data-at-torbit"},
    {"5years", "Half a decade with Go", "blog.golang.org/5years"},
    {"5 years", "Half a decade with Go", "blog.golang.org/5years"},
    // numbers
    {"30 servers", "Go at Iron.io", "from-30-servers-to-2-go"},
    {"2 servers", "Go at Iron.io", "from-30-servers-to-2-go"},
    {"1.4", "Go 1.4+ Garbage Collection (GC) Plan and Roadmap", "docs.google.com"},
    {"5 things", "5 things I love", "youtube.com"},
    {"dotscale 2013", "Software I'm excited about", "youtube.com"},
};
// The order of the first links: the title before the URL, words next to each other before words
// apart.
const std::pair<const char*, std::vector<const char*>> orders[] = {
    // "production" is in the first one's title, and in the second one's URL only
    {"production", {"Rewriting a large production system in Go", "Go at BBC"}},
    // "node" is in the titles of two, in the URL only of the third
    {"node", {"Farewell Node.js", "Why I went from Python to Go (and not node.js)", "Go at PopTip"}},
    // "from node" stand together in the PopTip story's URL, apart in the other's title
    {"from node", {"Go at PopTip", "Why I went from Python to Go (and not node.js)"}},
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

TEST_CASE("relevance set: the URL's words, compounds and numbers", "[search][relevance]") {
  test::Fixture f;
  for (const UrlCase& c : url_words) {
    INFO("query: " << c.query);
    const auto r = f.app->search().find(c.query, 0, 5);
    REQUIRE_FALSE(r.links.empty());
    CHECK(r.links[0].title == c.first);
    CHECK(r.links[0].url.find(c.url_part) != std::string::npos);
    CHECK(r.corrections.empty());
  }
}

TEST_CASE("relevance set: title before URL, neighbours before scattered words", "[search][relevance]") {
  test::Fixture f;
  for (const auto& [query, titles] : orders) {
    INFO("query: " << query);
    const auto r = f.app->search().find(query, 0, 5);
    REQUIRE(r.links.size() >= titles.size());
    for (std::size_t i = 0; i < titles.size(); ++i) CHECK(r.links[i].title == titles[i]);
  }
}
