// The real `whygo serve` as an application service on loopback, with a fake homeserver on
// loopback playing the client-server API.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

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
//
// It answers the application service's ping as the spec has the homeserver do
// (https://spec.matrix.org/latest/client-server-api/#post_matrixclientv1appserviceappserviceidping):
// for the registration it holds (`registration`), 403 M_FORBIDDEN when the as_token is not that
// application service's; otherwise it POSTs /_matrix/app/v1/ping to the registration's url with
// its hs_token, and answers 200 {"duration_ms"}, 502 M_BAD_STATUS with what the application
// service answered, or 502 M_CONNECTION_FAILED when it cannot connect.
struct Homeserver {
  struct Registration {
    std::string id = "whygo";
    std::string as_token = "as-fake";
    std::string hs_token = "hs-fake";
    std::string url;  // set once whygo listens
    // The tests that look at the ping set this before whygo starts, and the url once it listens;
    // the others leave the url unset, which the homeserver answers with M_URL_NOT_SET.
    bool url_to_come = false;
  };
  struct Call {
    std::string method;
    std::string path;  // as sent, still percent-encoded
    std::string body;
    std::string authorization;
  };
  std::atomic<int> rate_limited{0};
  mutable std::mutex mutex;
  std::vector<Call> calls;
  Registration registration;

  void registered_at(const std::string& url) {
    std::lock_guard lock(mutex);
    registration.url = url;
  }
  // Changes the registration under the lock: the handlers read it from the fake's threads, and
  // TSan cannot see that whygo (another process) asks only after the change.
  template <class Change>
  void change_registration(Change&& change) {
    std::lock_guard lock(mutex);
    change(registration);
  }
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
    fake.routes().Post(
        R"(/_matrix/client/v1/appservice/([^/]+)/ping)", [this](const httplib::Request& req, httplib::Response& res) {
          record(req);
          // The test learns whygo's port only once it listens.
          Registration r;
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
          for (;;) {
            {
              std::lock_guard lock(mutex);
              r = registration;
            }
            if (!r.url.empty() || !r.url_to_come || std::chrono::steady_clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          if (req.get_header_value("Authorization") != "Bearer " + r.as_token || req.matches[1].str() != r.id) {
            res.status = 403;
            res.set_content(R"({"errcode":"M_FORBIDDEN","error":"not this appservice's token"})", "application/json");
            return;
          }
          if (r.url.empty()) {
            res.status = 400;
            res.set_content(R"({"errcode":"M_URL_NOT_SET","error":"no url"})", "application/json");
            return;
          }
          httplib::Client as(r.url);
          as.set_connection_timeout(std::chrono::seconds(2));
          const auto started = std::chrono::steady_clock::now();
          const auto answer = as.Post("/_matrix/app/v1/ping", {{"Authorization", "Bearer " + r.hs_token}}, req.body,
                                      "application/json");
          if (!answer) {
            res.status = 502;
            res.set_content(R"({"errcode":"M_CONNECTION_FAILED","error":"cannot connect"})", "application/json");
            return;
          }
          if (answer->status != 200) {
            res.status = 502;
            res.set_content(json{{"errcode", "M_BAD_STATUS"},
                                 {"error", "bad status"},
                                 {"status", answer->status},
                                 {"body", answer->body}}
                                .dump(),
                            "application/json");
            return;
          }
          const auto ms =
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
          res.set_content(json{{"duration_ms", ms}}.dump(), "application/json");
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
  // The asker, and no one else (https://spec.matrix.org/latest/client-server-api/#mentioning-the-replied-to-user).
  CHECK(content["m.mentions"] == json{{"user_ids", {"@alice:example.org"}}});

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

namespace {

// Waits until the log holds `text`; false after 10 s.
bool log_says(const test::ServerProcess& server, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (test::read_text(server.log_path()).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

// "Unsupported Endpoints": 404 M_UNRECOGNIZED for an unknown endpoint, "a 405 HTTP status code if
// the endpoint is implemented, but the incorrect HTTP method is used"
// (https://spec.matrix.org/latest/client-server-api/#common-error-codes, M_UNRECOGNIZED).
TEST_CASE("a wrong method on a known endpoint gets 405 M_UNRECOGNIZED with Allow", "[matrix][appservice]") {
  test::TempDir dir;
  Homeserver hs;
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const httplib::Headers auth{{"Authorization", "Bearer hs-fake"}};
  const auto check_405 = [](const httplib::Result& res, const std::string& allowed) {
    REQUIRE(res);
    CHECK(res->status == 405);
    CHECK(json::parse(res->body)["errcode"] == "M_UNRECOGNIZED");
    CHECK(res->get_header_value("Allow") == allowed);
  };
  check_405(client.Get("/_matrix/app/v1/transactions/1", auth), "PUT");
  check_405(client.Post("/_matrix/app/v1/transactions/1", auth, "{}", "application/json"), "PUT");
  check_405(client.Get("/transactions/1", auth), "PUT");
  check_405(client.Put("/_matrix/app/v1/users/%40whygo%3Aexample.org", auth, "{}", "application/json"), "GET");
  check_405(client.Delete("/_matrix/app/v1/rooms/%23go%3Aexample.org", auth), "GET");
  check_405(client.Get("/_matrix/app/v1/ping", auth), "POST");
  const auto unknown = client.Post("/_matrix/app/v1/nothing", auth, "{}", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(json::parse(unknown->body)["errcode"] == "M_UNRECOGNIZED");
}

TEST_CASE("at start the application service pings the homeserver, which reaches it", "[matrix][appservice][ping]") {
  test::TempDir dir;
  Homeserver hs;
  hs.change_registration([](Homeserver::Registration& r) { r.url_to_come = true; });
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  hs.registered_at(server.base_url());
  CHECK(log_says(server, "the homeserver reaches whygo as application service 'whygo'"));
  const auto pings = hs.matching("POST", "/_matrix/client/v1/appservice/whygo/ping");
  REQUIRE(pings.size() == 1);
  CHECK(pings[0].authorization == "Bearer as-fake");
  CHECK(json::parse(pings[0].body).contains("transaction_id"));
}

TEST_CASE("the start-up ping names a wrong hs_token, url or as_token in the log", "[matrix][appservice][ping]") {
  test::TempDir dir;
  SECTION("the registration's hs_token is not MATRIX_HS_TOKEN") {
    Homeserver hs;
    hs.change_registration([](Homeserver::Registration& r) {
      r.url_to_come = true;
      r.hs_token = "hs-other";
    });
    test::ServerProcess server(hs.env(), dir.file("w.db"));
    hs.registered_at(server.base_url());
    CHECK(log_says(server, "MATRIX_HS_TOKEN differs from hs_token in the registration file"));
  }
  SECTION("the registration's url does not reach whygo") {
    Homeserver hs;
    hs.change_registration([](Homeserver::Registration& r) { r.url_to_come = true; });
    std::string closed;
    {
      test::FakePlatform gone;
      gone.start();
      closed = gone.base_url();
    }
    test::ServerProcess server(hs.env(), dir.file("w.db"));
    hs.registered_at(closed);
    CHECK(log_says(server, "cannot reach whygo at the registration's url (M_CONNECTION_FAILED)"));
  }
  SECTION("MATRIX_AS_TOKEN belongs to another application service") {
    Homeserver hs;
    hs.change_registration([](Homeserver::Registration& r) { r.url_to_come = true; });
    auto env = hs.env();
    env.push_back("MATRIX_AS_ID=other");
    test::ServerProcess server(env, dir.file("w.db"));
    hs.registered_at(server.base_url());
    CHECK(log_says(server, "does not belong to application service 'other'"));
  }
}

TEST_CASE("the start-up ping names a registration without a url", "[matrix][appservice][ping]") {
  test::TempDir dir;
  Homeserver hs;  // its registration has no url
  test::ServerProcess server(hs.env(), dir.file("w.db"));
  CHECK(log_says(server, "has no url for application service 'whygo'"));
}
