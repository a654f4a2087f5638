// Link health (bot/link_check.hpp) against real HTTP servers on loopback playing the web sites
// and the Internet Archive's availability API (https://archive.org/help/wayback_api.php), on a
// test clock where days must pass: the dead rule, the archived copy, search and the story of
// the day skipping dead links, fixes for permanent redirects accepted by an admin in chat,
// addresses that are never fetched, and one request per host at a time, measured.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "app/app.hpp"
#include "app/link_checking.hpp"
#include "bot/fetch.hpp"
#include "bot/link_check.hpp"
#include "bot/search.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace std::chrono_literals;

namespace {

FetchSettings loopback() {
  FetchSettings s;
  s.allow = parse_ip_ranges("127.0.0.1/32", "test");
  s.read_timeout = 500ms;
  s.connect_timeout = 500ms;
  return s;
}

LinkCheckSettings quick(const std::string& archive = "") {
  LinkCheckSettings s;
  s.host_delay = 0ms;
  s.rate = 1000;
  s.archive_url = archive;
  return s;
}

// A site: /ok answers 200, /gone 404, /old moves permanently to /new, /slow never in time.
struct FakeSite {
  std::atomic<bool> done = false;  // before the server: it outlives the server's threads
  test::FakePlatform server;
  FakeSite() {
    server.routes().Get("/ok",
                        [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.routes().Get("/new",
                        [](const httplib::Request&, httplib::Response& res) { res.set_content("new", "text/plain"); });
    server.routes().Get("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
    server.routes().Get("/old", [](const httplib::Request&, httplib::Response& res) {
      res.status = 301;
      res.set_header("Location", "/new");
    });
    server.routes().Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 30 && !done; ++i) std::this_thread::sleep_for(50ms);
      res.set_content("late", "text/plain");
    });
    server.start();
  }
  ~FakeSite() { done = true; }
  std::string url(const std::string& path) const { return server.base_url() + path; }
};

// The availability API: every URL has a snapshot.
struct FakeArchive {
  test::FakePlatform server;
  FakeArchive() {
    server.routes().Get("/wayback/available", [](const httplib::Request& req, httplib::Response& res) {
      const std::string url = req.get_param_value("url");
      const nlohmann::json body = {{"url", url},
                                   {"archived_snapshots",
                                    {{"closest",
                                      {{"status", "200"},
                                       {"available", true},
                                       {"url", "http://web.archive.org/web/20130919044612/" + url},
                                       {"timestamp", "20130919044612"}}}}}};
      res.set_content(body.dump(), "application/json");
    });
    server.start();
  }
  std::string base() const { return server.base_url() + "/wayback/available"; }
};

Link added(Database& store, const std::string& title, const std::string& url) {
  Link link;
  link.title = title;
  link.url = url;
  link.section = "Why Go";
  const auto r = store.add_link(link, {"console", "admin", test::test_unix()});
  REQUIRE(r.status == WriteStatus::done);
  return r.link;
}

bool found(test::Fixture& f, const std::string& query, std::int64_t id) {
  for (const auto& hit : f.app->search().find(query, 0, 50).links)
    if (hit.id == id) return true;
  return false;
}

}  // namespace

TEST_CASE("WHYGO_LINK_DEAD_AFTER is N/D", "[links]") {
  CHECK(DeadRule::parse("3/7", "X").failures == 3);
  CHECK(DeadRule::parse("3/7", "X").days == 7);
  CHECK(DeadRule::parse("1/0", "X").days == 0);
  for (const char* bad : {"", "3", "0/7", "3/", "/7", "a/b", "3/7d", "-1/2", "3/7/1"}) {
    INFO(bad);
    CHECK_THROWS_WITH(DeadRule::parse(bad, "WHYGO_LINK_DEAD_AFTER"), Catch::Contains("WHYGO_LINK_DEAD_AFTER"));
  }
}

TEST_CASE("link health is kept per link, and a dead link leaves search and the story", "[links][backends]") {
  test::TempDir dir;
  const auto db = open_database(test::database(dir, "h.db"));
  Database& store = *db;
  const Link a = added(store, "Alpha at Gophers", "https://alpha.example.org/a");
  const Link b = added(store, "Beta at Gophers", "https://beta.example.org/b");
  CHECK_FALSE(store.link_health(a.id));
  auto never = store.links_to_check(test::test_unix(), 10);
  CHECK(never.size() == 2);

  LinkHealth h;
  h.link_id = a.id;
  h.url = a.url;
  h.status = 404;
  h.final_url = a.url;
  h.checked_at = test::test_unix();
  h.failures = 3;
  h.failing_since = test::test_unix() - 8 * 86400;
  h.dead = true;
  h.archive_url = "http://web.archive.org/web/2013/https://alpha.example.org/a";
  const std::int64_t version = store.catalog_version();
  store.save_link_health(h);
  const auto back = store.link_health(a.id);
  REQUIRE(back);
  CHECK(back->dead);
  CHECK(back->failures == 3);
  CHECK(back->archive_url == h.archive_url);
  // Dying restamps the link: the search feed reports it out of the catalog.
  const auto changes = store.changes_since(version);
  REQUIRE(changes.rows.size() == 1);
  CHECK(changes.rows[0].link.id == a.id);
  CHECK(changes.rows[0].removed);
  // The story of every coming day is the live link.
  const std::int64_t today = test::test_unix() / 86400;
  for (std::int64_t day = today; day < today + 6; ++day) {
    const auto story = store.story_of(day, day);
    REQUIRE(story);
    CHECK(story->id == b.id);
  }
  const HealthCounts counts = store.health_counts();
  CHECK(counts.checked == 1);
  CHECK(counts.dead == 1);
  // Checked now: only b is due.
  const auto due = store.links_to_check(test::test_unix(), 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == b.id);
  // Back alive: back in search.
  h.dead = false;
  h.failures = 0;
  h.status = 200;
  h.fix_url = "https://alpha.example.org/a2";
  const std::int64_t v2 = store.catalog_version();
  store.save_link_health(h);
  const auto again = store.changes_since(v2);
  REQUIRE(again.rows.size() == 1);
  CHECK_FALSE(again.rows[0].removed);
  CHECK(store.link_healths(true).size() == 1);
  CHECK(store.health_counts().redirected == 1);
}

TEST_CASE("a link answering 404 for the span is dead, with its archived copy, out of search and the story", "[links]") {
  test::Fixture f;
  FakeSite site;
  FakeArchive archive;
  const Link gone = added(f.app->store(), "Zanzibar gophers retire", site.url("/gone"));
  const Link fine = added(f.app->store(), "Zanzibar gophers thrive", site.url("/ok"));
  const Fetcher fetcher(loopback());
  LinkChecker checker(f.app->store(), fetcher, f.clock, quick(archive.base()));
  CHECK(found(f, "zanzibar", gone.id));
  // Three failures, a week apart in all: dead on the third.
  for (int check = 0; check < 3; ++check) {
    INFO(check);
    CHECK_FALSE(f.app->store().link_health(gone.id).value_or(LinkHealth{}).dead);
    const CheckSummary s = checker.check({gone, fine});
    CHECK(s.checked == 2);
    CHECK(s.failed == 1);
    if (check < 2) f.clock.advance(std::chrono::hours(24 * 7 / 2));
  }
  const auto h = f.app->store().link_health(gone.id);
  REQUIRE(h);
  CHECK(h->dead);
  CHECK(h->status == 404);
  CHECK(h->failures == 3);
  CHECK(h->archive_url == "http://web.archive.org/web/20130919044612/" + gone.url);
  CHECK(f.app->store().link_health(fine.id)->last_success == unix_seconds(f.clock));
  // Skipped by search (the live one still found) and by the story of the day from now on.
  CHECK_FALSE(found(f, "zanzibar", gone.id));
  CHECK(found(f, "zanzibar", fine.id));
  const std::int64_t today = unix_seconds(f.clock) / 86400;
  for (std::int64_t day = today; day < today + 80; ++day) CHECK(f.app->store().story_of(day, today)->id != gone.id);
  // The archive was asked once, by the fetcher's User-Agent.
  REQUIRE(archive.server.requests().size() == 1);
  CHECK(archive.server.requests()[0].header("User-Agent").rfind("whygo-link-checker/", 0) == 0);
  CHECK(f.app->store().health_counts().dead == 1);
}

TEST_CASE("a timeout counts as a failure, but one bad day never marks a link dead", "[links]") {
  test::Fixture f;
  FakeSite site;
  const Link slow = added(f.app->store(), "Slow gophers", site.url("/slow"));
  const Fetcher fetcher(loopback());
  LinkChecker checker(f.app->store(), fetcher, f.clock, quick());
  for (int hour = 0; hour < 5; ++hour) {
    const LinkHealth h = checker.check_one(slow);
    CHECK(h.error.rfind("timeout", 0) == 0);
    CHECK(h.failures == hour + 1);
    CHECK_FALSE(h.dead);
    f.clock.advance(std::chrono::hours(4));
  }
  // Still failing a week after the first failure: now dead.
  f.clock.advance(std::chrono::hours(24 * 7));
  CHECK(checker.check_one(slow).dead);
  // And answering again, alive at once.
  site.done = true;
}

TEST_CASE("a permanent redirect to a live page is a fix an admin accepts in chat, and undoes", "[links]") {
  test::Fixture f;
  FakeSite site;
  const Link old = added(f.app->store(), "Moved gophers", site.url("/old"));
  const Fetcher fetcher(loopback());
  LinkChecker checker(f.app->store(), fetcher, f.clock, quick());
  const LinkHealth h = checker.check_one(old);
  CHECK(h.status == 200);
  CHECK(h.fix_url == site.url("/new"));
  CHECK(f.ask("fixes").error == ErrorKind::forbidden);
  const Reply fixes = f.ask("fixes", true);
  CHECK(fixes.text.find(std::to_string(old.id) + ". \"Moved gophers\"") != std::string::npos);
  CHECK(fixes.text.find(site.url("/new")) != std::string::npos);
  CHECK(f.ask("accept " + std::to_string(old.id)).error == ErrorKind::forbidden);
  const Reply accepted = f.ask("accept " + std::to_string(old.id), true);
  CHECK(accepted.error == ErrorKind::none);
  CHECK(f.app->store().link(old.id)->url == site.url("/new"));
  CHECK(f.ask("fixes", true).text.find("No fixes") != std::string::npos);
  CHECK(f.ask("accept " + std::to_string(old.id), true).error != ErrorKind::none);  // offered no more
  CHECK(f.app->store().history(1).at(0).action == AuditAction::edit);
  CHECK(f.ask("undo", true).error == ErrorKind::none);
  CHECK(f.app->store().link(old.id)->url == site.url("/old"));
}

TEST_CASE("links to private, metadata or loopback addresses are never fetched", "[links]") {
  test::Fixture f;
  FakeSite site;
  const std::string port = site.server.base_url().substr(site.server.base_url().rfind(':') + 1);
  FetchSettings public_only = loopback();
  public_only.allow.clear();
  public_only.connect_timeout = 3s;
  const Fetcher fetcher(public_only);
  LinkChecker checker(f.app->store(), fetcher, f.clock, quick());
  const std::vector<Link> links = {
      added(f.app->store(), "Private gophers", "http://10.0.0.1/go"),
      added(f.app->store(), "Metadata gophers", "http://169.254.169.254/latest/meta-data/"),
      added(f.app->store(), "Local gophers", "http://localhost:" + port + "/ok"),
      added(f.app->store(), "Loopback gophers", site.url("/ok"))};
  const auto started = std::chrono::steady_clock::now();
  const CheckSummary s = checker.check(links);
  CHECK(std::chrono::steady_clock::now() - started < 1s);  // no connect timeout was waited out
  CHECK(s.failed == 4);
  for (const Link& link : links) CHECK(f.app->store().link_health(link.id)->error.rfind("refused address", 0) == 0);
  CHECK(site.server.requests().empty());
}

TEST_CASE("the checker never has more than one request in flight per host", "[links]") {
  test::Fixture f;
  // Before the server: they outlive its threads.
  std::mutex mutex;
  std::map<std::string, int> in_flight, most;  // by Host header
  std::atomic<int> total = 0, most_total = 0;
  test::FakePlatform server;
  server.routes().Get(R"(/page/\d+)", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string host = req.get_header_value("Host");
    {
      std::lock_guard lock(mutex);
      most[host] = std::max(most[host], ++in_flight[host]);
    }
    const int now = ++total;
    int seen = most_total.load();
    while (now > seen && !most_total.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(60ms);
    --total;
    {
      std::lock_guard lock(mutex);
      --in_flight[host];
    }
    res.set_content("ok", "text/plain");
  });
  server.start();
  const std::string port = server.base_url().substr(server.base_url().rfind(':') + 1);
  std::vector<Link> links;
  // Two host names for the same server (localhost resolves to 127.0.0.1, which is allowed).
  for (int i = 0; i < 5; ++i) {
    links.push_back(
        added(f.app->store(), "Host one " + std::to_string(i), server.base_url() + "/page/" + std::to_string(i)));
    links.push_back(added(f.app->store(), "Host two " + std::to_string(i),
                          "http://localhost:" + port + "/page/" + std::to_string(i)));
  }
  const Fetcher fetcher(loopback());
  LinkCheckSettings settings = quick();
  settings.workers = 4;
  LinkChecker checker(f.app->store(), fetcher, f.clock, settings);
  const CheckSummary s = checker.check(links);
  CHECK(s.alive == 10);
  std::lock_guard lock(mutex);
  REQUIRE(most.size() == 2);
  for (const auto& [host, max] : most) {
    INFO(host);
    CHECK(max == 1);
  }
  CHECK(most_total == 2);  // the two hosts were visited at once: the measure can see overlap
}

TEST_CASE("a site that refuses HEAD is asked for one byte by a ranged GET", "[links]") {
  test::Fixture f;
  test::FakePlatform server;
  server.routes().Get("/no-head", [](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "HEAD") {
      res.status = 405;
      return;
    }
    res.status = req.get_header_value("Range") == "bytes=0-0" ? 206 : 200;
    res.set_content("x", "text/plain");
  });
  server.start();
  const Link link = added(f.app->store(), "Headless gophers", server.base_url() + "/no-head");
  const Fetcher fetcher(loopback());
  LinkChecker checker(f.app->store(), fetcher, f.clock, quick());
  const LinkHealth h = checker.check_one(link);
  CHECK(h.status == 206);
  CHECK(h.failures == 0);
  const auto asked = server.requests();
  REQUIRE(asked.size() == 2);
  CHECK(asked[0].method == "HEAD");
  CHECK(asked[1].method == "GET");
  CHECK(asked[1].header("Range") == "bytes=0-0");
}

// serve's background rounds (app/link_checking.hpp): each tick checks its share of the catalog,
// the least recently checked first, so one period covers every link without a burst.
TEST_CASE("serve's background loop checks every link once a period, a share per tick", "[links]") {
  CHECK(link_check_batch(100, 24h, 300s) == 1);   // 288 ticks a day
  CHECK(link_check_batch(1000, 24h, 300s) == 4);  // 1000 / 288, rounded up
  CHECK(link_check_batch(0, 24h, 300s) == 1);
  CHECK(link_check_batch(5, 1s, 300s) == 5);  // a period shorter than a tick: all of them

  FakeSite site;
  test::TempDir dir;
  Config config;
  config.db_path = test::database(dir, "w.db");
  config.fetch_allow = parse_ip_ranges("127.0.0.1/32", "test");
  config.link_host_delay_ms = 0;
  config.archive_url = "off";
  ManualClock clock(test::test_now());
  App app(config, clock, /*seed_new=*/false);
  const Link ok = added(app.store(), "Zanzibar one", site.url("/ok"));
  const Link gone = added(app.store(), "Zanzibar two", site.url("/gone"));
  const Link moved = added(app.store(), "Zanzibar three", site.url("/old"));
  // A period of four ticks: one link a tick, each once (the clock stands still, so none is due again).
  LinkCheckLoop loop(app, 1s, 250ms);
  loop.start();
  const auto checked = [&](const Link& link) { return app.store().link_health(link.id).has_value(); };
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline && !(checked(ok) && checked(gone) && checked(moved)))
    std::this_thread::sleep_for(20ms);
  loop.stop();
  REQUIRE(checked(ok));
  REQUIRE(checked(gone));
  REQUIRE(checked(moved));
  CHECK(app.store().link_health(ok.id)->failures == 0);
  CHECK(app.store().link_health(gone.id)->failures == 1);
  CHECK(app.store().link_health(gone.id)->status == 404);
  CHECK(app.store().link_health(moved.id)->fix_url == site.url("/new"));
}
