// `whygo check-links` as an operator runs it: the real binary against a site and the Internet
// Archive's availability API (https://archive.org/help/wayback_api.php) played by servers on
// loopback, opened with WHYGO_FETCH_ALLOW=127.0.0.1/32.
#include <httplib.h>

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("check-links: a dead link with its archived copy, a fix accepted in chat, stats and search", "[cli][links]") {
  test::FakePlatform site;
  site.routes().Get("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  site.routes().Get("/old", [](const httplib::Request&, httplib::Response& res) {
    res.status = 308;
    res.set_header("Location", "/new");
  });
  site.routes().Get("/new",
                    [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
  site.start();
  test::FakePlatform archive;
  archive.routes().Get("/wayback/available", [](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = {
        {"url", req.get_param_value("url")},
        {"archived_snapshots",
         {{"closest",
           {{"available", true},
            {"status", "200"},
            {"timestamp", "20140101000000"},
            {"url", "http://web.archive.org/web/20140101000000/" + req.get_param_value("url")}}}}}};
    res.set_content(body.dump(), "application/json");
  });
  archive.start();

  test::TempDir dir;
  const std::string wiki = dir.file("wiki.md");
  std::ofstream(wiki) << "# Why Go\n\n  * [Quokka gophers retire](" << site.base_url()
                      << "/gone) by Ann\n  * [Quokka gophers move](" << site.base_url() << "/old) by Bob\n";
  const std::string env = "WHYGO_DB=" + dir.file("w.db") +
                          " WHYGO_FETCH_ALLOW=127.0.0.1/32 WHYGO_LINK_DEAD_AFTER=1/0 WHYGO_LINK_HOST_DELAY=0"
                          " WHYGO_ARCHIVE_URL=" +
                          archive.base_url() + "/wayback/available " + WHYGO_BINARY + " ";
  REQUIRE(test::run(env + "import " + wiki).exit_code == 0);
  CHECK(test::run(env + "ask quokka").out.find("Quokka gophers retire") != std::string::npos);

  const auto checked = test::run(env + "check-links");
  INFO(checked.out << checked.err);
  REQUIRE(checked.exit_code == 0);
  CHECK(checked.out.find("#1 dead 404 " + site.base_url() + "/gone") != std::string::npos);
  CHECK(checked.out.find("archived copy: http://web.archive.org/web/20140101000000/" + site.base_url() + "/gone") !=
        std::string::npos);
  CHECK(checked.out.find("#2 ok 200 " + site.base_url() + "/old moved permanently to " + site.base_url() + "/new") !=
        std::string::npos);
  CHECK(checked.out.find("1 alive, 1 redirected (fixes offered), 1 dead") != std::string::npos);
  // Every request said who it was.
  for (const auto& r : site.requests()) CHECK(r.header("User-Agent").rfind("whygo-link-checker/0.1.0 (+", 0) == 0);

  // The dead link is skipped by search, the live one still found; stats count them.
  const auto search = test::run(env + "ask quokka").out;
  CHECK(search.find("Quokka gophers retire") == std::string::npos);
  CHECK(search.find("Quokka gophers move") != std::string::npos);
  CHECK(test::run(env + "ask stats").out.find("1 alive, 1 redirected, 1 dead") != std::string::npos);

  // The fix, accepted by the operator (an admin), then undone.
  CHECK(test::run(env + "ask fixes").out.find("2. \"Quokka gophers move\"") != std::string::npos);
  const auto accepted = test::run(env + "ask accept 2");
  CHECK(accepted.exit_code == 0);
  CHECK(test::run(env + "export").out.find("(" + site.base_url() + "/new)") != std::string::npos);
  CHECK(test::run(env + "check-links --id 2").out.find("#2 ok 200 " + site.base_url() + "/new") != std::string::npos);
  CHECK(test::run(env + "check-links --id x").exit_code == 2);
  CHECK(test::run(env + "check-links --id 99").exit_code == 1);
}

TEST_CASE("check-links refuses a bad WHYGO_LINK_DEAD_AFTER or WHYGO_FETCH_ALLOW before anything runs", "[cli][links]") {
  test::TempDir dir;
  const auto dead =
      test::run("WHYGO_DB=" + dir.file("w.db") + " WHYGO_LINK_DEAD_AFTER=soon " + WHYGO_BINARY + " check-links");
  CHECK(dead.exit_code == 2);
  CHECK(dead.err.find("WHYGO_LINK_DEAD_AFTER") != std::string::npos);
  const auto allow =
      test::run("WHYGO_DB=" + dir.file("w.db") + " WHYGO_FETCH_ALLOW=10.0.0.0/40 " + WHYGO_BINARY + " check-links");
  CHECK(allow.exit_code == 2);
  CHECK(allow.err.find("10.0.0.0/40") != std::string::npos);
}
