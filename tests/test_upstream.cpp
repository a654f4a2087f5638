// Following the upstream page, apart from HTTP: what a sync does to the catalog (both stores),
// when it is refused, what it keeps between syncs, and which pages it takes for the wiki's.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <algorithm>

#include "app/app.hpp"
#include "bot/catalog_import.hpp"
#include "bot/config.hpp"
#include "bot/embedded.hpp"
#include "bot/ip_range.hpp"
#include "bot/limits.hpp"
#include "bot/sync_schedule.hpp"
#include "bot/upstream_sync.hpp"
#include "bot/wiki.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

const std::string page_url = "https://wiki.example.org/WhyGo.md";
const std::string docker_url =
    "http://www.slideshare.net/jpetazzo/docker-and-go-why-did-we-decide-to-write-docker-in-go";
const std::string boring_url = "http://stevebate.silvrback.com/go-is-boring";
const std::string fast_url = "http://dave.cheney.net/2014/06/07/five-things-that-make-go-fast";

std::string replaced(std::string page, const std::string& from, const std::string& to) {
  const auto at = page.find(from);
  REQUIRE(at != std::string::npos);
  return page.replace(at, from.size(), to);
}

// The page without the list item that links to url.
std::string without(std::string page, const std::string& url) {
  const auto at = page.find("](" + url + ")");
  REQUIRE(at != std::string::npos);
  const auto start = page.rfind('\n', at) + 1;
  return page.erase(start, page.find('\n', at) + 1 - start);
}

// The bundled page with two more links under "Why Go".
std::string with_two_more(const std::string& page) {
  return replaced(page, "# Why Go\n\n",
                  "# Why Go\n\n  * [Why we chose Go at Acme](https://blog.acme.dev/why-go) by Jane Roe\n"
                  "  * [Go in production at Initech](https://eng.initech.dev/go) by Bill Lumbergh (Article)\n");
}

UpstreamApplied sync(Database& store, const std::string& markdown) {
  const wiki::Page page = wiki::parse(markdown);
  return store.apply_upstream(page.sections, page.links, upstream::actor_for(page_url, test::test_unix()),
                              limits::sync_max_removed_share);
}

std::unique_ptr<Database> seeded(const test::TempDir& dir) {
  auto store = open_database(test::database(dir, "w.db"));
  import_wiki(*store, embedded::wiki_md, test::test_unix());
  return store;
}

const Actor admin{"slack", "U1", test::test_unix()};

Link uber() {
  Link link;
  link.title = "Go at Uber: geofencing";
  link.url = "https://www.uber.com/blog/go-geofence/";
  link.section = "Why Go";
  return link;
}

std::optional<Link> by_url(Database& store, const std::string& url) {
  for (const Link& link : store.links())
    if (link.url == url) return link;
  return std::nullopt;
}

}  // namespace

TEST_CASE("a sync adds, changes and takes out what the page did, as the upstream, keeping admins' links",
          "[upstream][backends]") {
  test::TempDir dir;
  const auto store = seeded(dir);
  REQUIRE(store->add_link(uber(), admin).status == WriteStatus::done);
  // An admin renamed "Go is Boring"; the page then drops it and "Five things...": only the
  // untouched one goes.
  Link boring = *by_url(*store, boring_url);
  boring.title = "Go is boring (and that is good)";
  REQUIRE(store->update_link(boring, AuditAction::edit, admin).status == WriteStatus::done);
  const std::size_t history_before = store->history(1000).size();

  std::string page = with_two_more(std::string(embedded::wiki_md));
  page = replaced(page, "[Go at Docker]", "[Go at Docker, Inc.]");
  page = without(without(page, boring_url), fast_url);
  const UpstreamApplied applied = sync(*store, page);

  REQUIRE_FALSE(applied.refused);
  REQUIRE(applied.added.size() == 2);
  CHECK(applied.added[0].title == "Why we chose Go at Acme");
  CHECK(applied.added[1].title == "Go in production at Initech");
  REQUIRE(applied.updated.size() == 1);
  CHECK(applied.updated[0].first.title == "Go at Docker");
  CHECK(applied.updated[0].second.title == "Go at Docker, Inc.");
  REQUIRE(applied.removed.size() == 1);
  CHECK(applied.removed[0].url == fast_url);
  CHECK(applied.kept == 2);  // the admin's Uber link, and the link the admin renamed
  CHECK(store->link_count() == 63 + 1 + 2 - 1);
  CHECK(by_url(*store, "https://www.uber.com/blog/go-geofence/"));
  CHECK(by_url(*store, boring_url)->title == "Go is boring (and that is good)");
  CHECK_FALSE(by_url(*store, fast_url));

  // Every change has its audit row, as the upstream.
  const auto history = store->history(1000);
  REQUIRE(history.size() == history_before + 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(history[i].platform == "upstream");
    CHECK(history[i].user == page_url);
  }

  // The same page again changes nothing.
  const std::int64_t version = store->catalog_version();
  const UpstreamApplied again = sync(*store, page);
  CHECK(again.added.empty());
  CHECK(again.updated.empty());
  CHECK(again.removed.empty());
  CHECK(store->catalog_version() == version);
}

TEST_CASE("a sync that would take out more than a fifth of the catalog changes nothing", "[upstream][backends]") {
  test::TempDir dir;
  const auto store = seeded(dir);
  const std::int64_t version = store->catalog_version();
  const std::size_t history = store->history(1000).size();
  // Half the page gone, and a new link besides: refused whole, the new link too.
  std::string page = with_two_more(std::string(embedded::wiki_md));
  const wiki::Page full = wiki::parse(embedded::wiki_md);
  for (std::size_t i = 0; i < full.links.size() / 2; ++i) page = without(page, full.links[i].url);
  const UpstreamApplied applied = sync(*store, page);
  REQUIRE(applied.refused);
  CHECK(applied.refused->find("remove 31 of the 63 links") != std::string::npos);
  CHECK(applied.added.empty());
  CHECK(store->catalog_version() == version);
  CHECK(store->history(1000).size() == history);
  CHECK(store->link_count() == 63);
  CHECK_FALSE(by_url(*store, "https://blog.acme.dev/why-go"));
}

TEST_CASE("the upstream's changes are the page's: a later sync follows the page, an admin's edit stays",
          "[upstream][backends]") {
  test::TempDir dir;
  const auto store = seeded(dir);
  sync(*store, replaced(std::string(embedded::wiki_md), "[Go at Docker]", "[Go at Docker, Inc.]"));
  REQUIRE(by_url(*store, docker_url)->title == "Go at Docker, Inc.");
  // The page goes back: so does the title (the upstream's edit is no admin's).
  auto applied = sync(*store, std::string(embedded::wiki_md));
  CHECK(applied.updated.size() == 1);
  CHECK(by_url(*store, docker_url)->title == "Go at Docker");
  // An import also takes the upstream's edits for the page's.
  sync(*store, replaced(std::string(embedded::wiki_md), "[Go at Docker]", "[Go at Docker, Inc.]"));
  CHECK(import_wiki(*store, embedded::wiki_md, test::test_unix()).updated == 1);
  CHECK(by_url(*store, docker_url)->title == "Go at Docker");

  // An admin's title wins over the page's.
  Link docker = *by_url(*store, docker_url);
  docker.title = "Docker and Go";
  REQUIRE(store->update_link(docker, AuditAction::edit, admin).status == WriteStatus::done);
  applied = sync(*store, replaced(std::string(embedded::wiki_md), "[Go at Docker]", "[Go at Docker, Inc.]"));
  for (const auto& [before, after] : applied.updated) CHECK(after.title == "Docker and Go");
  CHECK(by_url(*store, docker_url)->title == "Docker and Go");
}

TEST_CASE("a link the upstream took out comes back with the page, one an admin removed stays out",
          "[upstream][backends]") {
  test::TempDir dir;
  const auto store = seeded(dir);
  const Link fast = *by_url(*store, fast_url);
  const Link boring = *by_url(*store, boring_url);
  REQUIRE(store->remove_link(boring.id, admin).status == WriteStatus::done);
  REQUIRE(sync(*store, without(std::string(embedded::wiki_md), fast_url)).removed.size() == 1);
  CHECK_FALSE(store->link(fast.id));

  const UpstreamApplied back = sync(*store, std::string(embedded::wiki_md));
  REQUIRE(back.added.size() == 1);
  CHECK(back.added[0].id == fast.id);  // the same link, with its id
  CHECK(store->link(fast.id));
  CHECK_FALSE(store->link(boring.id));
  CHECK(store->link_count() == 62);
}

TEST_CASE("the page's validators are kept per URL, and one process claims each scheduled period",
          "[upstream][backends]") {
  test::TempDir dir;
  const auto store = seeded(dir);
  CHECK_FALSE(store->upstream_state(page_url));
  store->save_upstream_state({page_url, "\"v1\"", "Wed, 02 Dec 2026 10:00:00 GMT", 100, 90, "changed"});
  store->save_upstream_state({page_url, "\"v2\"", "Wed, 02 Dec 2026 11:00:00 GMT", 200, 90, "unchanged"});
  const auto state = store->upstream_state(page_url);
  REQUIRE(state);
  CHECK(state->etag == "\"v2\"");
  CHECK(state->last_modified == "Wed, 02 Dec 2026 11:00:00 GMT");
  CHECK(state->checked_at == 200);
  CHECK(state->changed_at == 90);
  CHECK(state->outcome == "unchanged");
  CHECK_FALSE(store->upstream_state("https://other.example.org/WhyGo.md"));

  // A second replica on the same database.
  const auto other = open_database(test::database(dir, "w.db"));
  CHECK(store->claim_upstream_sync(86400, "a", 86401));
  CHECK_FALSE(other->claim_upstream_sync(86400, "b", 86402));
  CHECK_FALSE(store->claim_upstream_sync(86400, "a", 86403));
  CHECK(other->claim_upstream_sync(2 * 86400, "b", 2 * 86400 + 1));
}

TEST_CASE("a plan for a sync takes out only the page's links that no admin touched", "[upstream]") {
  Link a, b, c;
  a.id = 1, a.title = "A", a.url = "https://a.example.org/", a.section = "Why Go";
  b.id = 2, b.title = "B", b.url = "https://b.example.org/", b.section = "Why Go";
  c.id = 3, c.title = "C", c.url = "https://c.example.org/", c.section = "Why Go", c.origin = LinkOrigin::admin;
  catalog_import::UpstreamFacts facts;
  const auto plan = catalog_import::plan({a, b, c}, {}, {a}, &facts);
  CHECK(plan.vanished == std::vector<std::int64_t>{2});
  CHECK(plan.kept == 1);
  CHECK(catalog_import::refusal(plan, 3, 0.2));
  CHECK_FALSE(catalog_import::refusal(plan, 3, 0.5));
  // A plain import never plans anything out.
  CHECK(catalog_import::plan({a, b, c}, {}, {a}).vanished.empty());
}

TEST_CASE("only the wiki's markdown is taken for the page", "[upstream]") {
  const auto check = [](std::string content_type, std::string body) {
    upstream::FetchResponse response;
    response.status = 200;
    response.headers = {{"content-type", std::move(content_type)}};
    response.body = std::move(body);
    return upstream::not_wiki_page(response, wiki::parse(response.body));
  };
  CHECK_FALSE(check("text/plain; charset=utf-8", std::string(embedded::wiki_md)));
  CHECK_FALSE(check("", std::string(embedded::wiki_md)));
  // go.dev/wiki/WhyGo (the page rendered), or a login page: HTML, even with links in it.
  CHECK(check("text/html; charset=utf-8", std::string(embedded::wiki_md))->find("HTML") != std::string::npos);
  CHECK(check("text/plain", "\n<!DOCTYPE html><html><body><a href=\"https://go.dev\">Go</a></body></html>"));
  CHECK(check("text/plain", "{\"message\": \"Not Found\"}")->find("wiki's format") != std::string::npos);
  CHECK(check("text/plain", "# Why Go\n\n* one\n* two\n* [Go](https://go.dev) by Rob\n")->find("most of its") !=
        std::string::npos);
}

TEST_CASE("sync_every reads daily, hourly, never and durations of ten minutes or more", "[config]") {
  using std::chrono::seconds;
  CHECK(parse_sync_every("daily") == seconds(86400));
  CHECK(parse_sync_every("hourly") == seconds(3600));
  CHECK(parse_sync_every("never") == seconds(0));
  CHECK(parse_sync_every("30m") == seconds(1800));
  CHECK(parse_sync_every("6h") == seconds(6 * 3600));
  CHECK(parse_sync_every("2d") == seconds(2 * 86400));
  for (const char* bad : {"", "5m", "0h", "h", "1w", "-1h", "1.5h", "soon", "99999999d"})
    CHECK_FALSE(parse_sync_every(bad));
}

TEST_CASE("the schedule syncs once per period, in one of the processes that share the database", "[upstream]") {
  test::TempDir dir;
  test::FakePlatform wiki;
  wiki.routes().Get("/WhyGo.md", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(embedded::wiki_md), "text/plain");
  });
  wiki.start();
  ManualClock clock(test::test_now());
  const auto one = seeded(dir);
  const auto two = open_database(test::database(dir, "w.db"));
  const auto fetch = upstream::safe_fetch(parse_ip_ranges("127.0.0.1/32", "test"), "");
  upstream::Syncer sync_one(*one, fetch, clock, wiki.base_url() + "/WhyGo.md");
  upstream::Syncer sync_two(*two, fetch, clock, wiki.base_url() + "/WhyGo.md");
  SyncSchedule first(*one, sync_one, clock, std::chrono::hours(6), "one");
  SyncSchedule second(*two, sync_two, clock, std::chrono::hours(6), "two");

  CHECK(first.period_of(6 * 3600 + 5) == 6 * 3600);
  CHECK(first.tick() != second.tick());  // exactly one of them
  CHECK_FALSE(first.tick());
  CHECK_FALSE(second.tick());
  clock.advance(std::chrono::hours(1));
  CHECK_FALSE(first.tick());
  CHECK_FALSE(second.tick());
  CHECK(wiki.requests().size() == 1);
  clock.advance(std::chrono::hours(6));
  CHECK(second.tick() != first.tick());
  CHECK(wiki.requests().size() == 2);

  SyncSchedule never(*one, sync_one, clock, std::chrono::seconds(0), "never");
  clock.advance(std::chrono::hours(24));
  CHECK_FALSE(never.tick());
  CHECK(wiki.requests().size() == 2);
}
