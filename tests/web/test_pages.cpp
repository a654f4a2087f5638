// The web pages' parts without a server: escaping, the feed's ids, the setting.
#include <catch2/catch.hpp>

#include "adapters/web/config.hpp"
#include "adapters/web/feed.hpp"
#include "adapters/web/pages.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

Link hostile_link() {
  Link link;
  link.id = 7;
  link.title = "<script>alert(1)</script> \"Go\" & 'you'";
  link.url = "https://example.org/?a=1&b=\"2\"";
  link.author = "<b>Eve</b>";
  link.medium = "<i>YouTube</i>";
  link.section = "Why <Go>";
  link.tags = {"<x>"};
  return link;
}

}  // namespace

TEST_CASE("every value from the catalog is escaped on every page", "[web][escape]") {
  const Link link = hostile_link();
  Reply found;
  found.title = "Why Go: <script>";
  found.links = {link};
  found.total = 1;
  found.note = "Did you mean \"<script>\"?";
  Reply story = found;
  story.title = "Go story of the day, 27 Nov 2026";
  const auto day = date::sys_days{date::year{2026} / 11 / 27};
  const std::vector<std::string> pages = {
      web::home_page({{{"Why <Go>", 1}}, story, {{"<Add>", "https://x.example/?a=\"1\"", "<then>"}}}),
      web::search_page("<script>alert(1)</script>", found, 1, 5), web::link_page(link),
      web::story_page(story, day, day - date::days{1}, std::nullopt), web::problem_page("<t>", "<x>")};
  for (const std::string& page : pages) {
    INFO(page);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<b>") == std::string::npos);
    CHECK(page.find("<i>") == std::string::npos);
    CHECK(page.find("<x>") == std::string::npos);
    CHECK(page.find("<Go>") == std::string::npos);
    CHECK(page.find("<Add>") == std::string::npos);
    CHECK(page.find("\"Go\"") == std::string::npos);
  }
  CHECK(pages[2].find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Go&quot; &amp; &#39;you&#39;") != std::string::npos);
  CHECK(pages[2].find("href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\"") != std::string::npos);
  // The query goes back into the search box escaped, and into the next page's link encoded.
  CHECK(pages[1].find("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"") != std::string::npos);
}

TEST_CASE("a link that is not a web address is shown, not linked", "[web][escape]") {
  Link link = hostile_link();
  link.url = "javascript:alert(1)";
  const std::string page = web::link_page(link);
  CHECK(page.find("href=\"javascript:") == std::string::npos);
  CHECK(page.find("javascript:alert(1)") != std::string::npos);
}

TEST_CASE("the feed's entry id depends on the date alone", "[web][feed]") {
  const auto day = date::sys_days{date::year{2026} / 11 / 27};
  CHECK(web::entry_id("https://whygo.example.org", day) == "tag:whygo.example.org,2026:story/2026-11-27");
  CHECK(web::entry_id("https://WhyGo.example.org:8443/base", day) == "tag:whygo.example.org,2026:story/2026-11-27");
  CHECK(web::entry_id("", day) == "tag:whygo,2026:story/2026-11-27");
  CHECK(web::entry_id("", day + date::days{1}) == "tag:whygo,2026:story/2026-11-28");
  Link link = hostile_link();
  link.title += std::string("\x01\x1b", 2);  // not allowed in XML 1.0
  const std::string feed = web::atom_feed("", {{day, link}});
  CHECK(feed.find("<script") == std::string::npos);
  CHECK(feed.find('\x01') == std::string::npos);
  CHECK(feed.find('\x1b') == std::string::npos);
  CHECK(feed.find("<updated>2026-11-27T00:00:00Z</updated>") != std::string::npos);
}

TEST_CASE("the web setting: on by default, off by web.enabled or WHYGO_WEB", "[web][config]") {
  CHECK(web::WebConfig::load(nullptr).enabled);
  CHECK_THROWS_WITH(web::WebConfig::load(false), Catch::Contains("\"web\": {\"enabled\": false}"));
  CHECK_FALSE(web::WebConfig::load({{"enabled", false}}).enabled);
  CHECK_THROWS_WITH(web::WebConfig::load({{"enable", false}}), Catch::Contains("web.enable: unknown setting"));
  CHECK_THROWS_WITH(web::WebConfig::load({{"enabled", "no"}}), Catch::Contains("web.enabled"));
  {
    test::ScopedEnv off("WHYGO_WEB", "0");
    CHECK_FALSE(web::WebConfig::load({{"enabled", true}}).enabled);
  }
  {
    test::ScopedEnv on("WHYGO_WEB", "true");
    CHECK(web::WebConfig::load({{"enabled", false}}).enabled);
  }
  test::ScopedEnv bad("WHYGO_WEB", "maybe");
  CHECK_THROWS_WITH(web::WebConfig::load(nullptr), Catch::Contains("WHYGO_WEB"));
}
