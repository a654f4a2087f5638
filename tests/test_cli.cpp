// The real binary, as an operator runs it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace whygo;

namespace {
std::string cli(const test::TempDir& dir, const std::string& args) {
  return "WHYGO_DB=" + dir.file("w.db") + " " + WHYGO_BINARY + " " + args;
}
}  // namespace

TEST_CASE("whygo ask docker answers Go at Docker first", "[cli]") {
  test::TempDir dir;
  const auto r = test::run(cli(dir, "ask docker"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("Why Go: docker\n1. Go at Docker\n", 0) == 0);
}

TEST_CASE("whygo ask --json prints the neutral reply", "[cli]") {
  test::TempDir dir;
  const auto r = test::run(cli(dir, "ask --json youtube"));
  REQUIRE(r.exit_code == 0);
  const auto reply = nlohmann::json::parse(r.out);
  CHECK(reply["command"] == "search");
  CHECK(reply["visibility"] == "channel");
  CHECK(reply["links"].size() == 5);
  CHECK(reply["links"][0]["title"] == "Go at YouTube (Vitess)");
  CHECK(reply["more"]["offset"] == 5);
  const auto page2 = nlohmann::json::parse(test::run(cli(dir, "ask --json --offset 5 youtube")).out);
  CHECK(page2["first"] == 5);
}

TEST_CASE("whygo ask without a match exits 1 and says why", "[cli]") {
  test::TempDir dir;
  const auto r = test::run(cli(dir, "ask asdfgh"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("No link matches") != std::string::npos);
}

TEST_CASE("export and import round trip through the binary", "[cli]") {
  test::TempDir dir;
  const auto exported = test::run(cli(dir, "export " + dir.file("out.md")));
  REQUIRE(exported.exit_code == 0);
  test::TempDir other;
  const auto imported = test::run(cli(other, "import " + dir.file("out.md")));
  CHECK(imported.exit_code == 0);
  // The fresh database was seeded with the same catalog, so nothing changes.
  CHECK(imported.out.find("0 added, 0 updated, 63 unchanged") != std::string::npos);
  const auto again = test::run(cli(other, "export"));
  CHECK(again.out == test::read_text(dir.file("out.md")));
}

TEST_CASE("import of a file without links is refused and changes nothing", "[cli]") {
  test::TempDir dir;
  test::write_text(dir.file("empty.md"), "# Nothing here\n\njust prose\n");
  const auto r = test::run(cli(dir, "import " + dir.file("empty.md")));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("holds no links") != std::string::npos);
  CHECK(test::run(cli(dir, "import " + dir.file("missing.md"))).exit_code == 2);
}

TEST_CASE("whygo story --date tells a day's story in advance", "[cli]") {
  test::TempDir dir;
  const auto a = test::run(cli(dir, "story --date 2026-12-25"));
  CHECK(a.exit_code == 0);
  CHECK(a.out.rfind("Go story of the day, 25 Dec 2026\n1. ", 0) == 0);
  CHECK(test::run(cli(dir, "story --date 2026-12-25")).out == a.out);
  CHECK(test::run(cli(dir, "story --date 2026-12-32")).exit_code == 1);
}

TEST_CASE("unknown verbs and a bad database path fail clearly", "[cli]") {
  test::TempDir dir;
  const auto r = test::run(cli(dir, "frobnicate"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown command") != std::string::npos);
  const auto bad = test::run(std::string("WHYGO_DB=/nonexistent/dir/w.db ") + WHYGO_BINARY + " ask docker");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("cannot open database") != std::string::npos);
}
