// Past the inline budget the endpoint answers "deferred" and follows up through the interaction
// webhook. In-process, so the background queue can be held up on purpose; the fake Discord keeps
// the interaction's messages as Discord documents them (tests/discord/fake_discord.hpp).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "adapters/discord/routes.hpp"
#include "bot/adapter.hpp"
#include "tests/discord/fake_discord.hpp"
#include "tests/discord/keys.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

struct InProcess {
  test::TempDir dir;
  test::SigningKey key;
  test::FakeDiscord fake;
  SystemClock clock;  // signatures carry the real time
  std::unique_ptr<App> app;
  Background background{1};
  OutboundClient outbound{[](std::chrono::milliseconds) {}};
  std::unique_ptr<AdapterServices> services;
  HttpServer server;
  std::thread thread;
  int port = 0;

  InProcess() {
    fake.start();
    Config config;
    config.db_path = dir.file("w.db");
    discord::DiscordConfig discord_config;
    discord_config.public_key = key.public_hex();
    discord_config.application_id = "123";
    discord_config.api_base = fake.base_url();
    app = std::make_unique<App>(config, clock);
    services = std::make_unique<AdapterServices>(AdapterServices{
        app->dispatcher(),
        clock,
        app->store(),
        background,
        outbound,
        app->config().admins,
        [this](std::string_view query, std::size_t limit) { return app->search().find(query, 0, limit); },
        app->store(),
        app->store(),
        app->store(),
        {}});
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

  // Posts a signed interaction; a type 5 answer becomes Discord's loading message at the fake.
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
    const json answer = json::parse(res->body);
    if (answer["type"] == 5) {
      const bool ephemeral = answer.contains("data") && (answer["data"].value("flags", 0) & 64) != 0;
      fake.deferred(json::parse(body)["token"], ephemeral);
    }
    return answer;
  }

  // Waits until the background queue has run everything posted so far.
  void drain() {
    std::promise<void> done;
    background.post([&done] { done.set_value(); });
    done.get_future().wait();
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
  p.drain();
  const auto sent = p.fake.platform().requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "PATCH");
  CHECK(sent[0].path == "/webhooks/123/tok-en_1.x/messages/@original");
  CHECK(sent[0].header("Authorization").empty());  // the token in the path is the credential
  const auto in = p.fake.interaction("tok-en_1.x");
  CHECK_FALSE(in.original.loading);
  CHECK_FALSE(in.original.ephemeral);
  CHECK(in.original.body["embeds"][0]["title"] == "Go at Docker");
  CHECK(in.original.body["allowed_mentions"]["parse"].empty());
}

// The bug this guards against: a follow-up straight after a public type 5 edits the placeholder
// and ignores flags 64, so the channel read the private text and the asker got nothing.
TEST_CASE("deferred: a late private reply reaches the asker alone, and no placeholder stays", "[discord][deferred]") {
  InProcess p;
  auto release = p.hold_background();
  CHECK(p.interact(command("help")) == json{{"type", 5}});
  release.set_value();
  p.drain();
  const auto in = p.fake.interaction("tok-en_1.x");
  // The asker sees the help, privately.
  REQUIRE(in.followups.size() == 1);
  CHECK(in.followups[0].ephemeral);
  CHECK(in.followups[0].body["content"].get<std::string>().find("random") != std::string::npos);
  // The channel never saw it, and nothing public is left of the deferral.
  for (const json& seen : in.seen_by_channel) CHECK(seen.dump().find("random") == std::string::npos);
  CHECK(in.original.deleted);
}

TEST_CASE("deferred: a late failed More click goes to the clicker alone and the results stay", "[discord][deferred]") {
  InProcess p;
  auto release = p.hold_background();
  const json click = {{"type", 3},
                      {"id", "1002"},
                      {"application_id", "123"},
                      {"token", "tok-click"},
                      {"guild_id", "42"},
                      {"channel_id", "7"},
                      {"member", {{"user", {{"id", "555"}}}, {"permissions", "0"}}},
                      {"data", {{"custom_id", "m1:search:900:youtube"}, {"component_type", 2}}}};
  CHECK(p.interact(click.dump()) == json{{"type", 6}});
  release.set_value();
  p.drain();
  const auto in = p.fake.interaction("tok-click");
  REQUIRE(in.followups.size() == 1);
  CHECK(in.followups[0].ephemeral);
  CHECK_FALSE(in.original.deleted);  // the message with the results is not ours to remove
}

TEST_CASE("deferred: a quick reply is inline", "[discord][deferred]") {
  InProcess p;
  CHECK(p.interact(command("docker"))["type"] == 4);
  CHECK(p.fake.platform().requests().empty());
}
