// What only the PostgreSQL store has to show: several replicas (here, several PgStore objects,
// each with its own connections, as separate processes would have) on one database. The store
// tests tagged [backends], [curation] and [story] also run against it (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <atomic>
#include <map>
#include <thread>

#include "bot/embedded.hpp"
#include "bot/pg_store.hpp"
#include "bot/search.hpp"
#include "bot/wiki.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

ImportCounts seed(Database& store) {
  const auto page = wiki::parse(embedded::wiki_md);
  return store.import_links(page.sections, page.links, test::test_unix());
}

Link uber() {
  Link link;
  link.title = "Go at Uber: geofencing";
  link.url = "https://www.uber.com/blog/go-geofence/";
  link.section = "Why Go";
  return link;
}

}  // namespace

TEST_CASE("replicas starting together migrate the database once", "[postgresql]") {
  const std::string uri = test::new_postgres_database();
  std::vector<std::thread> replicas;
  std::atomic<int> opened{0}, failed{0};
  for (int i = 0; i < 4; ++i)
    replicas.emplace_back([&] {
      try {
        PgStore store(uri);
        if (store.schema_version() == store.latest_schema_version()) ++opened;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  for (auto& t : replicas) t.join();
  CHECK(opened == 4);
  CHECK(failed == 0);
  pqxx::connection c(uri);
  pqxx::nontransaction q(c);
  CHECK(q.exec("SELECT COUNT(*) FROM whygo_schema")[0][0].as<int>() == 1);
  CHECK(q.exec("SELECT COUNT(*) FROM meta WHERE key = 'catalog_id'")[0][0].as<int>() == 1);
}

TEST_CASE("a daily post is claimed by exactly one replica, a retried event seen by exactly one", "[postgresql]") {
  const std::string uri = test::new_postgres_database();
  PgStore a(uri), b(uri);
  seed(a);
  std::atomic<int> claims{0}, sightings{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      PgStore& replica = i % 2 ? a : b;
      const std::string who = "replica-" + std::to_string(i);
      for (int day = 0; day < 20; ++day)
        if (replica.claim_post(
                {"slack", "C1", 20'000 + day, 22, PostStatus::claimed, "k", who, test::test_unix(), 0, ""}))
          ++claims;
      for (int event = 0; event < 20; ++event)
        if (replica.first_sighting("slack", "Ev" + std::to_string(event), test::test_unix())) ++sightings;
    });
  for (auto& t : threads) t.join();
  CHECK(claims == 20);
  CHECK(sightings == 20);
  CHECK(b.post_claims(20'000).size() == 1);
  // A stale claim is taken over by one replica only.
  const auto stale = a.post_claim("slack", "C1", 20'000);
  REQUIRE(stale);
  CHECK(a.take_over_claim(*stale, "a", test::test_unix() + 600));
  CHECK_FALSE(b.take_over_claim(*stale, "b", test::test_unix() + 600));
  CHECK(b.post_claim("slack", "C1", 20'000)->claimed_by == "a");
}

TEST_CASE("a change made through one replica reaches the other's search at once", "[postgresql]") {
  const std::string uri = test::new_postgres_database();
  PgStore a(uri), b(uri);
  seed(a);
  Search search_b(b, Synonyms{});
  CHECK(search_b.find("geofencing", 0, 5).links.empty());
  const std::int64_t before = b.catalog_version();
  const auto added = a.add_link(uber(), {"slack", "U1", test::test_unix()});
  REQUIRE(added.status == WriteStatus::done);
  CHECK(b.catalog_version() > before);
  const auto found = search_b.find("geofencing", 0, 5);
  REQUIRE(found.links.size() == 1);
  CHECK(found.links[0].id == added.link.id);
  // The same URL added through the other replica is a duplicate, not a second link.
  CHECK(b.add_link(uber(), {"slack", "U2", test::test_unix()}).status == WriteStatus::duplicate);
  REQUIRE(a.remove_link(added.link.id, {"slack", "U1", test::test_unix()}).status == WriteStatus::done);
  CHECK(search_b.find("geofencing", 0, 5).links.empty());
}

TEST_CASE("concurrent adds of one URL through two replicas make one link", "[postgresql]") {
  const std::string uri = test::new_postgres_database();
  PgStore a(uri), b(uri);
  seed(a);
  std::atomic<int> done{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      const auto r = (i % 2 ? a : b).add_link(uber(), {"slack", "U" + std::to_string(i), test::test_unix()});
      ++(r.status == WriteStatus::done ? done : duplicate);
    });
  for (auto& t : threads) t.join();
  CHECK(done == 1);
  CHECK(duplicate == 5);
  CHECK(a.link_count() == 64);
}

TEST_CASE("the PostgreSQL search feed reports deleted rows, and each database has its own catalog id", "[postgresql]") {
  const std::string uri = test::new_postgres_database();
  PgStore store(uri);
  seed(store);
  const auto all = store.changes_since(-1);
  CHECK(all.rows.size() == 63);
  {
    pqxx::connection c(uri);
    pqxx::work tx(c);
    tx.exec("DELETE FROM links WHERE id = 23");
    tx.commit();
  }
  const auto changes = store.changes_since(all.version);
  REQUIRE(changes.rows.size() == 1);
  CHECK(changes.rows[0].link.id == 23);
  CHECK(changes.rows[0].removed);
  PgStore other(test::new_postgres_database());
  CHECK(other.changes_since(-1).catalog_id != all.catalog_id);
  CHECK(store.index_location().empty());
}

TEST_CASE("PostgreSQL: backup points to pg_dump, and a password never reaches a message", "[postgresql]") {
  PgStore store(test::new_postgres_database());
  try {
    store.backup_to("/tmp/never-written.db");
    FAIL("backup_to should refuse");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::Contains("pg_dump"));
  }
  CHECK(redact_uri("postgresql://whygo:s3cret@db.example:5432/whygo?sslmode=require") ==
        "postgresql://whygo:***@db.example:5432/whygo?sslmode=require");
  CHECK(redact_uri("postgres://whygo@db/whygo") == "postgres://whygo@db/whygo");
  try {
    PgStore unreachable("postgresql://whygo:s3cret@127.0.0.1:1/whygo?connect_timeout=2");
    FAIL("connecting to a closed port should fail");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
    CHECK_THAT(e.what(), Catch::Contains("***"));
  }
  CHECK(is_postgres_uri("postgresql:///whygo?host=/run/postgresql"));
  CHECK(is_postgres_uri("postgres://db/whygo"));
  CHECK_FALSE(is_postgres_uri("whygo.db"));
  CHECK_FALSE(is_postgres_uri("/var/lib/whygo/postgresql://x"));
}

TEST_CASE("copy-store moves a SQLite store into PostgreSQL and back, checked by counts", "[postgresql][cli]") {
  test::TempDir dir;
  const std::string source = dir.file("source.db");
  std::map<std::string, std::size_t> before;
  std::string catalog;
  {
    auto store = open_database(source);
    seed(*store);
    const Actor admin{"slack", "U0ADMIN", test::test_unix()};
    REQUIRE(store->add_link(uber(), admin).status == WriteStatus::done);
    REQUIRE(store->remove_link(22, admin).status == WriteStatus::done);
    REQUIRE(store->undo_last(admin).status == WriteStatus::done);  // audit rows that refer to each other
    REQUIRE(store->add_suggestion("https://example.org/s", "Suggested", admin, {"T1", "C1"}, {}).status ==
            WriteStatus::done);
    REQUIRE(store->reject_suggestions({true, {}}, "no", admin).status == WriteStatus::done);
    store->subscribe({"slack", "C1", "T1", 9 * 60, "Europe/Paris", "U0ADMIN", test::test_unix(), false});
    const auto day = store->story_of(20'419, 20'419);
    REQUIRE(day);
    store->claim_post({"slack", "C1", 20'419, day->id, PostStatus::claimed, "key", "p1", test::test_unix(), 0, ""});
    store->finish_post("slack", "C1", 20'419, PostStatus::sent, "", 1, test::test_unix());
    store->first_sighting("slack", "Ev1", test::test_unix());
    store->save_installation({"slack", "T1", "", "UBOT", std::string("sealed\0token\xff", 13), test::test_unix()});
    for (const CopiedTable& table : copied_tables()) before[table.name] = store->row_count(table.name);
    catalog = wiki::render(store->section_names(), store->links());
  }
  const std::string uri = test::new_postgres_database();
  const std::string whygo = std::string(WHYGO_BINARY) + " --db " + source;
  const auto to_pg = test::run(whygo + " copy-store --to '" + uri + "'");
  INFO(to_pg.out << to_pg.err);
  REQUIRE(to_pg.exit_code == 0);
  CHECK(to_pg.out.find("links: 64 copied, 64 in the target") != std::string::npos);
  {
    PgStore copy(uri);
    for (const auto& [table, rows] : before) {
      INFO(table);
      CHECK(copy.row_count(table) == rows);
    }
    CHECK(wiki::render(copy.section_names(), copy.links()) == catalog);
    CHECK(copy.installation("slack", "T1")->sealed_token == std::string("sealed\0token\xff", 13));
    CHECK(copy.post_claim("slack", "C1", 20'419)->status == PostStatus::sent);
    CHECK_FALSE(copy.first_sighting("slack", "Ev1", test::test_unix()));
    // The copy goes on from where the source was: the next link gets the next id.
    Link next = uber();
    next.url = "https://example.org/next";
    CHECK(copy.add_link(next, {"slack", "U0ADMIN", test::test_unix()}).link.id == 65);
  }
  // Into a store that holds something already: refused, nothing written.
  const auto again = test::run(whygo + " copy-store --to '" + uri + "'");
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("not empty") != std::string::npos);

  // And back into a new SQLite file.
  const std::string back = dir.file("back.db");
  const auto to_sqlite = test::run(std::string(WHYGO_BINARY) + " --db '" + uri + "' copy-store --to " + back);
  INFO(to_sqlite.out << to_sqlite.err);
  REQUIRE(to_sqlite.exit_code == 0);
  auto returned = open_database(back);
  CHECK(returned->row_count("links") == before["links"] + 1);
  CHECK(returned->row_count("audit") == before["audit"] + 1);
  CHECK(returned->installation("slack", "T1")->sealed_token == std::string("sealed\0token\xff", 13));
  CHECK(returned->subscriptions().size() == 1);
}
