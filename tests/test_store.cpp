#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "app/app.hpp"
#include "bot/embedded.hpp"
#include "bot/search.hpp"
#include "bot/store.hpp"
#include "bot/wiki.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

// The store of a test: a SQLite file in dir, or a PostgreSQL database when the store tests run
// against PostgreSQL (tests/postgres.hpp); the same name in the same dir reopens the same one.
std::unique_ptr<Database> open(const test::TempDir& dir, const std::string& name) {
  return open_database(test::database(dir, name));
}

}  // namespace

TEST_CASE("a new database is migrated to the latest schema in WAL mode", "[store]") {
  test::TempDir dir;
  Store store(dir.file("w.db"));
  CHECK(store.schema_version() == store.latest_schema_version());
  CHECK_FALSE(store.seeded());
  CHECK(store.link_count() == 0);
  SQLite::Database db(dir.file("w.db"));
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("a database from a newer whygo is refused", "[store]") {
  test::TempDir dir;
  {
    SQLite::Database db(dir.file("w.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_AS(Store(dir.file("w.db")), StoreError);
}

TEST_CASE("first start imports the bundled catalog once", "[store][backends]") {
  test::Fixture f;
  CHECK(f.app->store().link_count() == 63);
  CHECK(f.app->store().seeded());
  // A second App on the same file does not import again.
  Config config;
  config.db_path = test::database(f.dir, "whygo.db");
  App again(config, f.clock);
  CHECK(again.store().link_count() == 63);
}

TEST_CASE("import is idempotent and updates what changed", "[store][backends]") {
  test::TempDir dir;
  const auto store_db = open(dir, "w.db");
  Database& store = *store_db;
  auto counts = import_wiki(store, embedded::wiki_md, test::test_unix());
  CHECK(counts.added == 63);
  counts = import_wiki(store, embedded::wiki_md, test::test_unix());
  CHECK(counts.added == 0);
  CHECK(counts.updated == 0);
  CHECK(counts.unchanged == 63);

  std::string changed(embedded::wiki_md);
  const std::string old_title = "[Go at Docker]";
  changed.replace(changed.find(old_title), old_title.size(), "[Go at Docker, Inc.]");
  const std::int64_t before = store.catalog_version();
  counts = import_wiki(store, changed, test::test_unix());
  CHECK(counts.added == 0);
  CHECK(counts.updated == 1);
  CHECK(store.link_count() == 63);
  // The search index hears of the changed link, and only of it.
  const auto changes = store.changes_since(before);
  REQUIRE(changes.rows.size() == 1);
  CHECK(changes.rows[0].link.title == "Go at Docker, Inc.");
  CHECK(changes.version == store.catalog_version());
}

TEST_CASE("import never duplicates nor drops links added by admins", "[store][backends]") {
  test::TempDir dir;
  const auto store_db = open(dir, "w.db");
  Database& store = *store_db;
  import_wiki(store, embedded::wiki_md, test::test_unix());
  Link added;
  added.title = "Go at Uber";
  added.url = "https://www.uber.com/blog/go-geofence/";
  added.author = "Kai Wei";
  added.section = "Why Go";
  added.origin = LinkOrigin::admin;
  store.import_links({"Why Go"}, {added}, test::test_unix());
  REQUIRE(store.link_count() == 64);

  // Re-importing the wiki page (which lacks Uber) keeps it; importing an export keeps one copy.
  import_wiki(store, embedded::wiki_md, test::test_unix());
  CHECK(store.link_count() == 64);
  const auto exported = wiki::render(store.section_names(), store.links());
  const auto counts = import_wiki(store, exported, test::test_unix());
  CHECK(counts.added == 0);
  CHECK(store.link_count() == 64);
  const auto links = store.links();
  const auto uber = std::find_if(links.begin(), links.end(), [](const Link& l) { return l.title == "Go at Uber"; });
  REQUIRE(uber != links.end());
  CHECK(uber->origin == LinkOrigin::admin);
}

TEST_CASE("export imports back to the same catalog", "[store][backends]") {
  test::TempDir dir;
  const auto first_db = open(dir, "a.db");
  Database& first = *first_db;
  import_wiki(first, embedded::wiki_md, test::test_unix());
  const std::string exported = wiki::render(first.section_names(), first.links());
  const auto second_db = open(dir, "b.db");
  Database& second = *second_db;
  import_wiki(second, exported, test::test_unix());
  const auto a = first.links();
  const auto b = second.links();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].title == b[i].title);
    CHECK(a[i].url == b[i].url);
    CHECK(a[i].author == b[i].author);
    CHECK(a[i].medium == b[i].medium);
    CHECK(a[i].section == b[i].section);
    CHECK(a[i].subject == b[i].subject);
    CHECK(a[i].tags == b[i].tags);
  }
  CHECK(wiki::render(second.section_names(), second.links()) == exported);
}

TEST_CASE("the catalog survives a restart", "[store][backends]") {
  test::TempDir dir;
  std::int64_t version = 0;
  {
    const auto store_db = open(dir, "w.db");
    Database& store = *store_db;
    import_wiki(store, embedded::wiki_md, test::test_unix());
    version = store.catalog_version();
    CHECK(version > 0);
  }
  const auto reopened_db = open(dir, "w.db");
  Database& reopened = *reopened_db;
  CHECK(reopened.link_count() == 63);
  CHECK(reopened.catalog_version() == version);
  CHECK(reopened.sections().size() == 3);
}

TEST_CASE("seen events are recorded once, across restarts", "[store][backends]") {
  test::TempDir dir;
  {
    const auto store_db = open(dir, "w.db");
    Database& store = *store_db;
    CHECK(store.first_sighting("slack", "Ev1", 1000));
    CHECK_FALSE(store.first_sighting("slack", "Ev1", 1001));
    CHECK(store.first_sighting("matrix", "Ev1", 1001));  // another platform's id space
  }
  const auto reopened_db = open(dir, "w.db");
  Database& reopened = *reopened_db;
  CHECK_FALSE(reopened.first_sighting("slack", "Ev1", 2000));
}

TEST_CASE("a sync position is kept per account, replaced by the next, and found after a restart", "[store][backends]") {
  test::TempDir dir;
  {
    const auto store_db = open(dir, "w.db");
    Database& store = *store_db;
    CHECK_FALSE(store.sync_position("matrix", "@whygo:example.org"));
    store.save_sync_position("matrix", "@whygo:example.org", "s72594_4483_1934", 1000);
    store.save_sync_position("matrix", "@whygo:example.org", "s72595_4483_1934", 1001);
    store.save_sync_position("matrix", "@other:example.org", "s1", 1001);
    CHECK(store.sync_position("matrix", "@whygo:example.org") == "s72595_4483_1934");
  }
  const auto reopened_db = open(dir, "w.db");
  Database& reopened = *reopened_db;
  CHECK(reopened.sync_position("matrix", "@whygo:example.org") == "s72595_4483_1934");
  CHECK(reopened.sync_position("matrix", "@other:example.org") == "s1");
  CHECK_FALSE(reopened.sync_position("slack", "@whygo:example.org"));
}

TEST_CASE("the search feed reports the links written since a version, removed and deleted ones too", "[store]") {
  test::TempDir dir;
  Store store(dir.file("w.db"));
  import_wiki(store, embedded::wiki_md, test::test_unix());
  const auto all = store.changes_since(-1);
  CHECK(all.rows.size() == 63);
  CHECK(all.version == store.catalog_version());
  CHECK(store.changes_since(all.version).rows.empty());

  const Actor admin{"console", "admin", 0};
  Link uber;
  uber.title = "Go at Uber";
  uber.url = "https://www.uber.com/blog/go-geofence/";
  uber.section = "Why Go";
  const auto added = store.add_link(uber, admin);
  REQUIRE(added.status == WriteStatus::done);
  REQUIRE(store.remove_link(22, admin).status == WriteStatus::done);
  auto changes = store.changes_since(all.version);
  REQUIRE(changes.rows.size() == 2);
  CHECK(changes.rows[0].link.id == 22);
  CHECK(changes.rows[0].removed);
  CHECK(changes.rows[1].link.id == added.link.id);
  CHECK(changes.rows[1].link.title == "Go at Uber");
  CHECK_FALSE(changes.rows[1].removed);

  // Nothing deletes rows, but should something do so, the feed still says the link is gone.
  {
    SQLite::Database db(dir.file("w.db"), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM links WHERE id = 23");
  }
  changes = store.changes_since(changes.version);
  REQUIRE(changes.rows.size() == 1);
  CHECK(changes.rows[0].link.id == 23);
  CHECK(changes.rows[0].removed);

  // Each database has its own catalog id, which a copy keeps.
  Store other(dir.file("other.db"));
  CHECK(other.changes_since(-1).catalog_id != all.catalog_id);
  store.backup_to(dir.file("copy.db"));
  Store copy(dir.file("copy.db"));
  CHECK(copy.changes_since(-1).catalog_id == all.catalog_id);
  CHECK(store.index_location() == dir.file("w.db") + "-search");
}

TEST_CASE("a database from before the search index (schema 4, FTS5) is migrated and searchable", "[store]") {
  test::TempDir dir;
  {
    // What whygo wrote before: migrations 1 to 4, the catalog in links and in the FTS5 table.
    SQLite::Database db(dir.file("old.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto migration :
         {embedded::migration_001, embedded::migration_002, embedded::migration_003, embedded::migration_004})
      db.exec(std::string(migration));
    db.exec("PRAGMA user_version = 4");
    db.exec("INSERT INTO sections (name, position) VALUES ('Why Go', 0)");
    db.exec(
        "INSERT INTO links (title, url, section, subject, tags, origin, created_at, updated_at)"
        " VALUES ('Go at Uber', 'https://www.uber.com/blog/go-geofence/', 'Why Go', 'Uber', 'uber', 'admin', 1, 1)");
    db.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
  }
  Store store(dir.file("old.db"));
  CHECK(store.schema_version() == store.latest_schema_version());
  CHECK(store.link_count() == 1);
  Search search(store, Synonyms{});
  const auto r = search.find("geofence", 0, 5);
  REQUIRE(r.links.size() == 1);
  CHECK(r.links[0].title == "Go at Uber");
  SQLite::Database db(dir.file("old.db"), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name LIKE 'links_fts%'").getInt() == 0);
}

TEST_CASE("a user's write allowance is one for every process on the database", "[store][backends]") {
  test::TempDir dir;
  auto a = open(dir, "w.db");
  auto b = open(dir, "w.db");  // another process's connections, or another replica's
  const WriteAllowance allowance{3, std::chrono::milliseconds(1000)};
  const std::int64_t t = 1'800'000'000'000;
  CHECK(a->take_write("slack:U1", allowance, t).count() == 0);
  CHECK(b->take_write("slack:U1", allowance, t).count() == 0);
  CHECK(a->take_write("slack:U1", allowance, t + 100).count() == 0);
  // The burst is spent, whichever process asks; the wait is until the next token.
  const auto wait = b->take_write("slack:U1", allowance, t + 200);
  CHECK(wait.count() > 0);
  CHECK(wait.count() <= 1000);
  CHECK(a->take_write("slack:U1", allowance, t + 300).count() > 0);
  // Another user has an allowance of their own.
  CHECK(b->take_write("slack:U2", allowance, t + 300).count() == 0);
  // Refused takes cost nothing: one token a second later.
  CHECK(a->take_write("slack:U1", allowance, t + 1'200).count() == 0);
  CHECK(b->take_write("slack:U1", allowance, t + 1'250).count() > 0);
  // A clock behind the row's (another replica's) adds no token.
  CHECK(b->take_write("slack:U1", allowance, t).count() > 0);
  // Long after, the bucket is full again: a burst.
  for (int i = 0; i < 3; ++i) CHECK(a->take_write("slack:U1", allowance, t + 60'000).count() == 0);
  CHECK(a->take_write("slack:U1", allowance, t + 60'000).count() > 0);
}

TEST_CASE("write allowances that filled up again are pruned", "[store]") {
  test::TempDir dir;
  Store store(dir.file("w.db"));
  const WriteAllowance allowance{2, std::chrono::milliseconds(1000)};
  const std::int64_t t = 1'800'000'000'000;
  for (int i = 0; i < 300; ++i) store.take_write("slack:U" + std::to_string(i), allowance, t);
  for (int i = 0; i < 300; ++i) store.take_write("slack:V" + std::to_string(i), allowance, t + 10'000);
  SQLite::Database db(dir.file("w.db"));
  // The U rows, full again by t + 2 s, went at the prune after them; the V rows are fresh.
  CHECK(db.execAndGet("SELECT COUNT(*) FROM write_allowance WHERE key LIKE 'slack:U%'").getInt() == 0);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM write_allowance WHERE key LIKE 'slack:V%'").getInt() == 300);
}
