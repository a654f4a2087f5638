#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "bot/catalog_watch.hpp"
#include "bot/search.hpp"
#include "bot/store.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {
std::vector<std::string> titles(const SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& link : r.links) out.push_back(link.title);
  return out;
}
}  // namespace

TEST_CASE("a company's own story comes first", "[search]") {
  test::Fixture f;
  auto r = f.app->search().find("docker", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  r = f.app->search().find("google", 0, 5);
  REQUIRE(r.links.size() >= 3);
  CHECK(r.links[0].title == "Go at Google");
  CHECK(r.links[1].title == "Go at Google");
  r = f.app->search().find("youtube", 0, 5);
  CHECK(r.links[0].title == "Go at YouTube (Vitess)");
  CHECK(r.total > 3);  // talks hosted on YouTube come after
}

TEST_CASE("case, punctuation and spacing do not matter", "[search]") {
  test::Fixture f;
  const auto reference = titles(f.app->search().find("dotgo", 0, 5));
  REQUIRE_FALSE(reference.empty());
  CHECK(titles(f.app->search().find("dotGo", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("dot go", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("  DOT-GO!! ", 0, 5)) == reference);
  CHECK(titles(f.app->search().find("cloud flare", 0, 5)) == titles(f.app->search().find("CloudFlare", 0, 5)));
}

TEST_CASE("prefixes find whole words", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("dock", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(r.corrections.empty());
}

TEST_CASE("people match by full or last name", "[search]") {
  test::Fixture f;
  for (const char* q : {"rob pike", "pike", "Pike, Rob"}) {
    const auto r = f.app->search().find(q, 0, 10);
    REQUIRE(r.total == 3);
    for (const auto& link : r.links) CHECK(link.author == "Rob Pike");
  }
  const auto lutke = f.app->search().find("lutke", 0, 5);
  REQUIRE(lutke.links.size() == 1);
  CHECK(lutke.links[0].author == "Tobias Lütke");
}

TEST_CASE("typos are corrected and reported", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("kubernets", 0, 5);
  REQUIRE(r.corrections.size() == 1);
  CHECK(r.corrections[0].typed == "kubernets");
  CHECK(r.corrections[0].meant == "kubernetes");
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Kubernetes + Go = Crazy Delicious");
  // Short words are never "corrected" into something else.
  CHECK(f.app->search().find("xyz", 0, 5).links.empty());
}

TEST_CASE("abbreviations come from the synonyms file", "[search]") {
  test::Fixture f;
  auto r = f.app->search().find("k8s", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Kubernetes + Go = Crazy Delicious");
  r = f.app->search().find("nyt", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at New York Times");

  // A file of one's own replaces the bundled one.
  Synonyms custom = Synonyms::parse("# mine\nmoby = docker\nbroken line\n");
  CHECK(custom.size() == 1);
  CHECK(custom.errors().size() == 1);
  Search search(f.app->store(), custom);
  r = search.find("moby", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(search.find("k8s", 0, 5).links.empty());
}

TEST_CASE("no good match shows nothing", "[search]") {
  test::Fixture f;
  for (const char* q : {"asdfgh", "pizza", "qwertyuiop", "zzz", "blockchain", "!!!", ""}) {
    INFO(q);
    CHECK(f.app->search().find(q, 0, 5).links.empty());
  }
}

TEST_CASE("words no link has are left out and said so", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("docker xylophone", 0, 5);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(r.ignored == std::vector<std::string>{"xylophone"});
}

TEST_CASE("words matched by no single link fall back to links with some", "[search]") {
  test::Fixture f;
  const auto r = f.app->search().find("docker soundcloud", 0, 5);
  CHECK(r.partial);
  CHECK(r.total == 2);
}

TEST_CASE("results come a page at a time", "[search]") {
  test::Fixture f;
  const auto first = f.app->search().find("gopheracademy", 0, 5);
  CHECK(first.links.size() == 5);
  CHECK(first.total == 6);
  const auto second = f.app->search().find("gopheracademy", 5, 5);
  REQUIRE(second.links.size() == 1);
  for (const auto& link : first.links) CHECK(link.id != second.links[0].id);
}

TEST_CASE("search follows catalog changes at once", "[search]") {
  test::Fixture f;
  CHECK(f.app->search().find("uber", 0, 5).links.empty());
  Link uber;
  uber.title = "Go at Uber";
  uber.url = "https://www.uber.com/blog/go-geofence/";
  uber.section = "Why Go";
  uber.subject = "Uber";
  f.app->store().import_links({}, {uber}, test::test_unix());
  const auto r = f.app->search().find("uber", 0, 5);
  REQUIRE(r.links.size() == 1);
  CHECK(r.links[0].title == "Go at Uber");
}

TEST_CASE("a remembered ranking is dropped when another process changes the catalog", "[search]") {
  test::Fixture f;
  const auto before = f.app->search().find("docker", 0, 5);
  REQUIRE_FALSE(before.links.empty());
  const Link docker_story = before.links[0];
  REQUIRE(docker_story.title == "Go at Docker");
  CHECK(f.app->search().find("docker", 0, 5).links[0].id == docker_story.id);  // asked again: the same

  // Another process (its own connections to the same file) removes the story and adds one.
  Store other(f.dir.file("whygo.db"));
  REQUIRE(other.remove_link(docker_story.id, Actor{"console", "admin", 0}).status == WriteStatus::done);
  Link moby;
  moby.title = "Go at Moby";
  moby.url = "https://mobyproject.org/";
  moby.section = "Why Go";
  moby.subject = "Moby";
  REQUIRE(other.add_link(moby, Actor{"console", "admin", 0}).status == WriteStatus::done);

  // Searches hear of it within a second (bot/catalog_watch.hpp), not from the next query on.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (f.app->search().find("moby", 0, 5).links.empty() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto after = f.app->search().find("docker", 0, 5);
  for (const auto& link : after.links) CHECK(link.id != docker_story.id);
  CHECK(after.total == before.total - 1);
  const auto moby_found = f.app->search().find("moby", 0, 5);
  REQUIRE(moby_found.links.size() == 1);
  CHECK(moby_found.links[0].title == "Go at Moby");
}

namespace {

// Counts what a search asks of the store behind it.
class CountingFeed : public CatalogFeed {
 public:
  explicit CountingFeed(CatalogFeed& store) : store_(store) {}
  std::int64_t catalog_version() override {
    ++reads;
    return store_.catalog_version();
  }
  CatalogChanges changes_since(std::int64_t version) override {
    ++reads;
    return store_.changes_since(version);
  }
  std::string index_location() override { return store_.index_location(); }
  std::unique_ptr<CatalogWatcher> watch_catalog(std::function<void()> changed) override {
    return store_.watch_catalog(std::move(changed));
  }
  std::atomic<int> reads{0};

 private:
  CatalogFeed& store_;
};

}  // namespace

TEST_CASE("a search reads nothing from the store, and a change through this process is found at once",
          "[search][backends]") {
  test::Fixture f;
  CountingFeed counting(f.app->store());
  CatalogWatch watch(counting);
  Search search(watch, Synonyms{});
  REQUIRE(search.find("docker", 0, 5).links.at(0).title == "Go at Docker");
  const int before = counting.reads.load();
  for (int i = 0; i < 200; ++i) {
    // Asked again (the remembered answer) and asked anew (the index): neither reads the store.
    CHECK(search.find("docker", 0, 5).links.at(0).title == "Go at Docker");
    CHECK_FALSE(search.find("youtube " + std::to_string(i), 0, 5).links.empty());
  }
  CHECK(counting.reads.load() == before);

  // An admin's change through this process: searchable when the write returns, no waiting.
  Link moby;
  moby.title = "Go at Moby";
  moby.url = "https://mobyproject.org/";
  moby.section = "Why Go";
  moby.subject = "Moby";
  REQUIRE(f.app->store().add_link(moby, Actor{"console", "admin", 0}).status == WriteStatus::done);
  const auto found = search.find("moby", 0, 5);
  REQUIRE(found.links.size() == 1);
  CHECK(found.links[0].title == "Go at Moby");
  CHECK(watch.catalog_version() == f.app->store().catalog_version());
}

TEST_CASE("paging through a remembered ranking shows every link once", "[search]") {
  test::Fixture f;
  std::vector<std::int64_t> seen;
  const std::size_t total = f.app->search().find("go", 0, 5).total;
  REQUIRE(total > 10);
  for (std::size_t offset = 0; offset < total; offset += 5)
    for (const auto& link : f.app->search().find("go", offset, 5).links) seen.push_back(link.id);
  CHECK(seen.size() == total);
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

namespace {

std::string live_folder(const test::Fixture& f) {
  return test::read_text(f.dir.file("whygo.db-search/current"));
}

std::unique_ptr<App> reopen(test::Fixture& f) {
  f.app.reset();
  Config config;
  config.db_path = f.dir.file("whygo.db");
  return std::make_unique<App>(config, f.clock);
}

Link uber_link() {
  Link uber;
  uber.title = "Go at Uber";
  uber.url = "https://www.uber.com/blog/go-geofence/";
  uber.section = "Why Go";
  uber.subject = "Uber";
  return uber;
}

// A catalog kept in memory: search needs nothing of SQL.
class MemoryFeed : public CatalogFeed {
 public:
  void put(Link link) {
    link.id = static_cast<std::int64_t>(links_.size()) + 1;
    links_.push_back({std::move(link), ++version_});
    if (changed_) changed_();
  }
  std::int64_t catalog_version() override { return version_; }
  CatalogChanges changes_since(std::int64_t version) override {
    CatalogChanges out;
    out.catalog_id = 7;
    out.version = version_;
    for (const auto& [link, written] : links_)
      if (written > version) out.rows.push_back({link, false});
    return out;
  }
  std::string index_location() override { return {}; }
  std::unique_ptr<CatalogWatcher> watch_catalog(std::function<void()> changed) override {
    changed_ = std::move(changed);
    return std::make_unique<CatalogWatcher>();
  }

 private:
  std::function<void()> changed_;
  std::vector<std::pair<Link, std::int64_t>> links_;
  std::int64_t version_ = 0;
};

}  // namespace

TEST_CASE("search runs over any store that feeds it the catalog's rows", "[search]") {
  MemoryFeed feed;
  feed.put(uber_link());
  std::string folder;
  {
    Search search(feed, Synonyms{});
    CHECK(search.find("uber", 0, 5).links.at(0).title == "Go at Uber");
    CHECK(search.find("geofence", 0, 5).links.at(0).title == "Go at Uber");
    Link later = uber_link();
    later.title = "Go at Lyft";
    later.url = "https://eng.lyft.com/go-at-lyft";
    feed.put(later);
    CHECK(search.find("lyft", 0, 5).links.at(0).title == "Go at Lyft");
    CHECK(search.indexed() == 2);
  }
  // The feed has no folder of its own: the index lived in a temporary one, gone with the search.
}

TEST_CASE("the index is kept beside the database, and a restart finds it ready", "[search]") {
  test::Fixture f;
  REQUIRE(std::filesystem::is_directory(f.dir.file("whygo.db-search")));
  const std::string built = live_folder(f);
  CHECK(f.app->search().indexed() == 63);
  f.app = reopen(f);
  CHECK(live_folder(f) == built);  // opened as it was, not built again
  CHECK(f.app->search().find("docker", 0, 5).links.at(0).title == "Go at Docker");

  // A change made while no search was open is applied at the next start, in place.
  f.app.reset();
  {
    Store store(f.dir.file("whygo.db"));
    store.import_links({}, {uber_link()}, test::test_unix());
  }
  f.app = reopen(f);
  CHECK(live_folder(f) == built);
  CHECK(f.app->search().find("uber", 0, 5).links.at(0).title == "Go at Uber");
  CHECK(f.app->search().indexed() == 64);
}

TEST_CASE("an index that cannot be trusted is built again from the store", "[search]") {
  test::Fixture f;
  const std::string first = live_folder(f);
  bool replaced = true;  // a new folder took the old one's place

  SECTION("damaged") {
    f.app.reset();
    for (const auto& entry : std::filesystem::directory_iterator(f.dir.file("whygo.db-search/g1")))
      test::write_text(entry.path().string(), "not a xapian table");
    f.app = reopen(f);
  }
  SECTION("missing") {
    f.app.reset();
    std::filesystem::remove_all(f.dir.file("whygo.db-search"));
    f.app = reopen(f);
    replaced = false;
  }
  SECTION("ahead of the store: the database was restored from a backup") {
    f.app->store().backup_to(f.dir.file("backup.db"));
    f.app->store().import_links({}, {uber_link()}, test::test_unix());
    REQUIRE(f.app->search().find("uber", 0, 5).links.size() == 1);
    f.app.reset();
    std::filesystem::copy_file(f.dir.file("backup.db"), f.dir.file("whygo.db"),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(f.dir.file("whygo.db-wal"));
    std::filesystem::remove(f.dir.file("whygo.db-shm"));
    f.app = reopen(f);
    CHECK(f.app->search().find("uber", 0, 5).links.empty());
  }
  SECTION("built from another catalog at the same version: a copied database") {
    test::Fixture other;
    other.app->store().import_links({}, {uber_link()}, test::test_unix());
    f.app->store().remove_link(22, Actor{"console", "admin", 0});
    REQUIRE(other.app->store().catalog_version() == f.app->store().catalog_version());
    f.app.reset();
    other.app->store().backup_to(f.dir.file("copy.db"));
    std::filesystem::rename(f.dir.file("copy.db"), f.dir.file("whygo.db"));
    std::filesystem::remove(f.dir.file("whygo.db-wal"));
    std::filesystem::remove(f.dir.file("whygo.db-shm"));
    f.app = reopen(f);
    CHECK(f.app->search().find("uber", 0, 5).links.size() == 1);
    CHECK(f.app->search().find("docker", 0, 5).links.at(0).title == "Go at Docker");
  }
  CHECK((live_folder(f) != first) == replaced);
  CHECK(f.app->search().indexed() == f.app->store().link_count());
  CHECK(f.app->search().find("docker soundcloud", 0, 5).total == 2);
}

TEST_CASE("a process holding the index does not stop searches, they catch up once it lets go", "[search]") {
  test::Fixture f;
  REQUIRE(f.app->search().find("uber", 0, 5).links.empty());
  const int fd = ::open(f.dir.file("whygo.db-search/lock").c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);  // as another whygo would while it rebuilds
  // Written through this process's store, so the search knows of the new version at once.
  f.app->store().import_links({}, {uber_link()}, test::test_unix());
  const auto started = std::chrono::steady_clock::now();
  const auto meanwhile = f.app->search().find("docker", 0, 5);
  CHECK(std::chrono::steady_clock::now() - started < limits::search_index_busy_wait + std::chrono::seconds(2));
  CHECK(meanwhile.links.at(0).title == "Go at Docker");  // answered from the version it has
  ::close(fd);
  CHECK(f.app->search().find("uber", 0, 5).links.at(0).title == "Go at Uber");
}

TEST_CASE("two searches over one database share its index", "[search]") {
  test::Fixture f;
  Search second(f.app->store(), Synonyms{});
  f.app->store().import_links({}, {uber_link()}, test::test_unix());
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (Search* search : {&f.app->search(), &second, &f.app->search(), &second})
    threads.emplace_back([&found, search] {
      for (int i = 0; i < 20; ++i)
        if (search->find("uber", 0, 5).links.size() == 1) ++found;
    });
  for (auto& t : threads) t.join();
  CHECK(found == 80);
  CHECK(second.indexed() == 64);
}

TEST_CASE("words longer than the index keeps are left out of it, never an error", "[search]") {
  test::Fixture f;
  const std::string long_word(300, 'q');
  Link odd;
  odd.title = long_word + " Gadgetry " + long_word;
  odd.url = "https://example.org/" + long_word + "/gadgetry";
  odd.author = long_word;
  odd.medium = long_word + long_word;
  odd.section = "Why Go";
  f.app->store().import_links({}, {odd}, test::test_unix());
  CHECK(f.app->search().indexed() == 64);
  CHECK(f.app->search().find("gadgetry", 0, 5).links.at(0).title == odd.title);
  CHECK(f.app->search().find(long_word, 0, 5).links.empty());
  std::string many;
  for (int i = 0; i < 12; ++i) many += std::string(40, static_cast<char>('a' + i)) + " ";
  CHECK(f.app->search().find(many, 0, 5).links.empty());
  CHECK(f.app->search().find("docker", 0, 5).links.at(0).title == "Go at Docker");
}

TEST_CASE("an index folder deleted under a running search is built again at the next change", "[search]") {
  test::Fixture f;
  REQUIRE(f.app->search().find("docker", 0, 5).links.size() == 1);
  std::filesystem::remove_all(f.dir.file("whygo.db-search"));
  CHECK(f.app->search().find("docker", 0, 5).links.size() == 1);  // the open files still answer
  f.app->store().import_links({}, {uber_link()}, test::test_unix());
  CHECK(f.app->search().find("uber", 0, 5).links.at(0).title == "Go at Uber");
  CHECK(std::filesystem::exists(f.dir.file("whygo.db-search/current")));
}
