#include <catch2/catch.hpp>

#include <algorithm>

#include "bot/embedded.hpp"
#include "bot/tags.hpp"
#include "bot/wiki.hpp"

using namespace whygo;

namespace {

const Link& by_url(const wiki::Page& page, const std::string& url) {
  const auto it = std::find_if(page.links.begin(), page.links.end(), [&](const Link& l) { return l.url == url; });
  REQUIRE(it != page.links.end());
  return *it;
}

bool has_tag(const Link& link, const std::string& tag) {
  return std::find(link.tags.begin(), link.tags.end(), tag) != link.tags.end();
}

}  // namespace

TEST_CASE("the bundled page yields all 63 links in three sections", "[wiki]") {
  const auto page = wiki::parse(embedded::wiki_md);
  CHECK(page.links.size() == 63);
  CHECK(page.sections == std::vector<std::string>{"Why Go", "Benchmarks", "Conference & Meetup"});
  CHECK(std::count_if(page.links.begin(), page.links.end(), [](const Link& l) { return l.section == "Benchmarks"; }) ==
        3);
  // Two talks share one URL under different titles; both survive.
  const std::string shared = "https://www.youtube.com/watch?v=4KFTacxqkcQ";
  CHECK(std::count_if(page.links.begin(), page.links.end(), [&](const Link& l) { return l.url == shared; }) == 2);
}

TEST_CASE("importer reads title, url, author, medium and section", "[wiki]") {
  const auto page = wiki::parse(embedded::wiki_md);
  const Link& vitess = by_url(page, "https://www.youtube.com/watch?v=qATTTSg6zXk");
  CHECK(vitess.title == "Go at YouTube (Vitess)");
  CHECK(vitess.author == "Sugu Sougoumarane");
  CHECK(vitess.medium == "FOSDEM 2014");
  CHECK(vitess.section == "Why Go");
  CHECK(vitess.subject == "YouTube");
  CHECK(has_tag(vitess, "youtube"));
  CHECK(has_tag(vitess, "vitess"));
  CHECK(has_tag(vitess, "youtube.com"));
  CHECK(has_tag(vitess, "video"));

  const Link& docker =
      by_url(page, "http://www.slideshare.net/jpetazzo/docker-and-go-why-did-we-decide-to-write-docker-in-go");
  CHECK(docker.title == "Go at Docker");
  CHECK(docker.author.empty());
  CHECK(docker.medium.empty());
  CHECK(docker.subject == "Docker");
  CHECK(has_tag(docker, "slides"));

  const Link& disqus = by_url(page, "http://blog.disqus.com/post/51155103801/trying-out-this-go-thing");
  CHECK(disqus.author == "Matt Robenolt");
  CHECK(disqus.medium == "#1");

  const Link& so =
      by_url(page, "http://stackoverflow.com/questions/12574909/can-go-really-be-that-much-faster-than-python");
  CHECK(so.author.empty());
  CHECK(so.medium == "on StackOverflow");
  CHECK(has_tag(so, "discussion"));

  const Link& blog = by_url(page, "http://blog.golang.org/5years");
  CHECK(blog.title == "Half a decade with Go");
  CHECK(blog.author == "golang.org Blog");

  const Link& love = by_url(page, "https://www.youtube.com/watch?v=fsTOOPB1TBY");
  CHECK(love.author == "Andrew Gerrand");
  CHECK(love.medium == "dotGo 2014");

  const Link& shopify = by_url(page, "https://twitter.com/tobi/status/245873677483274240");
  CHECK(shopify.author == "Tobias Lütke");

  const Link& dotgo = by_url(page, "http://www.dotgo.eu/");
  CHECK(dotgo.section == "Conference & Meetup");
  CHECK(has_tag(dotgo, "site"));
  CHECK(has_tag(dotgo, "dotgo.eu"));
}

TEST_CASE("subjects come from the usual title shapes", "[wiki][tags]") {
  CHECK(tags::subject_of("Go at Docker") == "Docker");
  CHECK(tags::subject_of("Go at YouTube (Vitess)") == "YouTube");
  CHECK(tags::subject_of("Go at New York Times") == "New York Times");
  CHECK(tags::subject_of("Go at Uber: geofencing") == "Uber");
  CHECK(tags::subject_of("Go at Mercado-Libre, ten years on") == "Mercado-Libre");
  CHECK(tags::subject_of("Why InfluxDB is written in Go") == "InfluxDB");
  CHECK(tags::subject_of("How Continuum ended up being written in Go") == "Continuum");
  CHECK(tags::subject_of("Kubernetes + Go = Crazy Delicious") == "Kubernetes");
  CHECK(tags::subject_of("Is Google using Go internally?") == "Google");
  CHECK(tags::subject_of("dl.google.com now served by Go") == "Google");
  CHECK(tags::subject_of("Big data at Torbit") == "Torbit");
  CHECK(tags::subject_of("Why Learn Go").empty());
  CHECK(tags::subject_of("Why I Program in Go").empty());
  CHECK(tags::subject_of("Five things that make Go fast").empty());
}

TEST_CASE("hosts and media kinds", "[wiki][tags]") {
  CHECK(tags::host_of("https://www.YouTube.com:443/watch?v=x") == "youtube.com");
  CHECK(tags::host_of("http://user@blog.example.org/x") == "blog.example.org");
  Link talk;
  talk.url = "http://talks.golang.org/2012/splash.article";
  CHECK(tags::media_kind(talk) == "article");
  talk.url = "http://talks.golang.org/2012/splash.slide";
  CHECK(tags::media_kind(talk) == "slides");
  talk.url = "https://groups.google.com/d/msg/golang-nuts/x";
  CHECK(tags::media_kind(talk) == "discussion");
  talk.url = "https://example.org/";
  CHECK(tags::media_kind(talk) == "site");
}

TEST_CASE("render writes markdown that parses back to the same links", "[wiki]") {
  const auto page = wiki::parse(embedded::wiki_md);
  const auto again = wiki::parse(wiki::render(page.sections, page.links));
  REQUIRE(again.links.size() == page.links.size());
  CHECK(again.sections == page.sections);
  for (std::size_t i = 0; i < page.links.size(); ++i) {
    CHECK(again.links[i].title == page.links[i].title);
    CHECK(again.links[i].url == page.links[i].url);
    CHECK(again.links[i].author == page.links[i].author);
    CHECK(again.links[i].medium == page.links[i].medium);
    CHECK(again.links[i].section == page.links[i].section);
    CHECK(again.links[i].tags == page.links[i].tags);
  }
}

TEST_CASE("hostile titles and URLs survive a round trip", "[wiki]") {
  Link odd;
  odd.title = "Brackets [in] a \\ title ] (and parens)";
  odd.url = "https://en.wikipedia.org/wiki/Go_(programming_language)";
  odd.author = "Someone";
  odd.medium = "Article";
  odd.section = "Why Go";
  Link unbalanced = odd;
  unbalanced.title = "<!channel> @everyone";
  unbalanced.url = "https://example.org/a)b(c d";
  const auto again = wiki::parse(wiki::render({"Why Go"}, {odd, unbalanced}));
  REQUIRE(again.links.size() == 2);
  CHECK(again.links[0].title == odd.title);
  CHECK(again.links[0].url == odd.url);
  CHECK(again.links[0].medium == "Article");
  CHECK(again.links[1].title == unbalanced.title);
  CHECK(again.links[1].url == "https://example.org/a%29b%28c%20d");
}

TEST_CASE("odd input is skipped, never fatal", "[wiki]") {
  const auto page =
      wiki::parse("# S\n* not a link\n* [no url]\n* [t](\n* [](http://x)\n*\n\n* [ok](https://ok.example/) by Me\n");
  REQUIRE(page.links.size() == 1);
  CHECK(page.links[0].title == "ok");
  CHECK(page.links[0].author == "Me");
  CHECK(page.links[0].section == "S");
}
