// Issue 14 for the parts every platform shares: the text log against forged lines, and the
// database against damage and a full disk. The real `whygo` binary on loopback.
#include <httplib.h>
#include <sched.h>
#include <sys/mount.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.hpp"
#include "bot/store.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

// A database with the bundled catalog, as a first start leaves it.
void seed(const std::string& path) {
  Config config;
  config.db_path = path;
  SystemClock clock;
  App app(config, clock);
}

// Overwrites the start of the page that holds `name`'s b-tree root with garbage, as a bad sector
// or a torn write would. Nothing reads that index at start.
void damage(const std::string& path, const std::string& name) {
  std::int64_t page_size = 0, root = 0;
  {
    SQLite::Database db(path);
    page_size = db.execAndGet("PRAGMA page_size").getInt64();
    SQLite::Statement q(db, "SELECT rootpage FROM sqlite_master WHERE name = ?");
    q.bind(1, name);
    REQUIRE(q.executeStep());
    root = q.getColumn(0).getInt64();
  }
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp((root - 1) * page_size);
  const std::string garbage(64, '\xff');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  REQUIRE(file.good());
}

}  // namespace

TEST_CASE("trust: request paths forge no log line and drive no terminal", "[trust][logs]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  // httplib hands routes and the log the percent-decoded path.
  for (const std::string path :
       {"/x%0a2026-01-01T00:00:00.000%20info%20forged%20line", "/y%0d%1b[2J%1b[31mred%1b]0;title%07",
        "/z%e2%80%a8separated%e2%80%aereversed%e2%80%8bhidden", "/w%22%20status=200%20command=add%5c"}) {
    const auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
  }
  server.stop();
  const std::string log = test::read_text(server.log_path());
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    INFO(line);
    CHECK(line.rfind("2026-01-01T00:00:00.000 info forged", 0) == std::string::npos);
  }
  for (const char* raw : {"\x1b", "\r", "\x07", "\xe2\x80\xa8", "\xe2\x80\xae", "\xe2\x80\x8b"})
    CHECK(log.find(raw) == std::string::npos);
  // Each path is on its own request's line, escaped and quoted.
  CHECK(log.find("GET \"/x\\n2026-01-01T00:00:00.000 info forged line\" 404") != std::string::npos);
  CHECK(log.find("\"/y\\r\\x1B[2J\\x1B[31mred\\x1B]0;title\\x07\"") != std::string::npos);
  CHECK(log.find("\\u{2028}separated\\u{202E}reversed\\u{200B}hidden") != std::string::npos);
  CHECK(log.find("\"/w\\\" status=200 command=add\\\\\" 404") != std::string::npos);
}

TEST_CASE("trust: a database with a damaged page is refused at start by every verb", "[trust][database]") {
  test::TempDir dir;
  const std::string db = dir.file("w.db");
  seed(db);
  damage(db, "links_by_url_key");
  const std::string env = "WHYGO_DB=" + db + " WHYGO_LISTEN=127.0.0.1:0 timeout 20 " + WHYGO_BINARY;
  const auto serve = test::run(env + " serve");
  CHECK(serve.exit_code == 1);  // not 124: it never started serving (or answering /readyz)
  CHECK(serve.err.find("is damaged") != std::string::npos);
  CHECK(serve.err.find("PRAGMA quick_check") != std::string::npos);
  CHECK(serve.err.find("backup") != std::string::npos);
  const auto backup = test::run(env + " backup " + dir.file("copy.db"));
  CHECK(backup.exit_code == 1);
  CHECK(backup.err.find("is damaged") != std::string::npos);
  CHECK(backup.out.find("backed up") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("copy.db")));
  CHECK(test::run(env + " ask docker").err.find("is damaged") != std::string::npos);
}

TEST_CASE("trust: a backup is reported only once the copy checks out whole", "[trust][database]") {
  test::TempDir dir;
  const std::string db = dir.file("w.db");
  seed(db);
  {
    Store sound(db);
    CHECK_NOTHROW(sound.backup_to(dir.file("good.db")));
    CHECK(Store(dir.file("good.db")).link_count() == 63);
  }
  Store store(db);                 // sound when opened...
  damage(db, "links_by_url_key");  // ...damaged while it runs, on a page it has not read yet
  try {
    store.backup_to(dir.file("bad.db"));
    FAIL("a damaged copy was reported as a backup");
  } catch (const StoreError& e) {
    CHECK(std::string(e.what()).find("the copy is damaged") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("bad.db")));
}

TEST_CASE("trust: /readyz turns 503 while the database's disk is too full to write", "[trust][readyz]") {
  // A small file system of our own: a tmpfs in a mount namespace of this test process, which the
  // server inherits, so nothing outside sees it.
  if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    WARN("no mount namespace here (needs CAP_SYS_ADMIN); the full-disk path of /readyz is not exercised");
    return;
  }
  test::TempDir dir;
  REQUIRE(mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=48m") == 0);
  {
    const std::string db = dir.file("w.db");
    seed(db);
    test::ServerProcess server({}, db);
    httplib::Client client("127.0.0.1", server.port());
    CHECK(client.Get("/readyz")->status == 200);
    {
      std::ofstream filler(dir.file("filler"), std::ios::binary);
      const std::string megabyte(1 << 20, 'x');
      while (filler.write(megabyte.data(), static_cast<std::streamsize>(megabyte.size()))) {
      }
    }
    const auto full = client.Get("/readyz");
    REQUIRE(full);
    CHECK(full->status == 503);
    CHECK(full->body.find("the disk is too full to write") != std::string::npos);
    std::filesystem::remove(dir.file("filler"));
    CHECK(client.Get("/readyz")->status == 200);
    CHECK(server.stop() == 0);
  }
  umount2(dir.path().c_str(), MNT_DETACH);
}
