// POST /discord/interactions on the real `whygo serve`, with a key pair made here and a fake
// Discord API on loopback.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/discord/bodies.hpp"
#include "tests/discord/keys.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

struct DiscordServer {
  test::TempDir dir;
  test::SigningKey key;
  test::FakePlatform fake;
  test::BodyLog bodies;
  std::unique_ptr<test::ServerProcess> server;

  DiscordServer() {
    fake.routes().Post(R"(/channels/\d+/messages)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"id":"900","channel_id":"7"})", "application/json");
    });
    fake.routes().Put(R"(/applications/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      bodies.add(req.body);
      res.set_content(req.body, "application/json");  // Discord answers with the commands it saved
    });
    fake.start();
    server = std::make_unique<test::ServerProcess>(
        std::vector<std::string>{"DISCORD_PUBLIC_KEY=" + key.public_hex(), "DISCORD_APPLICATION_ID=123",
                                 "DISCORD_BOT_TOKEN=fake-token", "DISCORD_API_BASE=" + fake.base_url()},
        dir.file("w.db"));
  }

  httplib::Result post(const std::string& body, const httplib::Headers& headers) const {
    httplib::Client client("127.0.0.1", server->port());
    client.set_read_timeout(std::chrono::seconds(10));
    return client.Post("/discord/interactions", headers, body, "application/json");
  }

  httplib::Result signed_post(const std::string& body, const std::string& timestamp = test::unix_now()) const {
    return post(body, {{"X-Signature-Ed25519", key.sign(timestamp, body)}, {"X-Signature-Timestamp", timestamp}});
  }

  json interact(const std::string& body) const {
    const auto res = signed_post(body);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type").rfind("application/json", 0) == 0);
    return json::parse(res->body);
  }
};

// View Channel, Send Messages, Embed Links and Read Message History: what the install link asks for.
constexpr const char* bot_can_post = "84992";

// app_permissions: "Bitwise set of permissions the app has within the channel the interaction was
// sent from" (https://discord.com/developers/docs/interactions/receiving-and-responding, "Interaction Object").
std::string command(const std::string& query, const std::string& permissions = "0", int type = 2, bool focused = false,
                    const std::string& app_permissions = bot_can_post) {
  json option = {{"type", 3}, {"name", "query"}, {"value", query}};
  if (focused) option["focused"] = true;
  static int next_id = 1001;  // every interaction has its own id; a repeated one is a replay
  return json{{"type", type},
              {"id", std::to_string(next_id++)},
              {"application_id", "123"},
              {"token", "interaction-token"},
              {"version", 1},
              {"guild_id", "42"},
              {"channel_id", "7"},
              {"channel", {{"id", "7"}, {"type", 0}}},
              {"app_permissions", app_permissions},
              {"member", {{"user", {{"id", "555"}, {"username", "gopher"}}}, {"permissions", permissions}}},
              {"data", {{"id", "9"}, {"name", "whygo"}, {"type", 1}, {"options", json::array({option})}}}}
      .dump();
}

std::string click(const std::string& custom_id) {
  return json{{"type", 3},
              {"id", "1002"},
              {"application_id", "123"},
              {"token", "interaction-token"},
              {"guild_id", "42"},
              {"channel_id", "7"},
              {"member", {{"user", {{"id", "555"}}}, {"permissions", "0"}}},
              {"data", {{"custom_id", custom_id}, {"component_type", 2}}}}
      .dump();
}

}  // namespace

TEST_CASE("endpoint: PING is answered inline with {\"type\":1}", "[discord][endpoint]") {
  DiscordServer d;
  CHECK(d.interact(R"({"type":1,"id":"1","application_id":"123","token":"t","version":1})") == json{{"type", 1}});
}

TEST_CASE("endpoint: missing, bad, altered, foreign and stale signatures get 401", "[discord][endpoint]") {
  DiscordServer d;
  const std::string ping = R"({"type":1})";
  const std::string now = test::unix_now();
  const std::string good = d.key.sign(now, ping);
  test::SigningKey other;
  const std::vector<std::pair<std::string, httplib::Headers>> cases = {
      {"no headers", {}},
      {"no signature", {{"X-Signature-Timestamp", now}}},
      {"no timestamp", {{"X-Signature-Ed25519", good}}},
      {"not hex", {{"X-Signature-Ed25519", std::string(128, 'x')}, {"X-Signature-Timestamp", now}}},
      {"short", {{"X-Signature-Ed25519", good.substr(0, 64)}, {"X-Signature-Timestamp", now}}},
      {"other timestamp",
       {{"X-Signature-Ed25519", good}, {"X-Signature-Timestamp", std::to_string(std::stoll(now) + 1)}}},
      {"other key", {{"X-Signature-Ed25519", other.sign(now, ping)}, {"X-Signature-Timestamp", now}}},
      {"stale", {{"X-Signature-Ed25519", d.key.sign("1700000000", ping)}, {"X-Signature-Timestamp", "1700000000"}}},
  };
  for (const auto& [what, headers] : cases) {
    INFO(what);
    const auto res = d.post(ping, headers);
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  // Altered body: signed for one body, sent with another.
  const std::string body = command("docker");
  const auto altered =
      d.post(command("kubernetes"), {{"X-Signature-Ed25519", d.key.sign(now, body)}, {"X-Signature-Timestamp", now}});
  REQUIRE(altered);
  CHECK(altered->status == 401);
  // Nothing unverified reached the dispatcher.
  const std::string log = test::read_text(d.server->log_path());
  CHECK(log.find("command=search") == std::string::npos);
  CHECK(log.find("command=ping") == std::string::npos);
}

TEST_CASE("endpoint: signed garbage is a 400, never a crash", "[discord][endpoint]") {
  DiscordServer d;
  const std::vector<std::string> bodies = {
      "",          "{", "[]", R"({"type":"2"})", R"({"type":2,"data":"x","member":[]})", R"({"type":5,"data":{}})",
      "\xff\xfe{}"};
  for (const std::string& body : bodies) {
    INFO(body);
    const auto res = d.signed_post(body);
    REQUIRE(res);
    CHECK((res->status == 400 || res->status == 200));
  }
  CHECK(d.interact(R"({"type":1})") == json{{"type", 1}});  // still up
}

TEST_CASE("endpoint: /whygo query:docker answers type 4 with Go at Docker first, mentions off", "[discord][endpoint]") {
  DiscordServer d;
  const json answer = d.interact(command("docker"));
  CHECK(answer["type"] == 4);
  const json& data = answer["data"];
  REQUIRE(data["embeds"].size() >= 1);
  CHECK(data["embeds"][0]["title"] == "Go at Docker");
  CHECK(data["embeds"][0]["url"].get<std::string>().find("docker") != std::string::npos);
  CHECK(data["allowed_mentions"] == json{{"parse", json::array()}});
  CHECK_FALSE(data.contains("flags"));  // search results are for the channel
  CHECK(data["content"].get<std::string>().rfind("**Why Go: docker**", 0) == 0);
}

TEST_CASE("endpoint: help and unknown commands are ephemeral", "[discord][endpoint]") {
  DiscordServer d;
  const json help = d.interact(command("help"));
  CHECK(help["type"] == 4);
  CHECK(help["data"]["flags"] == 64);
  CHECK(help["data"]["allowed_mentions"]["parse"].empty());
  const json empty = d.interact(command(""));
  CHECK(empty["data"]["flags"] == 64);
  json other = json::parse(command("docker"));
  other["data"]["name"] = "other";
  const json unknown = d.interact(other.dump());
  CHECK(unknown["data"]["flags"] == 64);
}

TEST_CASE("endpoint: autocomplete answers type 8 with at most 25 valid choices", "[discord][endpoint]") {
  DiscordServer d;
  const json answer = d.interact(command("dock", "0", 4, true));
  CHECK(answer["type"] == 8);
  const json& choices = answer["data"]["choices"];
  REQUIRE(choices.is_array());
  REQUIRE_FALSE(choices.empty());
  CHECK(choices.size() <= 25);
  CHECK(choices[0]["name"] == "Docker");
  const json broad = d.interact(command("go", "0", 4, true));
  CHECK(broad["data"]["choices"].size() == 25);
  for (const auto& c : broad["data"]["choices"]) {
    CHECK(!c["name"].get<std::string>().empty());
    CHECK(c["name"].get<std::string>().size() <= 400);  // 100 characters of UTF-8
  }
}

TEST_CASE("endpoint: the More button pages with type 7", "[discord][endpoint]") {
  DiscordServer d;
  const json first = d.interact(command("youtube"));
  REQUIRE(first["data"]["components"].size() == 1);
  const std::string custom_id = first["data"]["components"][0]["components"][0]["custom_id"];
  CHECK(custom_id == "m1:search:5:youtube");
  const json next = d.interact(click(custom_id));
  CHECK(next["type"] == 7);
  CHECK_FALSE(next["data"].contains("flags"));
  CHECK(next["data"]["allowed_mentions"]["parse"].empty());
  REQUIRE_FALSE(next["data"]["embeds"].empty());
  CHECK(next["data"]["embeds"][0]["title"] != first["data"]["embeds"][0]["title"]);
  CHECK(next["data"]["content"].get<std::string>().find("(6\u2013") != std::string::npos);
  // A button this service did not make, or past the end, answers the clicker alone.
  const json stale = d.interact(click("something-else"));
  CHECK(stale["type"] == 4);
  CHECK(stale["data"]["flags"] == 64);
  const json past_end = d.interact(click("m1:search:900:youtube"));
  CHECK(past_end["type"] == 4);
  CHECK(past_end["data"]["flags"] == 64);
}

TEST_CASE("endpoint: catalog commands need WHYGO_ADMINS whatever member.permissions say", "[discord][endpoint]") {
  DiscordServer d;
  const json plain = d.interact(command("pending", "3072"));  // VIEW_CHANNEL | SEND_MESSAGES
  CHECK(plain["data"]["content"].get<std::string>().find("Only admins") != std::string::npos);
  CHECK(plain["data"]["flags"] == 64);
  for (const std::string bits : {"32", "8", "2147483647"}) {  // MANAGE_GUILD, ADMINISTRATOR, many
    const json admin = d.interact(command("pending", bits));
    CHECK(admin["data"]["content"].get<std::string>().find("Only admins listed in WHYGO") != std::string::npos);
  }
  const json why = d.interact(command("admins", "32"));
  CHECK(why["data"]["content"].get<std::string>().find("Manage Server permission") != std::string::npos);
}

TEST_CASE("endpoint: a server manager subscribes a channel, and post-story posts there once",
          "[discord][endpoint][story]") {
  DiscordServer d;
  const json reply = d.interact(command("subscribe 08:00 Asia/Tokyo", "32"));
  CHECK(reply["data"]["content"].get<std::string>().find("08:00 Asia/Tokyo") != std::string::npos);
  CHECK(reply["data"]["flags"] == 64);
  d.server->stop();
  const std::string cli =
      "WHYGO_DB=" + d.dir.file("w.db") + " DISCORD_PUBLIC_KEY=" + d.key.public_hex() +
      " DISCORD_APPLICATION_ID=123 DISCORD_BOT_TOKEN=fake-token DISCORD_API_BASE=" + d.fake.base_url() + " " +
      WHYGO_BINARY + " post-story --date 2026-11-27";
  CHECK(test::run(cli).exit_code == 0);
  CHECK(test::run(cli).out.find("posted 0") != std::string::npos);  // once per channel and day
  std::vector<json> posts;
  for (const auto& r : d.fake.requests())
    if (r.method == "POST" && r.path == "/channels/7/messages") posts.push_back(json::parse(r.body));
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].dump().find("Go story of the day, 27 Nov 2026") != std::string::npos);
  CHECK(posts[0]["enforce_nonce"] == true);
  CHECK(posts[0]["nonce"].get<std::string>().size() <= 25);
  CHECK(posts[0]["allowed_mentions"]["parse"].empty());
}

// Without these, Create Message answers 403 every day (50001 Missing Access, 50013 Missing
// Permissions: https://discord.com/developers/docs/topics/opcodes-and-status-codes).
TEST_CASE("endpoint: subscribe is refused where whygo lacks permissions to post, naming them",
          "[discord][endpoint][story]") {
  DiscordServer d;
  // View Channel and Send Messages only: no Embed Links, no Read Message History.
  const json refused = d.interact(command("subscribe", "32", 2, false, "3072"));
  const std::string said = refused["data"]["content"];
  CHECK(said.find("Embed Links") != std::string::npos);
  CHECK(said.find("Read Message History") != std::string::npos);
  CHECK(said.find("Send Messages") == std::string::npos);
  CHECK(refused["data"]["flags"] == 64);
  const json none = d.interact(command("subscribe", "32", 2, false, "0"));
  CHECK(none["data"]["content"].get<std::string>().find("View Channel, Send Messages") != std::string::npos);
  const json listed = d.interact(command("subscriptions", "32"));
  CHECK(listed["data"]["content"].get<std::string>().find("No channel") != std::string::npos);
  // With the Administrator permission everything is granted.
  const json admin = d.interact(command("subscribe", "32", 2, false, "8"));
  CHECK(admin["data"]["content"].get<std::string>().find("Subscribed") != std::string::npos);
}

TEST_CASE("endpoint: `whygo discord register --guild` PUTs the command JSON and prints the answer",
          "[discord][endpoint][register]") {
  DiscordServer d;
  const std::string env = "WHYGO_DB=" + d.dir.file("w.db") +
                          " DISCORD_APPLICATION_ID=123 DISCORD_BOT_TOKEN=fake-token "
                          "DISCORD_API_BASE=" +
                          d.fake.base_url() + " ";
  const auto r = test::run(env + WHYGO_BINARY + " discord register --guild 4242");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto requests = d.fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "PUT");
  CHECK(requests[0].path == "/applications/123/guilds/4242/commands");
  CHECK(requests[0].header("Authorization") == "Bot fake-token");
  CHECK(requests[0].header("User-Agent").rfind("DiscordBot (", 0) == 0);
  REQUIRE(d.bodies.all().size() == 1);
  const json sent = json::parse(d.bodies.all()[0]);
  REQUIRE(sent.is_array());
  CHECK(sent[0]["name"] == "whygo");
  CHECK(sent[0]["options"][0]["name"] == "query");
  CHECK(sent[0]["options"][0]["type"] == 3);
  CHECK(sent[0]["options"][0]["autocomplete"] == true);
  CHECK(r.out.find("Discord answered 200") != std::string::npos);
  CHECK(r.out.find("\"whygo\"") != std::string::npos);
  // And the install link, with the scopes and the permissions posting the story needs:
  // View Channel (1<<10), Send Messages (1<<11), Embed Links (1<<14), Read Message History (1<<16).
  CHECK(r.out.find("https://discord.com/oauth2/authorize?client_id=123&scope=applications.commands+bot&permissions=" +
                   std::to_string((1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)) + "\n") != std::string::npos);

  const auto global = test::run(env + WHYGO_BINARY + " discord register");
  CHECK(global.exit_code == 0);
  REQUIRE(d.fake.requests().size() == 2);
  CHECK(d.fake.requests()[1].path == "/applications/123/commands");
  CHECK(test::run(env + WHYGO_BINARY + " discord register --guild nope").exit_code == 2);
  CHECK(test::run(env + WHYGO_BINARY + " discord").exit_code == 2);
}

TEST_CASE("endpoint: without DISCORD_PUBLIC_KEY the route does not exist and the log says so", "[discord][endpoint]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Post("/discord/interactions", R"({"type":1})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 404);
  server.stop();
  CHECK(test::read_text(server.log_path()).find("discord: off") != std::string::npos);
}
