// The real binary, as an operator runs it.
#include <SQLiteCpp/SQLiteCpp.h>

#include <date/date.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "tests/support.hpp"

using namespace whygo;

namespace {
std::string cli(const test::TempDir& dir, const std::string& args) {
  return "WHYGO_DB=" + dir.file("w.db") + " " + WHYGO_BINARY + " " + args;
}
// A database with the bundled catalog, as `serve` leaves it on first start.
const test::TempDir& seeded(const test::TempDir& dir) {
  const auto r = test::run(cli(dir, std::string("import ") + WHYGO_SOURCE_DIR + "/data/WhyGo.md"));
  if (r.exit_code != 0) FAIL("import of the bundled catalog failed: " + r.err);
  return dir;
}
}  // namespace

TEST_CASE("whygo ask docker answers Go at Docker first", "[cli]") {
  test::TempDir dir;
  seeded(dir);
  const auto r = test::run(cli(dir, "ask docker"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("Why Go: docker\n1. Go at Docker\n", 0) == 0);
}

TEST_CASE("whygo ask --json prints the neutral reply", "[cli]") {
  test::TempDir dir;
  seeded(dir);
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
  seeded(dir);
  const auto r = test::run(cli(dir, "ask asdfgh"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("No link matches") != std::string::npos);
}

TEST_CASE("export and import round trip through the binary", "[cli]") {
  test::TempDir dir;
  seeded(dir);
  const auto exported = test::run(cli(dir, "export " + dir.file("out.md")));
  REQUIRE(exported.exit_code == 0);
  test::TempDir other;
  const auto imported = test::run(cli(other, "import " + dir.file("out.md")));
  CHECK(imported.exit_code == 0);
  // import creates the database with what the file holds, and nothing else.
  CHECK(imported.out.find("63 added, 0 updated, 0 unchanged") != std::string::npos);
  const auto again = test::run(cli(other, "export"));
  CHECK(again.out == test::read_text(dir.file("out.md")));
  const auto twice = test::run(cli(other, "import " + dir.file("out.md")));
  CHECK(twice.out.find("0 added, 0 updated, 63 unchanged") != std::string::npos);
}

TEST_CASE("import of a file without links is refused and changes nothing", "[cli]") {
  test::TempDir dir;
  test::write_text(dir.file("empty.md"), "# Nothing here\n\njust prose\n");
  const auto r = test::run(cli(dir, "import " + dir.file("empty.md")));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("holds no links") != std::string::npos);
  const auto missing = test::run(cli(dir, "import " + dir.file("missing.md")));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read " + dir.file("missing.md") + ": No such file or directory") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("w.db")));  // a file that cannot be imported creates nothing
}

TEST_CASE("import - reads standard input", "[cli]") {
  test::TempDir dir;
  const auto r = test::run(cli(dir, "import - < " + std::string(WHYGO_SOURCE_DIR) + "/data/WhyGo.md"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("imported standard input: 63 added") != std::string::npos);
}

TEST_CASE("import takes a file past 4 MiB in one go and indexes it, past 64 MiB it refuses", "[cli]") {
  test::TempDir dir;
  std::string page = "# Why Go\n\n";
  for (int i = 0; i < 3000; ++i)
    page += "  * [Scaling story " + std::to_string(i) + "](https://example.org/2014/07/realtime-chat-" +
            std::to_string(i) + ") by Ada Probe\n";
  const std::string prose(120, 'x');
  while (page.size() < 5 * 1024 * 1024) page += prose + "\n";  // lines that are no links
  test::write_text(dir.file("big.md"), page);
  const auto r = test::run(cli(dir, "import " + dir.file("big.md")));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("3000 added") != std::string::npos);
  CHECK(r.err.find('\r') == std::string::npos);  // progress only on a terminal
  const auto one = test::run(cli(dir, "ask --json real time chat 2999"));
  REQUIRE(one.exit_code == 0);
  CHECK(nlohmann::json::parse(one.out)["links"][0]["title"] == "Scaling story 2999");
  const auto all = test::run(cli(dir, "ask --json real time chat"));
  REQUIRE(all.exit_code == 0);
  CHECK(nlohmann::json::parse(all.out)["total"] >= 100);

  const auto huge = dir.file("huge.md");
  REQUIRE(test::run("truncate -s 65M " + huge).exit_code == 0);
  const auto refused = test::run(cli(dir, "import " + huge));
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("larger than 64 MiB") != std::string::npos);
}

TEST_CASE("whygo story --date tells a day's story in advance", "[cli]") {
  test::TempDir dir;
  seeded(dir);
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
  const auto bad =
      test::run(std::string("WHYGO_DB=/nonexistent/dir/w.db WHYGO_LISTEN=127.0.0.1:0 ") + WHYGO_BINARY + " serve");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("cannot open database /nonexistent/dir/w.db") != std::string::npos);
}

TEST_CASE("only serve and import create a database, other verbs name the file they looked for", "[cli][db]") {
  test::TempDir dir;
  const std::vector<std::string> commands = {"ask docker", "ask add https://example.org/stray Stray", "export",
                                             "story",      "backup " + dir.file("copy.db"),           "post-story"};
  for (const std::string& command : commands) {
    INFO(command);
    const auto r = test::run(cli(dir, command));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("no database at " + dir.file("w.db") + " (from the environment (WHYGO_DB))") != std::string::npos);
    for (const char* how : {"WHYGO_DB=FILE", "--db FILE", "--config FILE", "/var/lib/whygo/whygo.db", "whygo serve"})
      CHECK(r.err.find(how) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("w.db")));
  CHECK_FALSE(std::filesystem::exists(dir.file("copy.db")));
  // Run from a folder without one and nothing named: the default, in the current folder.
  const auto here = test::run("cd " + dir.path().string() + " && " + WHYGO_BINARY + " ask docker");
  CHECK(here.exit_code == 2);
  CHECK(here.err.find("no database at " + dir.file("whygo.db") + " (the default") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("whygo.db")));
  // --db names it too, and wins over WHYGO_DB.
  seeded(dir);
  const auto named =
      test::run(std::string("WHYGO_DB=/nonexistent/x.db ") + WHYGO_BINARY + " ask docker --db " + dir.file("w.db"));
  CHECK(named.exit_code == 0);
  CHECK(named.out.find("Go at Docker") != std::string::npos);
  const auto missing = test::run(std::string(WHYGO_BINARY) + " --db=" + dir.file("none.db") + " story");
  CHECK(missing.err.find("(from the command line (--db))") != std::string::npos);
}

TEST_CASE("./dev run keeps the build off stdout: what it prints is whygo's alone", "[cli][dev]") {
  test::TempDir dir;
  seeded(dir);
  REQUIRE(test::run(cli(dir, "export " + dir.file("direct.md"))).exit_code == 0);
  // The build folder these tests run from; nothing is left to build, so the build says nothing.
  const std::string dev = std::string("cd ") + WHYGO_SOURCE_DIR + " && WHYGO_BUILD_DIR=" + WHYGO_BUILD_DIR +
                          " WHYGO_DB=" + dir.file("w.db") + " ./dev run ";
  const auto json = test::run(dev + "ask --json docker");
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out)["links"][0]["title"] == "Go at Docker");
  CHECK(json.err.find("Built target") == std::string::npos);
  const auto exported = test::run(dev + "export");
  CHECK(exported.exit_code == 0);
  CHECK(exported.out == test::read_text(dir.file("direct.md")));
}

TEST_CASE("every verb refuses options it does not know, with its usage and exit 2", "[cli][usage]") {
  test::TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {"serve --listen 0.0.0.0:8080", "usage: whygo serve"},
      {"serve extra", "usage: whygo serve"},
      {"ask --bogus docker", "usage: whygo ask [--json] [--offset N]"},
      {"ask --offset", "--offset needs N"},
      {"ask --offset=five docker", "--offset takes a number"},
      {"ask --json=yes docker", "--json takes no value"},
      {"import", "usage: whygo import FILE"},
      {"import a.md b.md", "unexpected \"b.md\""},
      {"export --gzip", "usage: whygo export [FILE]"},
      {"story --day 2026-01-01", "usage: whygo story [--date YYYY-MM-DD]"},
      {"post-story --dry-run", "usage: whygo post-story [--date YYYY-MM-DD]"},
      {"backup", "usage: whygo backup FILE"},
      {"config", "usage: whygo config check"},
      {"config show", "usage: whygo config check"},
      {"--bogus ask docker", "unknown option --bogus"},
      {"ask docker --config", "--config needs FILE"},
      {"discord register --guld 1", "usage: whygo discord register"},
      {"matrix registration --uri http://x", "usage: whygo matrix registration"},
  };
  for (const auto& [args, expected] : cases) {
    INFO(args);
    const auto r = test::run(cli(dir, args));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(r.out.empty());
  }
  const auto serve = test::run(cli(dir, "serve --listen 0.0.0.0:8080"));
  CHECK(serve.err.find("WHYGO_LISTEN") != std::string::npos);  // where the address is set instead
}

TEST_CASE("options take --name value and --name=value alike", "[cli][usage]") {
  test::TempDir dir;
  seeded(dir);
  REQUIRE(test::run(cli(dir, "export " + dir.file("seed.md"))).exit_code == 0);
  const auto spaced = test::run(cli(dir, "story --date 2026-12-25"));
  const auto equals = test::run(cli(dir, "story --date=2026-12-25"));
  CHECK(spaced.exit_code == 0);
  CHECK(equals.out == spaced.out);
  CHECK(test::run(cli(dir, "ask --offset=5 --json youtube")).out ==
        test::run(cli(dir, "ask --offset 5 --json youtube")).out);
  // The global options too, before or after the verb: --config=FILE is read, not ignored.
  test::write_text(dir.file("c.json"), R"({"listen": "127.0.0.1:9"})");
  CHECK(test::run(cli(dir, "config check --config=" + dir.file("c.json"))).out.find("127.0.0.1:9") !=
        std::string::npos);
  CHECK(test::run(cli(dir, "--config " + dir.file("c.json") + " config check")).out.find("127.0.0.1:9") !=
        std::string::npos);
  test::write_text(dir.file("bad.json"), R"({"listne": "127.0.0.1:9"})");
  const auto bad = test::run(cli(dir, "serve --config=" + dir.file("bad.json")));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("listne: unknown setting") != std::string::npos);
  // -- ends the options: chat text may start with --.
  CHECK(test::run(cli(dir, "ask -- --json")).exit_code == 1);
  // The platforms' own verbs take both forms too.
  const auto guild = test::run(cli(dir, "discord register --guild=nope"));
  CHECK(guild.exit_code == 2);
  CHECK(guild.err.find("--guild takes a guild id") != std::string::npos);
  const auto registration = test::run("MATRIX_BOT_USER=@whygo:example.org " +
                                      cli(dir, "matrix registration --url=http://whygo.internal:8080"));
  CHECK(registration.exit_code == 0);
  CHECK(registration.out.find("url: 'http://whygo.internal:8080'") != std::string::npos);
}

TEST_CASE("whygo --version, and whygo help lists every verb, option and setting", "[cli][usage]") {
  const auto version = test::run(std::string(WHYGO_BINARY) + " --version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("whygo 0.", 0) == 0);
  const auto help = test::run(std::string(WHYGO_BINARY) + " help");
  CHECK(help.exit_code == 0);
  CHECK(test::run(std::string(WHYGO_BINARY) + " --help").out == help.out);
  CHECK(test::run(std::string(WHYGO_BINARY) + " -h").out == help.out);
  for (const char* verb : {"serve", "ask", "import FILE", "export", "story", "post-story", "backup FILE",
                           "config check", "discord register", "matrix registration", "help"})
    CHECK(help.out.find(std::string("whygo ") + verb) != std::string::npos);
  for (const char* option : {"--config FILE", "--db FILE", "--log-format", "--version"})
    CHECK(help.out.find(option) != std::string::npos);
  // Every variable the code reads is listed, and only those.
  const auto read = test::run(std::string("cd ") + WHYGO_SOURCE_DIR +
                              " && grep -rhoE 'settings::(env|secret)\\(\"[A-Z_]+\"' bot adapters app |"
                              " sed -E 's/.*\"([A-Z_]+)\"/\\1/' | sort -u");
  REQUIRE(read.exit_code == 0);
  std::istringstream variables(read.out);
  std::string variable;
  int count = 0;
  while (std::getline(variables, variable)) {
    INFO(variable);
    CHECK(help.out.find("  " + variable + " ") != std::string::npos);
    ++count;
  }
  CHECK(count >= 17);
  // Without a verb: the same text as a usage error.
  const auto bare = test::run(std::string(WHYGO_BINARY));
  CHECK(bare.exit_code == 2);
  CHECK(bare.err == help.out);
}

TEST_CASE("error messages say what to do next", "[cli][errors]") {
  test::TempDir dir;
  seeded(dir);
  // A synonyms file that cannot be read: which setting, why, and the way back to the bundled list.
  const auto synonyms = test::run("WHYGO_SYNONYMS=/nonexistent " + cli(dir, "ask docker"));
  CHECK(synonyms.exit_code == 1);
  CHECK(synonyms.err.find("synonyms (WHYGO_SYNONYMS): cannot read /nonexistent: No such file or directory") !=
        std::string::npos);
  CHECK(synonyms.err.find("unset WHYGO_SYNONYMS") != std::string::npos);
  // A settings file that is not there.
  const auto config = test::run(cli(dir, "story --config /nonexistent.json"));
  CHECK(config.exit_code == 2);
  CHECK(config.err.find("cannot read /nonexistent.json: No such file or directory") != std::string::npos);
  // A platform that cannot be reached: which URL, which setting.
  const auto discord = test::run(
      "DISCORD_APPLICATION_ID=123456789012345678 DISCORD_BOT_TOKEN=not-a-real-token "
      "DISCORD_API_BASE=http://127.0.0.1:1/api " +
      cli(dir, "discord register"));
  CHECK(discord.exit_code == 1);
  CHECK(discord.err.find("could not connect to http://127.0.0.1:1 (DISCORD_API_BASE)") != std::string::npos);
}

TEST_CASE("a database from a newer whygo is refused, naming the release that reads it", "[cli][errors]") {
  test::TempDir dir;
  seeded(dir);
  {
    SQLite::Database db(dir.file("w.db"), SQLite::OPEN_READWRITE);
    // The release that created it is noted: "whygo 0.1.0\n" says which.
    const std::string version = test::run(std::string(WHYGO_BINARY) + " --version").out;
    CHECK("whygo " + db.execAndGet("SELECT value FROM meta WHERE key = 'migrated_by'").getString() + "\n" == version);
    db.exec("PRAGMA user_version = 99");
    db.exec("UPDATE meta SET value = '0.9.0' WHERE key = 'migrated_by'");
  }
  for (const char* verb : {"ask docker", "serve"}) {
    INFO(verb);
    const auto r = test::run("WHYGO_LISTEN=127.0.0.1:0 " + cli(dir, verb));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("database schema version 99 is newer than this whygo") != std::string::npos);
    CHECK(r.err.find("It was migrated by whygo 0.9.0: run that release or a later one") != std::string::npos);
  }
}

TEST_CASE("post-story with no channel subscribed has nothing to do, and says so", "[cli][story]") {
  test::TempDir dir;
  seeded(dir);
  const auto r = test::run(cli(dir, "post-story"));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no channel is subscribed; nothing to post\n");
}

TEST_CASE("export then import gives back the same catalog: admins' links, tags and edits survive", "[cli][import]") {
  test::TempDir a;
  seeded(a);
  const auto ask = [&a](const std::string& text) {
    const auto r = test::run(cli(a, "ask " + text));
    INFO(text << ": " << r.out << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  ask("add https://gobyexample.com \"Go by Example\" by Mark McGranaghan '#learning'");
  ask("tag 22 '#containers'");  // Go at Docker
  ask("edit 1 title Half a decade with Go, 2009 to 2014");
  ask("remove 5");
  const std::string exported = test::run(cli(a, "export")).out;
  CHECK(exported.find("[Go by Example](https://gobyexample.com) by Mark McGranaghan <!-- whygo: admin #learning -->") !=
        std::string::npos);
  CHECK(exported.find("[Go at Docker](http://www.slideshare.net/jpetazzo/docker-and-go-why-did-we-decide-to-write-"
                      "docker-in-go) <!-- whygo: #containers -->") != std::string::npos);
  test::write_text(a.file("a.md"), exported);

  // Into a new database: the same catalog, down to who added what and the tags admins gave.
  test::TempDir b;
  const auto imported = test::run(cli(b, "import " + a.file("a.md")));
  CHECK(imported.exit_code == 0);
  CHECK(imported.out.find("63 added, 0 updated, 0 unchanged") != std::string::npos);
  CHECK(test::run(cli(b, "export")).out == exported);
  const auto found = nlohmann::json::parse(test::run(cli(b, "ask --json go by example")).out);
  CHECK(found["links"][0]["title"] == "Go by Example");
  CHECK(found["links"][0]["tags"].dump().find("\"learning\"") != std::string::npos);

  // The wiki again: nothing an admin changed goes back, nothing an admin removed comes back.
  const auto wiki = test::run(cli(a, std::string("import ") + WHYGO_SOURCE_DIR + "/data/WhyGo.md"));
  CHECK(wiki.exit_code == 0);
  CHECK(wiki.out.find("0 added") != std::string::npos);
  CHECK(test::run(cli(a, "export")).out == exported);
  CHECK(test::run(cli(a, "ask --json half a decade")).out.find("2009 to 2014") != std::string::npos);
  // And the export once more: unchanged.
  const auto again = test::run(cli(a, "import " + a.file("a.md")));
  CHECK(again.out.find("0 added, 0 updated, 63 unchanged") != std::string::npos);
}

TEST_CASE("import refuses what add refuses and names the lines it skipped", "[cli][import]") {
  test::TempDir dir;
  test::write_text(dir.file("mixed.md"),
                   "# Why Go\n"
                   "\n"
                   "  * [Good](https://example.org/good) by Ann\n"
                   "  * [Files](ftp://example.org/file)\n"
                   "  * just prose in a list\n"
                   "  * [Secret](https://user:pw@example.org/x)\n"
                   "  * [Tagged](https://example.org/t) <!-- whygo: #Not_A_Tag -->\n"
                   "  * [Also good](https://example.org/also)\n");
  const auto r = test::run(cli(dir, "import " + dir.file("mixed.md")));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("2 added") != std::string::npos);
  CHECK(r.out.find("4 line(s) skipped") != std::string::npos);
  const auto refused = test::run(cli(dir, "ask add ftp://example.org/file Files"));
  CHECK(refused.exit_code == 1);
  std::string reason = refused.out.substr(0, refused.out.find('\n'));
  CHECK(r.err.find("mixed.md line 4 skipped: " + reason) != std::string::npos);
  CHECK(r.err.find("mixed.md line 5 skipped: not a link item") != std::string::npos);
  CHECK(r.err.find("mixed.md line 6 skipped: ") != std::string::npos);
  CHECK(r.err.find("mixed.md line 7 skipped: the whygo note") != std::string::npos);
  CHECK(r.err.find("line 3") == std::string::npos);
  CHECK(test::run(cli(dir, "ask files")).out.find("ftp://") == std::string::npos);
}

TEST_CASE("the story of a date never changes once the date has come, before it is a forecast", "[cli][story]") {
  test::TempDir dir;
  seeded(dir);
  const auto story = [&dir](const std::string& args) { return test::run(cli(dir, "story " + args)).out; };
  const auto id_in = [](const std::string& out) {
    const std::string before_id = " · #";
    const std::size_t at = out.rfind(before_id);
    if (at == std::string::npos) return std::string();
    const std::size_t start = at + before_id.size();
    return out.substr(start, out.find('\n', start) - start);
  };
  const std::string today = story("");
  const std::string past = story("--date 2020-02-29");
  REQUIRE(!id_in(today).empty());
  REQUIRE(!id_in(past).empty());
  // Removing today's link, or a past day's, and adding links: neither day changes.
  CHECK(test::run(cli(dir, "ask remove " + id_in(today))).exit_code == 0);
  if (id_in(past) != id_in(today)) CHECK(test::run(cli(dir, "ask remove " + id_in(past))).exit_code == 0);
  for (const char* url : {"https://example.org/a", "https://example.org/b", "https://example.org/c"})
    CHECK(test::run(cli(dir, std::string("ask add ") + url + " Go at Example")).exit_code == 0);
  CHECK(story("") == today);
  CHECK(story("--date 2020-02-29") == past);
  // A date still ahead is a forecast: it follows the catalog until the day comes. (Up to a year
  // ahead is told; a date further on is refused.)
  const std::string later =
      date::format("%F", date::floor<date::days>(std::chrono::system_clock::now()) + date::days{200});
  const std::string ahead = story("--date " + later);
  CHECK(test::run(cli(dir, "ask remove " + id_in(ahead))).exit_code == 0);
  CHECK(story("--date " + later) != ahead);
  const auto far = test::run(cli(dir, "story --date 2099-01-01"));
  CHECK(far.exit_code == 1);
  CHECK(far.out.find("up to a year ahead") != std::string::npos);
}

TEST_CASE("the console refuses subscribe, which it could never honour", "[cli][story]") {
  test::TempDir dir;
  seeded(dir);
  const auto r = test::run(cli(dir, "ask subscribe 08:00 Europe/Paris"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("console only answers: nothing would ever arrive") != std::string::npos);
  CHECK(r.out.find("from the chat channel") != std::string::npos);
  CHECK(test::run(cli(dir, "post-story")).out == "no channel is subscribed; nothing to post\n");
}

TEST_CASE("grammar traps: a quoted title, a missing title, an unknown option", "[cli][grammar]") {
  test::TempDir dir;
  seeded(dir);
  // The shell's quotes keep "Go by Example" whole: it is the title, not "Go" by "Example".
  const auto quoted = test::run(cli(dir, "ask add https://gobyexample.com \"Go by Example\" by Mark McGranaghan"));
  CHECK(quoted.exit_code == 0);
  CHECK(quoted.out.find("\"Go by Example\" (https://gobyexample.com)") != std::string::npos);
  const auto found = nlohmann::json::parse(test::run(cli(dir, "ask --json gobyexample")).out);
  CHECK(found["links"][0]["title"] == "Go by Example");
  CHECK(found["links"][0]["author"] == "Mark McGranaghan");
  // The same in chat, typed with the quotes (straight or typographic), and a quoted title alone.
  CHECK(
      test::run(cli(dir, "ask 'add https://example.org/q1 \"Rob by the Sea\" #sea'")).out.find("\"Rob by the Sea\"") !=
      std::string::npos);
  CHECK(test::run(cli(dir, "ask 'add https://example.org/q2 “Go by Night”'")).out.find("\"Go by Night\"") !=
        std::string::npos);
  const auto unclosed = test::run(cli(dir, "ask 'add https://example.org/q3 \"Go by'"));
  CHECK(unclosed.exit_code == 1);
  CHECK(unclosed.out.find("closing quote is missing") != std::string::npos);
  const auto leftover = test::run(cli(dir, "ask 'add https://example.org/q4 \"Go\" at sea'"));
  CHECK(leftover.exit_code == 1);
  CHECK(leftover.out.find("\"at sea\" is left over") != std::string::npos);
  // suggest without a title says what is missing, with suggest's own example.
  const auto suggest = test::run(cli(dir, "ask suggest https://example.org/post"));
  CHECK(suggest.exit_code == 1);
  CHECK(suggest.out.find("Give a title after the link, e.g. \"suggest https://") != std::string::npos);
  const auto bare = test::run(cli(dir, "ask suggest"));
  CHECK(bare.out.find("Give the link and its title, e.g. \"suggest ") != std::string::npos);
  // An option ask does not know is a usage error, not a search for "bogus".
  const auto bogus = test::run(cli(dir, "ask --bogus docker"));
  CHECK(bogus.exit_code == 2);
  CHECK(bogus.out.empty());
  CHECK(bogus.err.find("unknown option --bogus") != std::string::npos);
}

namespace {
// The rows of the first table after README's `heading`: each row's cells, trimmed.
std::vector<std::vector<std::string>> readme_table(const std::string& heading) {
  const std::string readme = test::read_text(std::string(WHYGO_SOURCE_DIR) + "/README.md");
  std::size_t at = readme.find("\n" + heading + "\n");
  REQUIRE(at != std::string::npos);
  at = readme.find("\n|", at);
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(readme.substr(at + 1));
  std::string line;
  while (std::getline(lines, line) && !line.empty() && line[0] == '|') {
    std::vector<std::string> cells;
    std::size_t start = 1;
    // Cells split at " | " outside backticks.
    bool code = false;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '`') code = !code;
      if (line[i] == '|' && !code) {
        std::string cell = line.substr(start, i - start);
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
        cells.push_back(cell);
        start = i + 1;
      }
    }
    if (cells.size() > 1 && cells[0].rfind("---", 0) != 0) rows.push_back(cells);
  }
  rows.erase(rows.begin());  // the header
  return rows;
}

std::vector<std::string> in_backticks(const std::string& cell) {
  std::vector<std::string> out;
  for (std::size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', at + 1)) {
    const std::size_t end = cell.find('`', at + 1);
    if (end == std::string::npos) break;
    out.push_back(cell.substr(at + 1, end - at - 1));
    at = end;
  }
  return out;
}
}  // namespace

TEST_CASE("README's command table and configuration table agree with the binary", "[cli][readme]") {
  const std::string help = test::run(std::string(WHYGO_BINARY) + " help").out;
  // Every verb's usage as help prints it is a row of README's command table, and no other.
  std::set<std::string> readme_verbs, help_verbs;
  for (const auto& row : readme_table("## Command line")) readme_verbs.insert(in_backticks(row[0]).at(0));
  std::istringstream help_lines(help);
  std::string line;
  std::map<std::string, std::string> help_keys;  // variable -> where, as help lists the settings
  while (std::getline(help_lines, line)) {
    if (line.rfind("  whygo ", 0) == 0) help_verbs.insert(line.substr(2));
    std::istringstream words(line);
    std::string variable, where;
    // A setting's line: "  WHYGO_LISTEN   listen   HOST:PORT ...".
    if (line.rfind("  ", 0) == 0 && words >> variable >> where && variable.find('_') != std::string::npos &&
        std::all_of(variable.begin(), variable.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }))
      help_keys[variable] = where;
  }
  CHECK(readme_verbs == help_verbs);
  // One configuration table: each variable once, with the key help gives it.
  std::map<std::string, std::string> readme_keys;
  for (const auto& row : readme_table("## Configuration")) {
    const auto variables = in_backticks(row[0]);
    const auto keys = in_backticks(row[1]);
    for (std::size_t i = 0; i < variables.size(); ++i) {
      INFO(variables[i]);
      CHECK(readme_keys.count(variables[i]) == 0);
      readme_keys[variables[i]] = keys.empty() ? row[1] : keys.at(i);
    }
  }
  CHECK(help_keys.size() >= 17);
  CHECK(readme_keys == help_keys);
  // And no second table of settings elsewhere in README.
  const std::string readme = test::read_text(std::string(WHYGO_SOURCE_DIR) + "/README.md");
  CHECK(readme.find("\n| `listen` |") == std::string::npos);  // the old key-first table
}

TEST_CASE("a link added by another process is found by a running search within a second", "[cli][search]") {
  test::TempDir dir;
  seeded(dir);
  // What `whygo serve` holds: the core over the file, its search warm.
  Config config;
  config.db_path = dir.file("w.db");
  SystemClock clock;
  App app(config, clock);
  REQUIRE(app.search().find("zorblax", 0, 5).links.empty());
  REQUIRE(test::run(cli(dir, "ask add https://example.org/zorblax Zorblax at Example")).exit_code == 0);
  const auto written = std::chrono::steady_clock::now();
  bool found = false;
  while (!found && std::chrono::steady_clock::now() - written < std::chrono::seconds(1)) {
    found = !app.search().find("zorblax", 0, 5).links.empty();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(found);
  if (found) CHECK(app.search().find("zorblax", 0, 5).links.at(0).title == "Zorblax at Example");
}
