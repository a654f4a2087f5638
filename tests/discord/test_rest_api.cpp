// The REST client against a fake Discord on loopback.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <sstream>

#include "adapters/discord/register.hpp"
#include "adapters/discord/rest_api.hpp"
#include "tests/discord/bodies.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

struct Rig {
  test::FakePlatform fake;
  ManualClock clock{test::test_now()};
  std::vector<std::chrono::milliseconds> waits;
  OutboundClient client{[this](std::chrono::milliseconds d) { waits.push_back(d); }};
  Sleeper sleeper{[this](std::chrono::milliseconds d) { waits.push_back(d); }};
  test::BodyLog bodies;
  discord::DiscordConfig config;
  Rig() {
    config.application_id = "123";
    config.bot_token = "fake-token";
  }
  void start() {
    fake.start();
    config.api_base = fake.base_url() + "/api/v10";
  }
};

}  // namespace

TEST_CASE("Create Message sends the bot token, the User-Agent, a nonce with enforce_nonce", "[discord][rest]") {
  Rig rig;
  rig.fake.routes().Post(R"(/api/v10/channels/(\d+)/messages)",
                         [&rig](const httplib::Request& req, httplib::Response& res) {
                           rig.bodies.add(req.body);
                           res.set_content(R"({"id":"1"})", "application/json");
                         });
  rig.start();
  discord::RestApi api(rig.config, rig.client, rig.clock, rig.sleeper);
  const std::string nonce = discord::make_nonce("story:2026-11-27:777");
  CHECK(nonce.size() == 25);
  CHECK(nonce == discord::make_nonce("story:2026-11-27:777"));
  CHECK(nonce != discord::make_nonce("story:2026-11-28:777"));
  const auto response =
      api.create_message("777", {{"content", "hi"}, {"allowed_mentions", {{"parse", json::array()}}}}, nonce);
  CHECK(response.ok());
  const auto requests = rig.fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].path == "/api/v10/channels/777/messages");
  CHECK(requests[0].header("Authorization") == "Bot fake-token");
  CHECK(requests[0].header("User-Agent").rfind("DiscordBot (https://", 0) == 0);
  CHECK(requests[0].header("Content-Type").rfind("application/json", 0) == 0);
  REQUIRE(rig.bodies.all().size() == 1);
  const json body = json::parse(rig.bodies.all()[0]);
  CHECK(body["nonce"] == nonce);
  CHECK(body["enforce_nonce"] == true);
  CHECK(body["allowed_mentions"]["parse"].empty());
}

TEST_CASE("a 429 waits Discord's retry_after (float seconds in the body) and retries", "[discord][rest]") {
  Rig rig;
  std::atomic<int> calls = 0;  // the retry is served by another of the fake's threads
  rig.fake.routes().Post(
      R"(/api/v10/channels/(\d+)/messages)", [&calls](const httplib::Request&, httplib::Response& res) {
        if (++calls == 1) {
          res.status = 429;
          res.set_header("Retry-After", "3");
          res.set_content(R"({"message":"You are being rate limited.","retry_after":1.25,"global":false})",
                          "application/json");
          return;
        }
        res.set_content(R"({"id":"1"})", "application/json");
      });
  rig.start();
  discord::RestApi api(rig.config, rig.client, rig.clock, rig.sleeper);
  const auto response = api.create_message("777", {{"content", "hi"}}, "n");
  CHECK(response.ok());
  CHECK(response.attempts == 2);
  REQUIRE(rig.waits.size() == 1);
  CHECK(rig.waits[0] >= std::chrono::milliseconds(1250));
  CHECK(rig.waits[0] < std::chrono::milliseconds(1500));  // the body wins over the rounded header
}

TEST_CASE("5xx is retried with backoff, an exhausted bucket is waited out before the next call", "[discord][rest]") {
  Rig rig;
  std::atomic<int> calls = 0;  // the retry is served by another of the fake's threads
  rig.fake.routes().Post(R"(/api/v10/channels/(\d+)/messages)",
                         [&calls](const httplib::Request&, httplib::Response& res) {
                           if (++calls == 1) {
                             res.status = 502;
                             return;
                           }
                           res.set_header("X-RateLimit-Remaining", "0");
                           res.set_header("X-RateLimit-Reset-After", "2.5");
                           res.set_content(R"({"id":"1"})", "application/json");
                         });
  rig.start();
  discord::RestApi api(rig.config, rig.client, rig.clock, rig.sleeper);
  CHECK(api.create_message("777", {{"content", "a"}}, "n1").ok());
  REQUIRE(rig.waits.size() == 1);  // the backoff after 502
  CHECK(api.create_message("777", {{"content", "b"}}, "n2").ok());
  REQUIRE(rig.waits.size() == 2);
  CHECK(rig.waits[1] == std::chrono::milliseconds(2500));
  // Time passed (the manual clock moved on): no wait.
  rig.clock.advance(std::chrono::seconds(3));
  rig.waits.clear();
  CHECK(api.create_message("777", {{"content", "c"}}, "n3").ok());
  CHECK(rig.waits.empty());
}

TEST_CASE("ids that are not snowflakes never reach a URL", "[discord][rest]") {
  Rig rig;
  rig.start();
  discord::RestApi api(rig.config, rig.client, rig.clock, rig.sleeper);
  CHECK(api.create_message("../../users/@me", {{"content", "x"}}, "n").status == 0);
  CHECK(api.edit_original("123", "a/b", {{"content", "x"}}).status == 0);
  CHECK(api.bulk_overwrite_commands(json::array(), "42/../1").status == 0);
  CHECK(rig.fake.requests().empty());
}

TEST_CASE("the registered command: /whygo with an autocompleted string option query", "[discord][register]") {
  const json global = discord::command_definitions(false);
  REQUIRE(global.size() == 1);
  const json& command = global[0];
  CHECK(command["name"] == "whygo");
  CHECK(command["type"] == 1);
  CHECK(command["description"].get<std::string>().size() <= 100);
  CHECK(command["contexts"] == json::array({0, 1}));
  REQUIRE(command["options"].size() == 1);
  const json& query = command["options"][0];
  CHECK(query["name"] == "query");
  CHECK(query["type"] == 3);
  CHECK(query["autocomplete"] == true);
  CHECK_FALSE(query.contains("choices"));
  CHECK(query["description"].get<std::string>().size() <= 100);
  CHECK_FALSE(discord::command_definitions(true)[0].contains("contexts"));
}

// "integration_types ... only for globally-scoped commands", and so is contexts
// (https://discord.com/developers/docs/interactions/application-commands, "Application Command Structure").
TEST_CASE("integration_types and contexts are sent only with global commands", "[discord][register]") {
  CHECK(discord::command_definitions(false)[0]["integration_types"] == json::array({0}));
  const json guild = discord::command_definitions(true)[0];
  CHECK_FALSE(guild.contains("integration_types"));
  CHECK_FALSE(guild.contains("contexts"));
}

// The Discord client refuses to send an option longer than its max_length, so the option must
// hold the longest command README allows: add with a 2048-byte URL, a 200-character title, an
// author and 16 tags.
TEST_CASE("the query option takes an add with a 2048-byte URL, a title, an author and tags", "[discord][register]") {
  std::string add = "add https://example.org/" + std::string(2048 - 24, 'a') + " " + std::string(200, 'T') + " by " +
                    std::string(100, 'A');
  for (int i = 0; i < 16; ++i) add += " #" + std::string(31, 'a') + static_cast<char>('a' + i);
  const json query = discord::command_definitions(false)[0]["options"][0];
  CHECK(query["max_length"].get<std::size_t>() >= add.size());
  CHECK(query["max_length"].get<std::size_t>() <= 6000);  // Discord's bound for a string option
  CHECK(discord::command_definitions(true)[0]["options"][0]["max_length"] == query["max_length"]);
}

TEST_CASE("register refuses a malformed guild id and missing settings without calling out", "[discord][register]") {
  Rig rig;
  rig.start();
  std::ostringstream out, err;
  CHECK(discord::register_commands(rig.config, rig.client, rig.clock, {"--guild", "abc"}, out, err) == 2);
  CHECK(discord::register_commands(rig.config, rig.client, rig.clock, {"--guild"}, out, err) == 2);
  discord::DiscordConfig no_token = rig.config;
  no_token.bot_token.clear();
  CHECK(discord::register_commands(no_token, rig.client, rig.clock, {}, out, err) == 2);
  CHECK(err.str().find("DISCORD_BOT_TOKEN") != std::string::npos);
  CHECK(rig.fake.requests().empty());
}
