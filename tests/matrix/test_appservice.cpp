// The real `whygo serve` as an application service on loopback, with a fake homeserver on
// loopback playing the client-server API.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string bot = "@whygo:example.org";
const std::string room = "!room:example.org";
const std::string send_prefix = "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json message(const std::string& event_id, const std::string& body, const std::string& sender = "@alice:example.org",
             const std::string& msgtype = "m.text") {
  return {{"event_id", event_id},
          {"room_id", room},
          {"sender", sender},
          {"type", "m.room.message"},
          {"origin_server_ts", now_ms()},
          {"content", {{"msgtype", msgtype}, {"body", body}}}};
}

json invite(const std::string& event_id, const std::string& room_id) {
  return {{"event_id", event_id},
          {"room_id", room_id},
          {"sender", "@alice:example.org"},
          {"type", "m.room.member"},
          {"state_key", bot},
          {"origin_server_ts", now_ms()},
          {"content", {{"membership", "invite"}}}};
}

// A homeserver's client-server API: answers sends, joins and the bot's registration; the first
// `rate_limited` sends get 429 with retry_after_ms. Records each call with its body (the
// FakePlatform's own record is taken before the body is read).
struct Homeserver {
  struct Call {
    std::string method;
    std::string path;  // as sent, still percent-encoded
    std::string body;
    std::string authorization;
  };
  std::atomic<int> rate_limited{0};
  mutable std::mutex mutex;
  std::vector<Call> calls;
  test::FakePlatform fake;  // last: stopped first, while what its handlers use still lives

  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex);
    calls.push_back({req.method, req.target, req.body, req.get_header_value("Authorization")});
  }

  Homeserver() {
    fake.routes().Put(R"(/_matrix/client/v3/rooms/.+/send/m\.room\.message/.+)", [this](const httplib::Request& req,
                                                                                        httplib::Response& res) {
      record(req);
      if (rate_limited.fetch_sub(1) > 0) {
        res.status = 429;
        res.set_content(R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":200})",
                        "application/json");
        return;
      }
      res.set_content(R"({"event_id":"$sent"})", "application/json");
    });
    fake.routes().Post(R"(/_matrix/client/v3/rooms/(.+)/join)",
                       [this](const httplib::Request& req, httplib::Response& res) {
                         record(req);
                         res.set_content(json{{"room_id", req.matches[1].str()}}.dump(), "application/json");
                       });
    fake.routes().Post("/_matrix/client/v3/register", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
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
  std::vector<Call> sends() const { return matching("PUT", "/send/m.room.message/"); }

  // Waits until at least n sends arrived.
  bool wait_for_sends(std::size_t n) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      if (sends().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::vector<std::string> env() const {
    return {"MATRIX_AS_TOKEN=as-fake", "MATRIX_HS_TOKEN=hs-fake", "MATRIX_HOMESERVER_URL=" + fake.base_url(),
            "MATRIX_BOT_USER=" + bot};
  }
};

httplib::Result push(const test::ServerProcess& server, const std::string& txn_id, const std::vector<json>& events,
                     const std::string& token = "hs-fake", const std::string& prefix = "/_matrix/app/v1") {
  httplib::Client client("127.0.0.1", server.port());
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return client.Put(prefix + "/transactions/" + txn_id, headers, json{{"events", events}}.dump(), "application/json");
}

json body_of(const Homeserver::Call& c) {
  return json::parse(c.body);
}

}  // namespace

TEST_CASE("a message with !whygo docker gets one m.notice reply naming Go at Docker", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  const auto res = push(server, "1", {message("$ask1", "!whygo docker")});
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "{}");
  CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
  REQUIRE(hs.wait_for_sends(1));
  const auto sent = hs.sends().at(0);
  CHECK(sent.path.rfind(send_prefix, 0) == 0);
  CHECK(sent.authorization == "Bearer as-fake");
  const json content = body_of(sent);
  CHECK(content["msgtype"] == "m.notice");
  CHECK(content["body"].get<std::string>().find("Go at Docker") != std::string::npos);
  CHECK(content["format"] == "org.matrix.custom.html");
  CHECK(content["formatted_body"].get<std::string>().find(">Go at Docker</a>") != std::string::npos);
  CHECK(content["m.relates_to"]["m.in_reply_to"]["event_id"] == "$ask1");
  CHECK(content["m.mentions"] == json::object());

  // The bot user was registered at start, as the application service.
  const auto registers = hs.matching("POST", "/_matrix/client/v3/register");
  REQUIRE(registers.size() == 1);
  CHECK(registers[0].authorization == "Bearer as-fake");
  CHECK(body_of(registers[0]) ==
        json{{"type", "m.login.application_service"}, {"username", "whygo"}, {"inhibit_login", true}});
  CHECK(server.stop() == 0);
}

TEST_CASE("a repeated txnId or event is answered once, also after a restart", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  {
    test::ServerProcess server(hs.env(), dir.file("w.db"));
    CHECK(push(server, "1", {message("$a", "!whygo docker")})->status == 200);
    REQUIRE(hs.wait_for_sends(1));
    CHECK(push(server, "1", {message("$a", "!whygo docker")})->status == 200);  // the same transaction again
    CHECK(push(server, "2", {message("$a", "!whygo docker")})->status == 200);  // the same event, new txn
    // Events are handled in order, so once this one is answered the repeats were skipped.
    CHECK(push(server, "3", {message("$b", "!whygo youtube")})->status == 200);
    REQUIRE(hs.wait_for_sends(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    REQUIRE(hs.sends().size() == 2);
    CHECK(body_of(hs.sends()[1])["m.relates_to"]["m.in_reply_to"]["event_id"] == "$b");
    CHECK(server.stop() == 0);
  }
  test::ServerProcess restarted(hs.env(), dir.file("w.db"));
  CHECK(push(restarted, "1", {message("$a", "!whygo docker")})->status == 200);
  CHECK(push(restarted, "4", {message("$b", "!whygo youtube")})->status == 200);
  CHECK(push(restarted, "5", {message("$c", "!whygo dropbox")})->status == 200);
  REQUIRE(hs.wait_for_sends(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto sends = hs.sends();
  REQUIRE(sends.size() == 3);
  CHECK(body_of(sends[2])["m.relates_to"]["m.in_reply_to"]["event_id"] == "$c");
}

TEST_CASE("wrong and missing hs_tokens are refused and nothing is dispatched", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  const auto missing = push(server, "1", {message("$a", "!whygo docker")}, "");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(json::parse(missing->body)["errcode"] == "M_MISSING_TOKEN");
  CHECK(json::parse(missing->body)["error"].is_string());
  const auto wrong = push(server, "2", {message("$b", "!whygo docker")}, "hs-wrong");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  CHECK(json::parse(wrong->body)["errcode"] == "M_FORBIDDEN");
  CHECK(json::parse(wrong->body)["error"].is_string());

  httplib::Client client("127.0.0.1", server.port());
  const std::string events = json{{"events", std::vector<json>{message("$c", "!whygo docker")}}}.dump();
  // The legacy query parameter, when the homeserver still sends it, must match too.
  CHECK(client
            .Put("/_matrix/app/v1/transactions/3?access_token=hs-wrong", {{"Authorization", "Bearer hs-fake"}}, events,
                 "application/json")
            ->status == 403);
  CHECK(client.Put("/_matrix/app/v1/transactions/3?access_token=hs-wrong", events, "application/json")->status == 403);
  CHECK(
      client
          .Put("/_matrix/app/v1/transactions/3", {{"Authorization", "Basic aHM6ZmFrZQ=="}}, events, "application/json")
          ->status == 401);
  // Malformed bodies, properly authorised.
  const httplib::Headers auth{{"Authorization", "Bearer hs-fake"}};
  const auto not_json = client.Put("/_matrix/app/v1/transactions/4", auth, "{nope", "application/json");
  CHECK(not_json->status == 400);
  CHECK(json::parse(not_json->body)["errcode"] == "M_NOT_JSON");
  const auto bad_json = client.Put("/_matrix/app/v1/transactions/5", auth, R"({"events": 3})", "application/json");
  CHECK(bad_json->status == 400);
  CHECK(json::parse(bad_json->body)["errcode"] == "M_BAD_JSON");

  // The legacy token alone, right, is accepted; it is the only send.
  CHECK(client
            .Put("/_matrix/app/v1/transactions/6?access_token=hs-fake",
                 json{{"events", std::vector<json>{message("$d", "!whygo youtube")}}}.dump(), "application/json")
            ->status == 200);
  REQUIRE(hs.wait_for_sends(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(hs.sends().size() == 1);
  CHECK(body_of(hs.sends()[0])["m.relates_to"]["m.in_reply_to"]["event_id"] == "$d");
  // No secret reaches the log.
  const std::string log = test::read_text(server.log_path());
  CHECK(log.find("hs-fake") == std::string::npos);
  CHECK(log.find("as-fake") == std::string::npos);
}

TEST_CASE("an invite makes the bot join, and an encrypted room is told once", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  json encrypted_invite = invite("$inv2", "!secret:example.org");
  encrypted_invite["unsigned"] = {{"invite_room_state",
                                   {{{"type", "m.room.encryption"},
                                     {"state_key", ""},
                                     {"sender", "@alice:example.org"},
                                     {"content", {{"algorithm", "m.megolm.v1.aes-sha2"}}}}}}};
  const json encrypted_message = {
      {"event_id", "$enc"},         {"room_id", "!secret:example.org"}, {"sender", "@alice:example.org"},
      {"type", "m.room.encrypted"}, {"origin_server_ts", now_ms()},     {"content", {{"ciphertext", "..."}}}};
  CHECK(push(server, "1", {invite("$inv1", "!new:example.org"), encrypted_invite, encrypted_message})->status == 200);
  CHECK(push(server, "2", {message("$marker", "!whygo docker")})->status == 200);
  REQUIRE(hs.wait_for_sends(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto joins = hs.matching("POST", "/join");
  REQUIRE(joins.size() == 2);
  CHECK(joins[0].path == "/_matrix/client/v3/rooms/%21new%3Aexample.org/join");
  CHECK(joins[1].path == "/_matrix/client/v3/rooms/%21secret%3Aexample.org/join");
  CHECK(joins[0].authorization == "Bearer as-fake");
  const auto sends = hs.sends();
  REQUIRE(sends.size() == 2);  // one encrypted-room notice, then the marker's answer
  CHECK(sends[0].path.rfind("/_matrix/client/v3/rooms/%21secret%3Aexample.org/send/m.room.message/", 0) == 0);
  const json notice = body_of(sends[0]);
  CHECK(notice["msgtype"] == "m.notice");
  CHECK(notice["body"].get<std::string>().find("encrypted") != std::string::npos);
  CHECK(body_of(sends[1])["m.relates_to"]["m.in_reply_to"]["event_id"] == "$marker");
}

TEST_CASE("own messages, notices of other bots and edits are ignored", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  json edit = message("$edit", "* !whygo docker");
  edit["content"]["m.new_content"] = {{"msgtype", "m.text"}, {"body", "!whygo docker"}};
  edit["content"]["m.relates_to"] = {{"rel_type", "m.replace"}, {"event_id", "$orig"}};
  json threaded = message("$threaded", "!whygo youtube");
  threaded["content"]["m.relates_to"] = {{"rel_type", "m.thread"},
                                         {"event_id", "$root"},
                                         {"is_falling_back", true},
                                         {"m.in_reply_to", {{"event_id", "$root"}}}};
  CHECK(push(server, "1",
             {message("$own-text", "!whygo docker", bot), message("$own-notice", "!whygo docker", bot, "m.notice"),
              message("$other-bot", "!whygo docker", "@otherbot:example.org", "m.notice"), edit,
              message("$chat", "just chatting about docker"), threaded})
            ->status == 200);
  REQUIRE(hs.wait_for_sends(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto sends = hs.sends();
  REQUIRE(sends.size() == 1);
  const json content = body_of(sends[0]);
  CHECK(content["m.relates_to"]["m.in_reply_to"]["event_id"] == "$threaded");
  CHECK(content["m.relates_to"]["rel_type"] == "m.thread");
  CHECK(content["m.relates_to"]["event_id"] == "$root");
}

TEST_CASE("a 429 from the homeserver is retried with the same send txnId", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  hs.rate_limited = 1;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  CHECK(push(server, "1", {message("$a", "!whygo docker")})->status == 200);
  REQUIRE(hs.wait_for_sends(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto sends = hs.sends();
  REQUIRE(sends.size() == 2);
  CHECK(sends[0].path == sends[1].path);
  CHECK(sends[0].path.rfind(send_prefix, 0) == 0);
  CHECK(sends[0].body == sends[1].body);
}

TEST_CASE("the user, room alias and ping queries answer as the spec says", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const httplib::Headers auth{{"Authorization", "Bearer hs-fake"}};
  const auto own = client.Get("/_matrix/app/v1/users/%40whygo%3Aexample.org", auth);
  CHECK(own->status == 200);
  CHECK(own->body == "{}");
  const auto other = client.Get("/_matrix/app/v1/users/%40bob%3Aexample.org", auth);
  CHECK(other->status == 404);
  CHECK(json::parse(other->body)["errcode"] == "M_NOT_FOUND");
  CHECK(client.Get("/_matrix/app/v1/users/%40whygo%3Aexample.org")->status == 401);
  CHECK(client.Get("/_matrix/app/v1/users/%40whygo%3Aexample.org", {{"Authorization", "Bearer x"}})->status == 403);
  const auto alias = client.Get("/_matrix/app/v1/rooms/%23go%3Aexample.org", auth);
  CHECK(alias->status == 404);
  CHECK(json::parse(alias->body)["errcode"] == "M_NOT_FOUND");
  const auto ping = client.Post("/_matrix/app/v1/ping", auth, R"({"transaction_id":"t1"})", "application/json");
  CHECK(ping->status == 200);
  CHECK(ping->body == "{}");
  CHECK(client.Post("/_matrix/app/v1/ping", R"({})", "application/json")->status == 401);
  const auto unknown = client.Get("/_matrix/app/v1/thirdparty/protocols", auth);
  CHECK(unknown->status == 404);
  CHECK(json::parse(unknown->body)["errcode"] == "M_UNRECOGNIZED");
  // The legacy unversioned transaction path works as well.
  CHECK(push(server, "legacy-1", {message("$l", "!whygo docker")}, "hs-fake", "")->status == 200);
  REQUIRE(hs.wait_for_sends(1));
}

TEST_CASE("without Matrix tokens the routes are absent and the log says Matrix is off", "[matrix][appservice]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  CHECK(client.Put("/_matrix/app/v1/transactions/1", R"({"events":[]})", "application/json")->status == 404);
  CHECK(server.stop() == 0);
  CHECK(test::read_text(server.log_path()).find("matrix: off") != std::string::npos);
}

TEST_CASE("an admin subscribes a room from Matrix, and post-story posts there once", "[matrix][appservice][story]") {
  test::TempDir dir;
  Homeserver hs;
  auto env = hs.env();
  env.push_back("WHYGO_ADMINS=matrix:@alice:example.org");
  {
    test::ServerProcess server(env, dir.file("w.db"));
    REQUIRE(push(server, "s1", {message("$sub", "!whygo subscribe 07:00 Europe/Berlin")})->status == 200);
    REQUIRE(hs.wait_for_sends(1));
    CHECK(body_of(hs.sends().at(0))["body"].get<std::string>().find("07:00 Europe/Berlin") != std::string::npos);
    // Someone who is not an admin cannot.
    REQUIRE(push(server, "s2", {message("$sub2", "!whygo unsubscribe", "@mallory:example.org")})->status == 200);
    REQUIRE(hs.wait_for_sends(2));
    CHECK(body_of(hs.sends().at(1))["body"].get<std::string>().find("Only admins") != std::string::npos);
    CHECK(server.stop() == 0);
  }
  std::string cli = "WHYGO_DB=" + dir.file("w.db");
  for (const auto& e : env) cli += " " + e;  // no spaces in these values
  cli += std::string(" ") + WHYGO_BINARY + " post-story --date 2026-11-27";
  CHECK(test::run(cli).exit_code == 0);
  CHECK(test::run(cli).out.find("posted 0") != std::string::npos);
  const auto sends = hs.sends();
  REQUIRE(sends.size() == 3);
  const json story = body_of(sends[2]);
  CHECK(story["msgtype"] == "m.notice");
  CHECK(story["body"].get<std::string>().find("Go story of the day, 27 Nov 2026") != std::string::npos);
  CHECK_FALSE(story.contains("m.relates_to"));
}

TEST_CASE("a transaction larger than the usual body limit is accepted", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  std::vector<json> events;
  for (int i = 0; i < 100; ++i)
    events.push_back(message("$big" + std::to_string(i), "just chatting " + std::string(1000, 'x')));
  const auto res = push(server, "big", events);
  REQUIRE(res);
  CHECK(res->status == 200);
  // Other routes keep the 64 KiB limit.
  httplib::Client client("127.0.0.1", server.port());
  CHECK(client.Post("/slack/commands", std::string(100 * 1024, 'x'), "text/plain")->status == 413);
}
