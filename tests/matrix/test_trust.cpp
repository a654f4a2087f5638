// Issue 14 through the real `whygo serve` as an application service: floods of made-up users,
// replies that list people, and events no strict JSON parser takes. A fake homeserver on loopback
// plays the client-server API (https://spec.matrix.org/latest/client-server-api/).
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "tests/catalog_state.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string bot = "@whygo:example.org";
const std::string room = "!room:example.org";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json message(const std::string& event_id, const std::string& body, const std::string& sender = "@alice:example.org",
             const std::string& in_room = room) {
  return {
      {"event_id", event_id},     {"room_id", in_room},           {"sender", sender},
      {"type", "m.room.message"}, {"origin_server_ts", now_ms()}, {"content", {{"msgtype", "m.text"}, {"body", body}}}};
}

// The client-server API as a homeserver answers it: sends, createRoom (a new room id each time),
// and the bot's m.direct account data (404 M_NOT_FOUND until it is set, then what was PUT).
struct Homeserver {
  struct Call {
    std::string method;
    std::string path;  // as sent, percent-encoded
    std::string body;
  };
  mutable std::mutex mutex;
  std::vector<Call> calls;
  std::string direct = "";  // the m.direct content PUT, if any
  int rooms_made = 0;
  test::FakePlatform fake;  // last: stopped first

  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex);
    calls.push_back({req.method, req.target, req.body});
  }

  Homeserver() {
    fake.routes().Put(R"(/_matrix/client/v3/rooms/.+/send/m\.room\.message/.+)",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        record(req);
                        res.set_content(R"({"event_id":"$sent"})", "application/json");
                      });
    fake.routes().Post("/_matrix/client/v3/createRoom", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      std::lock_guard lock(mutex);
      res.set_content(json{{"room_id", "!dm" + std::to_string(++rooms_made) + ":example.org"}}.dump(),
                      "application/json");
    });
    fake.routes().Get(R"(/_matrix/client/v3/user/.+/account_data/m\.direct)", [this](const httplib::Request& req,
                                                                                     httplib::Response& res) {
      record(req);
      std::lock_guard lock(mutex);
      if (direct.empty()) {
        res.status = 404;
        res.set_content(R"({"errcode":"M_NOT_FOUND","error":"Account data not found"})", "application/json");
      } else {
        res.set_content(direct, "application/json");
      }
    });
    fake.routes().Put(R"(/_matrix/client/v3/user/.+/account_data/m\.direct)",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        record(req);
                        std::lock_guard lock(mutex);
                        direct = req.body;
                        res.set_content("{}", "application/json");
                      });
    fake.routes().Post("/_matrix/client/v3/register", [](const httplib::Request&, httplib::Response& res) {
      res.status = 400;
      res.set_content(R"({"errcode":"M_USER_IN_USE","error":"User ID already taken."})", "application/json");
    });
    fake.start();
  }

  std::vector<Call> matching(const std::string& method, const std::string& path_part) const {
    std::lock_guard lock(mutex);
    std::vector<Call> out;
    for (const auto& c : calls)
      if (c.method == method && c.path.find(path_part) != std::string::npos) out.push_back(c);
    return out;
  }
  // Sends into one room (its id percent-encoded as in the path).
  std::vector<Call> sends_to(const std::string& encoded_room) const {
    return matching("PUT", "/rooms/" + encoded_room + "/send/");
  }
  bool wait_for(const std::function<bool()>& done) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::vector<std::string> env(const std::string& admins) const {
    return {"MATRIX_AS_TOKEN=as-fake", "MATRIX_HS_TOKEN=hs-fake", "MATRIX_HOMESERVER_URL=" + fake.base_url(),
            "MATRIX_BOT_USER=" + bot, "WHYGO_ADMINS=" + admins};
  }
};

const std::string room_path = "%21room%3Aexample.org";
const std::string other_path = "%21other%3Aexample.org";

httplib::Result push_raw(const test::ServerProcess& server, const std::string& txn_path, const std::string& body) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(std::chrono::seconds(20));
  return client.Put("/_matrix/app/v1/transactions/" + txn_path, {{"Authorization", "Bearer hs-fake"}}, body,
                    "application/json");
}

httplib::Result push(const test::ServerProcess& server, const std::string& txn_id, const std::vector<json>& events) {
  return push_raw(server, txn_id, json{{"events", events}}.dump());
}

std::string body_of(const Homeserver::Call& call) {
  return json::parse(call.body).value("body", std::string());
}

struct SeededDatabase {
  test::TempDir dir;
  std::string path = dir.file("w.db");
  explicit SeededDatabase(const std::function<void(App&)>& prepare = {}) {
    Config config;
    config.db_path = path;
    SystemClock clock;
    App app(config, clock);
    if (prepare) prepare(app);
  }
};

}  // namespace

TEST_CASE("trust: 3,000 made-up users flooding a room queue the room's cap and get a handful of answers",
          "[matrix][trust][flood]") {
  Homeserver hs;
  SeededDatabase db;
  const test::CatalogState before = test::catalog_state(db.path);
  test::ServerProcess server(hs.env("matrix:@alice:example.org"), db.path);
  // As a homeserver batches them: 100 events a transaction, each from a user of its own.
  for (int txn = 0; txn < 30; ++txn) {
    std::vector<json> events;
    for (int i = 0; i < 100; ++i) {
      const std::string n = std::to_string(txn * 100 + i);
      events.push_back(message("$flood" + n, "!whygo suggest https://spam.example/" + n + " Spam " + n,
                               "@bot" + n + ":spam.example"));
    }
    REQUIRE(push(server, "flood-" + std::to_string(txn), events)->status == 200);
  }
  // Events are handled in order: once a question in another room is answered, the flood was read.
  REQUIRE(push(server, "marker", {message("$marker", "!whygo docker", "@alice:example.org", "!other:example.org")})
              ->status == 200);
  REQUIRE(hs.wait_for([&] { return !hs.sends_to(other_path).empty(); }));
  const auto answers = hs.sends_to(room_path);
  CHECK(answers.size() >= 10);
  CHECK(answers.size() <= 12);  // the burst, and what refilled while the flood was read
  server.stop();
  const std::string log = test::read_text(server.log_path());
  std::size_t warned = 0;
  for (std::size_t at = log.find("asks faster than"); at != std::string::npos; at = log.find("asks faster", at + 1))
    ++warned;
  CHECK(warned >= 1);
  CHECK(warned <= 3);
  const test::CatalogState after = test::catalog_state(db.path);
  CHECK(after.pending == 10);  // the room's cap: an admin's work stays bounded
  CHECK(after.links == before.links);
  CHECK(after.audit_rows == before.audit_rows);
}

TEST_CASE("trust: replies that list people go to the asking admin in a direct room, never the room",
          "[matrix][trust][privacy]") {
  Homeserver hs;
  SeededDatabase db([](App& app) {
    app.store().add_suggestion("https://example.org/s", "Suggested", {"slack", "U0SECRET", test::test_unix()},
                               {"T0", "C0"}, {});
    Link link;
    link.url = "https://example.org/added";
    link.title = "Added on Discord";
    link.section = "Why Go";
    app.store().add_link(link, {"discord", "80351110224678912", test::test_unix()});
  });
  const std::string admins = "matrix:@alice:example.org,slack:U0SLACKADMIN,discord:80351110224678912";
  {
    test::ServerProcess server(hs.env(admins), db.path);
    REQUIRE(push(server, "1",
                 {message("$p", "!whygo pending"), message("$h", "!whygo history"), message("$w", "!whygo admins"),
                  message("$mp", "!whygo pending", "@mallory:example.org"),
                  message("$mw", "!whygo admins", "@mallory:example.org")})
                ->status == 200);
    REQUIRE(hs.wait_for([&] { return hs.sends_to(room_path).size() >= 5; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // One direct room, made once, with alice invited, remembered in m.direct.
    const auto made = hs.matching("POST", "/createRoom");
    REQUIRE(made.size() == 1);
    const json create = json::parse(made[0].body);
    CHECK(create["is_direct"] == true);
    CHECK(create["invite"] == json::array({"@alice:example.org"}));
    const auto saved = hs.matching("PUT", "/account_data/m.direct");
    REQUIRE(saved.size() == 1);
    CHECK(json::parse(saved[0].body) == json{{"@alice:example.org", {"!dm1:example.org"}}});
    const auto direct = hs.sends_to("%21dm1%3Aexample.org");
    REQUIRE(direct.size() == 3);
    CHECK(body_of(direct[0]).find("slack:U0SECRET") != std::string::npos);             // pending, to alice alone
    CHECK(body_of(direct[1]).find("discord:80351110224678912") != std::string::npos);  // history
    CHECK(body_of(direct[2]).find("@alice:example.org") != std::string::npos);
    // The room got pointers and mallory's refusals, and no other platform's ids.
    const auto public_answers = hs.sends_to(room_path);
    REQUIRE(public_answers.size() == 5);
    for (std::size_t i = 0; i < 3; ++i) CHECK(body_of(public_answers[i]).find("direct message") != std::string::npos);
    CHECK(body_of(public_answers[3]).find("Only admins") != std::string::npos);
    CHECK(body_of(public_answers[4]).find("@alice:example.org") != std::string::npos);  // whom to ask
    for (const auto& answer : public_answers)
      for (const char* id : {"U0SECRET", "U0SLACKADMIN", "80351110224678912", "slack:", "discord:"})
        CHECK(answer.body.find(id) == std::string::npos);
    CHECK(server.stop() == 0);
  }
  // After a restart the room is found in m.direct, not made again.
  test::ServerProcess server(hs.env(admins), db.path);
  REQUIRE(push(server, "2", {message("$h2", "!whygo history")})->status == 200);
  REQUIRE(hs.wait_for([&] { return hs.sends_to("%21dm1%3Aexample.org").size() == 4; }));
  CHECK(hs.matching("POST", "/createRoom").size() == 1);
}

TEST_CASE("trust: an event with a lone surrogate is skipped and logged, the rest of its transaction answered",
          "[matrix][trust][surrogate]") {
  Homeserver hs;
  SeededDatabase db;
  test::ServerProcess server(hs.env("matrix:@alice:example.org"), db.path);
  // Python's json (Synapse) writes a lone surrogate as "\ud800"; strict parsers refuse the text.
  std::string bad = message("$bad", "!whygo LONE youtube").dump();
  bad.replace(bad.find("LONE"), 4, "\\ud800");
  const std::string body = R"({"events":[)" + message("$a", "!whygo docker").dump() + "," + bad + "," +
                           message("$c", "!whygo dropbox").dump() + R"(],"ephemeral":[]})";
  const auto res = push_raw(server, "t1", body);
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(hs.wait_for([&] { return hs.sends_to(room_path).size() >= 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto answers = hs.sends_to(room_path);
  REQUIRE(answers.size() == 2);
  CHECK(json::parse(answers[0].body)["m.relates_to"]["m.in_reply_to"]["event_id"] == "$a");
  CHECK(json::parse(answers[1].body)["m.relates_to"]["m.in_reply_to"]["event_id"] == "$c");
  // Bodies that are not JSON at all are still refused.
  CHECK(push_raw(server, "t2", R"({"events":[{"a":1},)")->status == 400);
  CHECK(push_raw(server, "t3", "nope")->status == 400);
  // A transaction path with a newline and a terminal escape in it forges no log line either.
  CHECK(push_raw(server, "t4%0a2026-01-01T00:00:00.000%20info%20forged%1b[31m", "{}")->status >= 400);
  server.stop();
  const std::string log = test::read_text(server.log_path());
  CHECK(log.find("event $bad (#1) is not valid JSON") != std::string::npos);
  CHECK(log.find("\n2026-01-01T00:00:00.000 info forged") == std::string::npos);
  CHECK(log.find('\x1b') == std::string::npos);
}
