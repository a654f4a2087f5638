// Following the upstream page end to end: the real binary (`whygo sync`, the `sync` chat command
// through `whygo ask`, the schedule in `whygo serve`) against a fake wiki on loopback, which
// WHYGO_FETCH_ALLOW opens to the fetcher as tests may.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <ctime>
#include <iomanip>
#include <mutex>
#include <sstream>

#include "bot/embedded.hpp"
#include "bot/store.hpp"
#include "bot/wiki.hpp"
#include "tests/catalog_state.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

// A wiki serving one page, with an ETag and a Last-Modified that change with it, answering
// conditional requests as RFC 9110 says: If-None-Match first (13.1.2: weak comparison, a list
// of tags or "*"), If-Modified-Since only without it (13.1.3), 304 with the validators.
class FakeWiki {
 public:
  FakeWiki() {
    fake_.routes().Get("/WhyGo.md", [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    fake_.start();
    set(std::string(embedded::wiki_md));
  }
  std::string url() const { return fake_.base_url() + "/WhyGo.md"; }
  std::string port() const { return url().substr(std::string("http://127.0.0.1:").size(), 5); }
  // A new version of the page, modified a minute after the last.
  void set(std::string body, std::string content_type = "text/plain; charset=utf-8") {
    std::lock_guard lock(mutex_);
    body_ = std::move(body);
    content_type_ = std::move(content_type);
    ++version_;
    modified_ = 1'796'000'000 + version_ * 60;
  }
  const test::FakePlatform& requests() const { return fake_; }

 private:
  static std::string http_date(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::put_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
    return out.str();
  }
  static std::optional<std::time_t> parse_http_date(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
    if (in.fail()) return std::nullopt;
    return timegm(&tm);
  }
  static std::string opaque(std::string tag) {
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    return tag;
  }
  void answer(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    const std::string etag = "\"v" + std::to_string(version_) + "\"";
    res.set_header("ETag", etag);
    res.set_header("Last-Modified", http_date(modified_));
    bool not_modified = false;
    if (req.has_header("If-None-Match")) {
      std::istringstream tags(req.get_header_value("If-None-Match"));
      for (std::string tag; std::getline(tags, tag, ',');) {
        tag.erase(0, tag.find_first_not_of(' '));
        tag.erase(tag.find_last_not_of(' ') + 1);
        if (tag == "*" || opaque(tag) == opaque(etag)) not_modified = true;
      }
    } else if (req.has_header("If-Modified-Since")) {
      const auto since = parse_http_date(req.get_header_value("If-Modified-Since"));
      not_modified = since && modified_ <= *since;
    }
    if (not_modified) {
      res.status = 304;
      return;
    }
    res.set_content(body_, content_type_);
  }

  std::mutex mutex_;
  std::string body_;
  std::string content_type_;
  std::int64_t version_ = 0;
  std::time_t modified_ = 0;
  test::FakePlatform fake_;  // last: stopped before what its handler touches goes
};

std::string replaced(std::string page, const std::string& from, const std::string& to) {
  const auto at = page.find(from);
  REQUIRE(at != std::string::npos);
  return page.replace(at, from.size(), to);
}

// A database holding the bundled catalog.
std::string catalog(const test::TempDir& dir) {
  const std::string path = dir.file("w.db");
  Store store(path);
  import_wiki(store, embedded::wiki_md, test::test_unix());
  return path;
}

std::string command(const std::string& db, const std::string& env, const std::string& args) {
  return "WHYGO_DB=" + db + " " + env + " " + WHYGO_BINARY + " " + args;
}

const std::string allow = "WHYGO_FETCH_ALLOW=127.0.0.1/32";

}  // namespace

TEST_CASE("whygo sync adds two links, changes a title, keeps admins' links, and says exactly that", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  const auto added = test::run(command(db, "", "ask add https://gobyexample.com \"Go by Example\""));
  REQUIRE(added.exit_code == 0);

  std::string page = replaced(std::string(embedded::wiki_md), "# Why Go\n\n",
                              "# Why Go\n\n  * [Why we chose Go at Acme](https://blog.acme.dev/why-go) by Jane Roe\n"
                              "  * [Go at Initech](https://eng.initech.dev/go) by Bill Lumbergh (Article)\n");
  page = replaced(page, "[Go at Docker]", "[Go at Docker, Inc.]");
  wiki.set(page);
  const auto r = test::run(command(db, allow + " WHYGO_UPSTREAM_URL=" + wiki.url(), "sync"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("2 added, 1 changed, 0 removed, 62 unchanged") != std::string::npos);
  CHECK(r.out.find("\"Why we chose Go at Acme\"") != std::string::npos);
  CHECK(r.out.find("\"Go at Initech\"") != std::string::npos);
  CHECK(r.out.find("\"Go at Docker, Inc.\" (title)") != std::string::npos);
  CHECK(r.out.find("Kept 1 link the page lacks") != std::string::npos);

  // The admin's link is still there, the new ones are searchable, and history names the upstream.
  CHECK(test::run(command(db, "", "ask gobyexample")).out.find("Go by Example") != std::string::npos);
  CHECK(test::run(command(db, "", "ask initech")).out.find("Go at Initech") != std::string::npos);
  const auto history = test::run(command(db, "", "ask history 3"));
  CHECK(history.out.find("upstream") != std::string::npos);
  CHECK(test::catalog_state(db).links == 64 + 2);
}

TEST_CASE("a second sync answered 304 changes nothing and says unchanged", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  const std::string env = allow + " WHYGO_UPSTREAM_URL=" + wiki.url();
  const auto first = test::run(command(db, env, "sync"));
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("unchanged; the catalog already holds the page") != std::string::npos);
  const auto before = test::catalog_state(db);

  const auto second = test::run(command(db, env, "sync"));
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("unchanged since the last sync") != std::string::npos);
  CHECK(test::catalog_state(db) == before);
  const auto requests = wiki.requests().requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].header("If-None-Match").empty());
  CHECK(requests[1].header("If-None-Match") == "\"v1\"");
  CHECK_FALSE(requests[1].header("If-Modified-Since").empty());

  // A new version is taken again, through the chat command.
  wiki.set(replaced(std::string(embedded::wiki_md), "[Go at Docker]", "[Go at Docker, Inc.]"));
  const auto chat = test::run(command(db, env, "ask sync"));
  INFO(chat.out << chat.err);
  CHECK(chat.exit_code == 0);
  CHECK(chat.out.find("0 added, 1 changed, 0 removed") != std::string::npos);
}

TEST_CASE("a page that would drop half the catalog is refused: nothing changes, and the answer says why", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  const wiki::Page full = wiki::parse(embedded::wiki_md);
  std::string page = "# Why Go\n\n";
  for (std::size_t i = full.links.size() / 2; i < full.links.size(); ++i)
    page += "  * [" + full.links[i].title + "](" + full.links[i].url + ")\n";
  wiki.set(page);
  const auto before = test::catalog_state(db);
  const std::string env = allow + " WHYGO_UPSTREAM_URL=" + wiki.url();

  const auto r = test::run(command(db, env, "sync"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("refused, nothing changed: it would remove 31 of the 63 links") != std::string::npos);
  INFO(r.err);
  CHECK(r.err.find(" warning sync from ") != std::string::npos);  // logged
  CHECK(test::catalog_state(db) == before);

  const auto chat = test::run(command(db, env, "ask sync"));
  CHECK(chat.exit_code == 1);
  CHECK(chat.out.find("it would remove 31 of the 63 links") != std::string::npos);
  CHECK(test::catalog_state(db) == before);
  // Refused pages leave no validators behind: the next sync asks for the whole page again.
  REQUIRE(wiki.requests().requests().size() == 2);
  CHECK(wiki.requests().requests()[1].header("If-None-Match").empty());
}

TEST_CASE("a page that is not the wiki's format is refused, nothing changes", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  const std::string env = allow + " WHYGO_UPSTREAM_URL=" + wiki.url();
  const auto before = test::catalog_state(db);

  wiki.set("<!DOCTYPE html><html><body><ul><li><a href=\"https://evil.example\">x</a></li></ul></body></html>",
           "text/html; charset=utf-8");
  auto r = test::run(command(db, env, "sync"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("refused, nothing changed: it is an HTML page") != std::string::npos);

  wiki.set("{\"message\": \"Not Found\"}", "application/json");
  r = test::run(command(db, env, "sync"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("not the wiki's format") != std::string::npos);
  CHECK(test::catalog_state(db) == before);
}

TEST_CASE("sync of a URL that resolves to loopback is refused unless WHYGO_FETCH_ALLOW opens it", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  const auto before = test::catalog_state(db);
  const std::string url = "http://localhost:" + wiki.port() + "/WhyGo.md";
  const auto r = test::run(command(db, "WHYGO_FETCH_ALLOW=", "sync --url " + url));
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("failed, nothing changed") != std::string::npos);
  CHECK(r.err.find("127.0.0.1") != std::string::npos);
  CHECK(wiki.requests().requests().empty());
  CHECK(test::catalog_state(db) == before);
  // Opened, the same URL is fetched.
  CHECK(test::run(command(db, allow, "sync --url " + url)).exit_code == 0);
  CHECK(wiki.requests().requests().size() == 1);
}

TEST_CASE("serve syncs on its schedule, once per period across replicas", "[sync]") {
  test::TempDir dir;
  const std::string db = catalog(dir);
  FakeWiki wiki;
  wiki.set(replaced(std::string(embedded::wiki_md), "[Go at Docker]", "[Go at Docker, Inc.]"));
  const std::vector<std::string> env = {"WHYGO_FETCH_ALLOW=127.0.0.1/32", "WHYGO_UPSTREAM_URL=" + wiki.url(),
                                        "WHYGO_SYNC_EVERY=1d"};
  test::ServerProcess first(env, db);
  test::ServerProcess second(env, db);
  REQUIRE(wiki.requests().wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(wiki.requests().requests().size() == 1);  // one replica claimed today's sync
  httplib::Client client("127.0.0.1", first.port());
  const auto found = client.Get("/metrics");
  REQUIRE(found);
  httplib::Client other("127.0.0.1", second.port());
  const auto other_metrics = other.Get("/metrics");
  REQUIRE(other_metrics);
  CHECK((found->body + other_metrics->body).find("whygo_upstream_syncs_total{outcome=\"changed\"} 1") !=
        std::string::npos);
  first.stop();
  second.stop();
  CHECK(test::catalog_state(db).links == 63);
  Store store(db);
  const auto links = store.links();
  CHECK(std::any_of(links.begin(), links.end(), [](const Link& l) { return l.title == "Go at Docker, Inc."; }));
}
