// The web routes through the real `whygo serve` on loopback: headers, caching, escaping, errors,
// the exports, the feed through a real feed parser, the `web` setting and the front door's limits.
#include <date/date.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace whygo;

namespace {

// `whygo ask --json ...` on the server's database, as the local operator (an admin).
nlohmann::json ask(const std::string& db, const std::string& words) {
  const auto result = test::run("WHYGO_DB=" + db + " " + std::string(WHYGO_BINARY) + " ask --json -- " + words);
  return nlohmann::json::parse(result.out);
}

struct Site {
  test::TempDir dir;
  std::string db = dir.file("w.db");
  test::ServerProcess server;
  httplib::Client client;
  explicit Site(std::vector<std::string> env = {})
      : server(std::move(env), dir.file("w.db")), client("127.0.0.1", server.port()) {}
};

// A change made by another process reaches the server's searches within a second.
bool found_within_a_second(Site& site, const std::string& path, const std::string& text) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    const auto res = site.client.Get(path);
    if (res && res->body.find(text) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string today() {
  const auto now = std::chrono::system_clock::now();
  const date::year_month_day ymd{date::floor<date::days>(now)};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

std::string day_offset(int days) {
  const date::year_month_day ymd{date::floor<date::days>(std::chrono::system_clock::now()) + date::days{days}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace

TEST_CASE("every web page is HTML with a strict policy, cacheable by the catalog's version", "[web][server]") {
  Site site;
  for (const std::string& path :
       std::vector<std::string>{"/", "/search?q=docker", "/links/1", "/story", "/story/" + today()}) {
    INFO(path);
    const auto res = site.client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    const std::string policy = res->get_header_value("Content-Security-Policy");
    CHECK(policy.find("default-src 'none'") != std::string::npos);
    CHECK(policy.find("script-src") == std::string::npos);  // none: default-src forbids every script
    CHECK(policy.find("unsafe") == std::string::npos);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
    CHECK(res->get_header_value("Cache-Control").find("max-age") != std::string::npos);
    const std::string etag = res->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    CHECK(res->body.find("<script") == std::string::npos);
    CHECK(res->body.find("href=\"/style.css\"") != std::string::npos);
    // Each page reaches the others.
    for (const char* link : {"href=\"/\"", "href=\"/story\"", "href=\"/feed.atom\"", "href=\"/install\"",
                             "href=\"/catalog.md\"", "href=\"/catalog.json\"", "action=\"/search\""})
      CHECK(res->body.find(link) != std::string::npos);
    const auto again = site.client.Get(path, {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
  }
  const auto css = site.client.Get("/style.css");
  REQUIRE(css);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  CHECK(css->body.find("prefers-color-scheme: dark") != std::string::npos);
}

TEST_CASE("a change to the catalog moves every page's ETag", "[web][server]") {
  Site site;
  const auto before = site.client.Get("/");
  REQUIRE(before);
  const std::string etag = before->get_header_value("ETag");
  const auto added = ask(site.db, "add https://example.org/new-go-story \"A new Go story\"");
  REQUIRE(added["error"] == "ok");
  const auto after = site.client.Get("/", {{"If-None-Match", etag}});
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->get_header_value("ETag") != etag);
  // Added by another process (`whygo ask add`): searchable within a second (bot/catalog_watch.hpp).
  CHECK(found_within_a_second(site, "/search?q=new+go+story", "A new Go story"));
}

TEST_CASE("a hostile title and a hostile query are shown as text", "[web][server][escape]") {
  Site site;
  const auto added =
      ask(site.db, "add https://example.org/evil \"<script>alert(1)</script><img src=x onerror=alert(2)>\"");
  REQUIRE(added["error"] == "ok");
  const std::string text = added["text"];  // "Added #64 ..."
  REQUIRE(text.rfind("Added #", 0) == 0);
  const std::string id = text.substr(7, text.find(' ', 7) - 7);
  REQUIRE(found_within_a_second(site, "/search?q=script+alert", "&lt;script&gt;"));
  for (const std::string& path : std::vector<std::string>{
           "/links/" + id, "/search?q=script+alert", "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E%22%3E%3Cimg"}) {
    INFO(path);
    const auto res = site.client.Get(path);
    REQUIRE(res);
    CHECK(res->body.find("<script") == std::string::npos);
    CHECK(res->body.find("<img") == std::string::npos);
    CHECK(res->body.find("&lt;script&gt;") != std::string::npos);
  }
  const auto md = site.client.Get("/catalog.json");
  REQUIRE(md);
  CHECK(md->get_header_value("Content-Type") == "application/json");
  CHECK(md->get_header_value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("/search pages like chat, and says what is wrong", "[web][server][search]") {
  Site site;
  const auto chat = ask(site.db, "docker");
  const auto page = site.client.Get("/search?q=docker");
  REQUIRE(page);
  std::size_t at = 0;
  for (const auto& link : chat["links"]) {  // chat's links, in chat's order
    const std::string title = link["title"];
    const std::size_t found = page->body.find(">" + title + "</a>", at);
    CHECK(found != std::string::npos);
    at = found;
  }
  CHECK(page->body.find("rel=\"next\"") == std::string::npos);  // one page holds them all
  const auto more = ask(site.db, "youtube");
  const auto first = site.client.Get("/search?q=youtube");
  REQUIRE(first);
  CHECK(first->body.find("rel=\"next\" href=\"/search?q=youtube&amp;page=2\"") != std::string::npos);
  const auto second = site.client.Get("/search?q=youtube&page=2");
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(second->body.find("rel=\"prev\"") != std::string::npos);
  CHECK(second->body.find("<ol class=\"links\" start=\"6\">") != std::string::npos);
  CHECK(more["total"].get<std::size_t>() > 5);
  const auto typo = site.client.Get("/search?q=dcoker");
  REQUIRE(typo);
  CHECK(typo->body.find("Did you mean &quot;docker&quot;?") != std::string::npos);
  const auto empty = site.client.Get("/search?q=");
  REQUIRE(empty);
  CHECK(empty->status == 200);
  CHECK(empty->body.find("Search for what?") != std::string::npos);
  const auto nothing = site.client.Get("/search?q=qqxxzzvv");
  REQUIRE(nothing);
  CHECK(nothing->body.find("No link matches &quot;qqxxzzvv&quot;") != std::string::npos);
  for (const char* bad : {"/search?q=go&page=0", "/search?q=go&page=x", "/search?q=go&page=21",
                          "/search?q=go&page=99999999999999999999999"}) {
    INFO(bad);
    const auto res = site.client.Get(bad);
    REQUIRE(res);
    CHECK(res->status == 400);
  }
}

TEST_CASE("/links and /story answer what they have, and 404 or 400 otherwise", "[web][server]") {
  Site site;
  const auto link = site.client.Get("/links/1");
  REQUIRE(link);
  CHECK(link->status == 200);
  CHECK(link->body.find("<dt>Added</dt><dd>" + today()) != std::string::npos);
  CHECK(link->body.find("/whygo remove 1") != std::string::npos);
  for (const char* missing : {"/links/999999", "/links/abc", "/links/123456789012345678901234", "/links/"}) {
    INFO(missing);
    const auto res = site.client.Get(missing);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("No such link") != std::string::npos);
  }
  const auto chat = ask(site.db, "story " + day_offset(-3));
  const auto story = site.client.Get("/story/" + day_offset(-3));
  REQUIRE(story);
  CHECK(story->status == 200);
  CHECK(story->body.find(">" + chat["links"][0]["title"].get<std::string>() + "</a>") != std::string::npos);
  CHECK(story->body.find("href=\"/story/" + day_offset(-4) + "\"") != std::string::npos);
  CHECK(story->body.find("href=\"/story/" + day_offset(-2) + "\"") != std::string::npos);
  const auto today_page = site.client.Get("/story");
  REQUIRE(today_page);
  CHECK(today_page->body.find("rel=\"next\"") == std::string::npos);  // tomorrow is not told yet
  for (const char* bad : {"/story/2026-13-45", "/story/tomorrow", "/story/2026-02-30"}) {
    INFO(bad);
    const auto res = site.client.Get(bad);
    REQUIRE(res);
    CHECK(res->status == 400);
  }
  for (const std::string& far : std::vector<std::string>{"/story/" + day_offset(1), "/story/" + day_offset(-400),
                                                         "/story/0001-01-01", "/story/9999-12-31"}) {
    INFO(far);
    const auto res = site.client.Get(far);
    REQUIRE(res);
    CHECK(res->status == 404);
  }
}

TEST_CASE("/catalog.md is `whygo export`, /catalog.json the same catalog", "[web][server][export]") {
  Site site;
  const auto md = site.client.Get("/catalog.md");
  REQUIRE(md);
  CHECK(md->get_header_value("Content-Type") == "text/markdown; charset=utf-8");
  const auto exported = test::run("WHYGO_DB=" + site.db + " " + std::string(WHYGO_BINARY) + " export");
  REQUIRE(exported.exit_code == 0);
  CHECK(md->body == exported.out);
  const auto json = site.client.Get("/catalog.json");
  REQUIRE(json);
  const auto catalog = nlohmann::json::parse(json->body);
  std::size_t counted = 0;
  for (const auto& s : catalog["sections"]) counted += s["links"].get<std::size_t>();
  CHECK(catalog["links"].size() == counted);
  CHECK(counted > 50);
  CHECK(catalog["links"][0]["url"].get<std::string>().starts_with("http"));
}

TEST_CASE("the feed parses with feedparser, 30 days, the same entry ids on every run", "[web][server][feed]") {
  const auto read = [](const std::vector<std::string>& env) {
    Site site(env);
    const auto result = test::run("/usr/bin/python3 " + std::string(WHYGO_SOURCE_DIR) + "/tests/web/feed_check.py " +
                                  site.server.base_url() + "/feed.atom");
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.out);
  };
  const auto first = read({"WHYGO_PUBLIC_URL=https://whygo.example.org"});
  CHECK(first["bozo"] == 0);
  CHECK(first["version"] == "atom10");
  CHECK(first["title"] == "whygo: the Go story of the day");
  REQUIRE(first["entries"].size() == 30);
  CHECK(first["entries"][0]["id"] == "tag:whygo.example.org,2026:story/" + today());
  CHECK(first["entries"][1]["id"] == "tag:whygo.example.org,2026:story/" + day_offset(-1));
  CHECK(first["entries"][0]["updated"] == today() + "T00:00:00Z");
  CHECK(first["entries"][0]["alternate"].get<std::string>().starts_with("http"));
  const auto second = read({"WHYGO_PUBLIC_URL=https://whygo.example.org"});  // another run, another database
  REQUIRE(second["entries"].size() == 30);
  for (std::size_t i = 0; i < 30; ++i) CHECK(second["entries"][i]["id"] == first["entries"][i]["id"]);
}

TEST_CASE("WHYGO_WEB=0 turns the pages off and keeps /install", "[web][server][config]") {
  Site site({"WHYGO_WEB=0"});
  const auto home = site.client.Get("/");
  REQUIRE(home);
  CHECK(home->status == 404);
  for (const char* path : {"/search?q=docker", "/story", "/feed.atom", "/catalog.json", "/links/1"}) {
    INFO(path);
    const auto res = site.client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("web is off on this server") != std::string::npos);
  }
  const auto install = site.client.Get("/install");
  REQUIRE(install);
  CHECK(install->status == 200);
}

TEST_CASE("the web routes keep the front door's limits", "[web][server][limits]") {
  Site site;
  // A request line past the front door's header limit is refused before any page is made.
  const auto huge = site.client.Get("/search?q=" + std::string(20 * 1024, 'a'));
  if (huge) CHECK(huge->status >= 400);
  // Pages take GET only: a body sent to them changes nothing and is refused.
  const auto post = site.client.Post("/search", "q=docker", "application/x-www-form-urlencoded");
  REQUIRE(post);
  CHECK(post->status >= 400);
  // A long query within the limit (a request line up to 8 KiB) is cut by the search as in chat.
  const auto longer = site.client.Get("/search?q=" + std::string(4 * 1024, 'b'));
  REQUIRE(longer);
  CHECK(longer->status == 200);
  const auto after = site.client.Get("/");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("/links/{id} shows the link's health and a dead link's archived copy, never what the site sent",
          "[web][server][links]") {
  test::FakePlatform fake;  // the site, and the Internet Archive's availability API
  fake.routes().Get("/gone", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("<script>alert('from the site')</script>", "text/html");
  });
  fake.routes().Get("/wayback/available", [](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = {{"archived_snapshots",
                                  {{"closest",
                                    {{"available", true},
                                     {"status", "200"},
                                     {"url", "http://web.archive.org/web/2015/" + req.get_param_value("url")}}}}}};
    res.set_content(body.dump(), "application/json");
  });
  fake.start();
  Site site;
  const std::string url = fake.base_url() + "/gone";
  CHECK(ask(site.db, "add " + url + " \"Gone gophers\"")["text"].get<std::string>().find("#64") != std::string::npos);
  const auto before = site.client.Get("/links/64");
  REQUIRE(before);
  CHECK(before->body.find("<dt>Health</dt>") == std::string::npos);  // not checked yet
  const auto checked =
      test::run("WHYGO_DB=" + site.db + " WHYGO_FETCH_ALLOW=127.0.0.1/32 WHYGO_LINK_DEAD_AFTER=1/0 WHYGO_ARCHIVE_URL=" +
                fake.base_url() + "/wayback/available " + WHYGO_BINARY + " check-links --id 64");
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  const auto after = site.client.Get("/links/64", {{"If-None-Match", before->get_header_value("ETag")}});
  REQUIRE(after);
  CHECK(after->status == 200);  // the check changed the page
  CHECK(after->body.find("<dt>Health</dt><dd>dead: failing since " + today() + " (checked " + today() +
                         ", HTTP 404)</dd>") != std::string::npos);
  CHECK(after->body.find("<dt>Archived copy</dt><dd><a href=\"http://web.archive.org/web/2015/" + url + "\">") !=
        std::string::npos);
  CHECK(after->body.find("from the site") == std::string::npos);
  // /metrics counts the catalog's health as the store has it.
  const auto metrics = site.client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("\nwhygo_links_dead 1\n") != std::string::npos);
  CHECK(metrics->body.find("\nwhygo_links_alive 0\n") != std::string::npos);
}
