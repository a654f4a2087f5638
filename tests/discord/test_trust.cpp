// Issue 14 through POST /discord/interactions on the real `whygo serve`: attacks by members and by
// strangers who install the app in a server of their own, each refused with the catalog, audit
// log and channels left as they were.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "bot/store.hpp"
#include "tests/catalog_state.hpp"
#include "tests/discord/keys.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

struct DiscordServer {
  test::TempDir dir;
  test::SigningKey key;
  test::FakePlatform fake;
  std::string db = dir.file("w.db");
  test::CatalogState before;
  std::unique_ptr<test::ServerProcess> server;

  // `prepare` runs on the database before the server starts (and before `before` is taken).
  explicit DiscordServer(const std::string& admins, const std::function<void(App&)>& prepare = {}) {
    fake.routes().Post(R"(/webhooks/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"id":"m2"})", "application/json");
    });
    fake.start();
    {
      Config config;
      config.db_path = db;
      SystemClock clock;
      App app(config, clock);
      if (prepare) prepare(app);
    }
    before = test::catalog_state(db);
    server = std::make_unique<test::ServerProcess>(
        std::vector<std::string>{"DISCORD_PUBLIC_KEY=" + key.public_hex(), "DISCORD_APPLICATION_ID=123",
                                 "DISCORD_BOT_TOKEN=fake-token", "DISCORD_API_BASE=" + fake.base_url(),
                                 "WHYGO_ADMINS=" + admins},
        db);
  }

  httplib::Result signed_post(const std::string& body, const std::string& timestamp = test::unix_now()) const {
    httplib::Client client("127.0.0.1", server->port());
    client.set_read_timeout(std::chrono::seconds(10));
    return client.Post("/discord/interactions",
                       {{"X-Signature-Ed25519", key.sign(timestamp, body)}, {"X-Signature-Timestamp", timestamp}}, body,
                       "application/json");
  }

  json interact(const std::string& body) const {
    const auto res = signed_post(body);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }

  test::CatalogState after() {
    server->stop();
    return test::catalog_state(db);
  }
};

// Who acts where: a member of a guild with its permission bits, or a user in a DM.
struct Member {
  std::string user = "555";
  std::string guild = "42";  // empty: a DM
  std::string channel = "7";
  std::string permissions = "0";
};

// Each interaction has its own id, as Discord gives it (a replay repeats one: see the replay test).
std::string fresh_id() {
  static int next = 100000;
  return std::to_string(++next);
}

json envelope(int type, const Member& who, std::string id) {
  if (id.empty()) id = fresh_id();
  json body = {{"type", type},         {"id", id},     {"application_id", "123"},
               {"token", "tok-" + id}, {"version", 1}, {"channel_id", who.channel}};
  if (who.guild.empty()) {
    body["user"] = {{"id", who.user}};
  } else {
    body["guild_id"] = who.guild;
    body["member"] = {{"user", {{"id", who.user}}}, {"permissions", who.permissions}};
  }
  return body;
}

std::string command(const std::string& query, const Member& who, const std::string& id = {}) {
  json body = envelope(2, who, id);
  body["data"] = {{"id", "9"},
                  {"name", "whygo"},
                  {"type", 1},
                  {"options", json::array({{{"type", 3}, {"name", "query"}, {"value", query}}})}};
  return body.dump();
}

std::string click(const std::string& custom_id, const Member& who, const std::string& id = {}) {
  json body = envelope(3, who, id);
  body["data"] = {{"custom_id", custom_id}, {"component_type", 2}};
  return body.dump();
}

std::string content(const json& answer) {
  return answer["data"]["content"].get<std::string>();
}

}  // namespace

TEST_CASE("trust: a More click by an admin pages the search, never runs its words as a command",
          "[discord][trust][more]") {
  DiscordServer d("discord:999");
  const Member mallory{"555"};
  const Member admin{"999"};
  for (const std::string words :
       {"search add https://www.youtube.com/evil Go at YouTube", "search remove 22 go", "find log go"}) {
    INFO(words);
    const json first = d.interact(command(words, mallory));
    REQUIRE(first["data"]["components"].size() == 1);
    const std::string custom_id = first["data"]["components"][0]["components"][0]["custom_id"];
    CHECK(custom_id.starts_with("m1:search:5:"));
    const json next = d.interact(click(custom_id, admin));
    CHECK(next["type"] == 7);  // the next page, in place
    CHECK(content(next).starts_with("**Why Go: "));
    CHECK(content(next).find("Added") == std::string::npos);
  }
  // The old format carried command text; a payload naming a command that does not page is refused.
  for (const std::string forged : {"more:5:add https://evil.example/y Evil", "more:0:remove 22", "more:0:history",
                                   "m1:add:0:https://evil.example/z Evil", "m1:remove:0:22", "m1:history:0:50",
                                   "m1:undo:0:x", "m1:reject:0:all"}) {
    INFO(forged);
    const json refused = d.interact(click(forged, admin));
    CHECK(refused["type"] == 4);
    CHECK(refused["data"]["flags"] == 64);
    CHECK(content(refused).find("no longer works") != std::string::npos);
  }
  CHECK(d.after() == d.before);
}

TEST_CASE("trust: a stranger's own Discord server gives its owner no right over the catalog",
          "[discord][trust][admins]") {
  // Anyone can create a server and add the app: its Administrator is nobody to the catalog.
  DiscordServer d("discord:999", [](App& app) {
    app.store().add_suggestion("https://example.org/waiting", "Waiting", {"slack", "U0ANN", test::test_unix()},
                               {"T0TEST", "C0TEST"}, {});
  });
  for (const std::string bits : {"8", "32", "2147483647"}) {
    const Member owner{"666", "777", "70", bits};
    for (const std::string text :
         {"add https://evil.example/x Go at Evil", "remove 22", "edit 22 title Pwned", "tag 22 #pwned",
          "untag 22 #docker", "undo", "approve 1", "reject 1", "reject all", "pending", "history"}) {
      INFO(bits << " " << text);
      const json answer = d.interact(command(text, owner));
      CHECK(answer["data"]["flags"] == 64);
      CHECK(content(answer).find("Only admins listed in WHYGO") != std::string::npos);
    }
  }
  // "admins" says the rule, and why this member may still manage the story in their server.
  const json why = d.interact(command("admins", Member{"666", "777", "70", "8"}));
  CHECK(content(why).find("needs a stable id listed in WHYGO") != std::string::npos);
  CHECK(content(why).find("may manage the daily story here") != std::string::npos);
  CHECK(content(why).find("cannot change the catalog") != std::string::npos);
  // The same commands from an id in WHYGO_ADMINS, in any server, are the catalog admin's.
  CHECK(content(d.interact(command("pending", Member{"999", "777", "70", "0"}))).find("Waiting") != std::string::npos);
  CHECK(d.after() == d.before);
}

TEST_CASE("trust: a server's managers manage the daily story of their own server's channels only",
          "[discord][trust][admins]") {
  DiscordServer d("discord:999");
  const Member theirs{"666", "777", "70", "8"};
  const Member other_manager{"444", "42", "7", "32"};
  CHECK(content(d.interact(command("subscribe 08:00 Asia/Tokyo", other_manager))).find("Subscribed") !=
        std::string::npos);
  CHECK(content(d.interact(command("subscribe 09:30 Europe/Paris", theirs))).find("Subscribed") != std::string::npos);
  // Their list holds their server's channel alone.
  const std::string listed = content(d.interact(command("subscriptions", theirs)));
  CHECK(listed.find("70: 09:30 Europe/Paris") != std::string::npos);
  CHECK(listed.find("7: 08:00") == std::string::npos);
  CHECK(content(d.interact(command("unsubscribe", theirs))).find("Unsubscribed") != std::string::npos);
  // A plain member of either server may not, nor may anyone in a DM by permission bits.
  CHECK(content(d.interact(command("unsubscribe", Member{"555", "42", "7", "3072"}))).find("Only admins") !=
        std::string::npos);
  CHECK(content(d.interact(command("subscribe", Member{"666", "", "dm-1", "8"}))).find("Only admins") !=
        std::string::npos);
  d.server->stop();
  Store store(d.db);
  const auto subscriptions = store.subscriptions("discord");
  REQUIRE(subscriptions.size() == 1);
  CHECK(subscriptions[0].channel == "7");
  CHECK(subscriptions[0].tenant == "42");
  CHECK(store.history(100).empty());  // the catalog's audit log saw nothing
}

TEST_CASE("trust: a replayed interaction runs its write once", "[discord][trust][replay]") {
  DiscordServer d("discord:999");
  const Member admin{"999"};
  CHECK(content(d.interact(command("add https://example.org/a Go at A", admin))).find("Added") != std::string::npos);
  CHECK(content(d.interact(command("add https://example.org/b Go at B", admin))).find("Added") != std::string::npos);
  // A captured interaction sent again inside Discord's window: same id, timestamp and signature.
  const std::string undo = command("undo", admin);
  const std::string timestamp = test::unix_now();
  const auto first = d.signed_post(undo, timestamp);
  REQUIRE(first);
  CHECK(first->body.find("Undid the add") != std::string::npos);
  for (int i = 0; i < 3; ++i) {
    const auto again = d.signed_post(undo, timestamp);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(again->body.find("handled already") != std::string::npos);
  }
  const test::CatalogState after = d.after();
  CHECK(after.links == d.before.links + 1);
  CHECK(after.audit_rows == 3);  // add, add, one undo
}
