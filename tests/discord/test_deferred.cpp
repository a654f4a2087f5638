// Past the inline budget the endpoint answers "deferred" and follows up through the interaction
// webhook. In-process, so the background queue can be held up on purpose.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "adapters/discord/routes.hpp"
#include "bot/adapter.hpp"
#include "tests/discord/bodies.hpp"
#include "tests/discord/keys.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

struct InProcess {
  test::TempDir dir;
  test::SigningKey key;
  test::FakePlatform fake;
  test::BodyLog bodies;
  SystemClock clock;  // signatures carry the real time
  std::unique_ptr<App> app;
  Background background{1};
  OutboundClient outbound{[](std::chrono::milliseconds) {}};
  std::unique_ptr<AdapterServices> services;
  HttpServer server;
  std::thread thread;
  int port = 0;

  InProcess() {
    fake.routes().Patch(R"(/webhooks/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      bodies.add(req.body);
      res.set_content(R"({"id":"m1"})", "application/json");
    });
    fake.routes().Post(R"(/webhooks/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      bodies.add(req.body);
      res.set_content(R"({"id":"m2"})", "application/json");
    });
    fake.routes().Delete(R"(/webhooks/.*)", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    fake.start();
    Config config;
    config.db_path = dir.file("w.db");
    discord::DiscordConfig discord_config;
    discord_config.public_key = key.public_hex();
    discord_config.application_id = "123";
    discord_config.api_base = fake.base_url();
    app = std::make_unique<App>(config, clock);
    services = std::make_unique<AdapterServices>(AdapterServices{
        app->dispatcher(), clock, app->store(), background, outbound, app->config().admins,
        [this](std::string_view query, std::size_t limit) { return app->search().find(query, 0, limit); }});
    discord::mount(server, *services, discord_config);
    port = server.bind({"127.0.0.1", 0});
    thread = std::thread([this] { server.run(); });
    while (!server.routes().is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~InProcess() {
    server.stop();
    thread.join();
    background.stop();
  }

  // Holds the only background thread until the returned promise is fulfilled.
  std::promise<void> hold_background() {
    std::promise<void> release;
    background.post([held = release.get_future().share()] { held.wait(); });
    return release;
  }

  json interact(const std::string& body) {
    const std::string timestamp = test::unix_now();
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds(10));
    const auto res =
        client.Post("/discord/interactions",
                    {{"X-Signature-Ed25519", key.sign(timestamp, body)}, {"X-Signature-Timestamp", timestamp}}, body,
                    "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
};

std::string command(const std::string& query) {
  return json{{"type", 2},
              {"id", "1001"},
              {"application_id", "123"},
              {"token", "tok-en_1.x"},
              {"guild_id", "42"},
              {"channel_id", "7"},
              {"member", {{"user", {{"id", "555"}}}, {"permissions", "0"}}},
              {"data", {{"name", "whygo"}, {"options", json::array({{{"name", "query"}, {"value", query}}})}}}}
      .dump();
}

}  // namespace

TEST_CASE("deferred: a late public reply is type 5, then PATCH @original", "[discord][deferred]") {
  InProcess p;
  auto release = p.hold_background();
  const auto started = std::chrono::steady_clock::now();
  CHECK(p.interact(command("docker")) == json{{"type", 5}});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));  // Discord's deadline
  release.set_value();
  REQUIRE(p.fake.wait_for(1));
  const auto sent = p.fake.requests()[0];
  CHECK(sent.method == "PATCH");
  CHECK(sent.path == "/webhooks/123/tok-en_1.x/messages/@original");
  CHECK(sent.header("Authorization").empty());  // the token in the path is the credential
  REQUIRE(p.bodies.all().size() == 1);
  const json body = json::parse(p.bodies.all()[0]);
  CHECK(body["embeds"][0]["title"] == "Go at Docker");
  CHECK(body["allowed_mentions"]["parse"].empty());
}

TEST_CASE("deferred: a late private reply becomes an ephemeral follow-up, the placeholder goes",
          "[discord][deferred]") {
  InProcess p;
  auto release = p.hold_background();
  CHECK(p.interact(command("help")) == json{{"type", 5}});
  release.set_value();
  REQUIRE(p.fake.wait_for(2));
  const auto sent = p.fake.requests();
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].path == "/webhooks/123/tok-en_1.x");
  REQUIRE(p.bodies.all().size() == 1);
  CHECK(json::parse(p.bodies.all()[0])["flags"] == 64);
  CHECK(sent[1].method == "DELETE");
  CHECK(sent[1].path == "/webhooks/123/tok-en_1.x/messages/@original");
}

TEST_CASE("deferred: a quick reply is inline", "[discord][deferred]") {
  InProcess p;
  CHECK(p.interact(command("docker"))["type"] == 4);
  CHECK(p.fake.requests().empty());
}
