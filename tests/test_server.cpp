// `whygo serve` on loopback.
#include <httplib.h>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace whygo;

TEST_CASE("serve answers /healthz and stops cleanly on SIGTERM", "[server]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "ok\n");
  CHECK(client.Get("/nope")->status == 404);
  CHECK(server.stop(SIGTERM) == 0);
  CHECK(test::read_text(server.log_path()).find("GET /healthz 200") != std::string::npos);
}

TEST_CASE("serve refuses an oversized body with 413", "[server]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Post("/healthz", std::string(200 * 1024, 'x'), "text/plain");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve fails clearly when WHYGO_LISTEN is malformed", "[server]") {
  test::TempDir dir;
  const auto r = test::run("WHYGO_LISTEN=nonsense WHYGO_DB=" + dir.file("w.db") + " " + WHYGO_BINARY + " serve");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("WHYGO_LISTEN") != std::string::npos);
}
