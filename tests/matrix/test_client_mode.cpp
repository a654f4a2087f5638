// Matrix as an ordinary user: the real `whygo serve` with MATRIX_ACCESS_TOKEN, reading /sync from
// a fake homeserver on loopback (tests/matrix/fake_homeserver.hpp), and `whygo matrix login`.
#include <httplib.h>

#include <csignal>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/matrix/sync.hpp"
#include "tests/matrix/fake_homeserver.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string alice = "@alice:example.org";
const std::string room = "!lounge:example.org";

std::vector<std::string> client_env(const test::FakeHomeserver& hs, const std::string& token = "syt-bot-token") {
  return {"MATRIX_ACCESS_TOKEN=" + token, "MATRIX_HOMESERVER_URL=" + hs.base_url(), "WHYGO_ADMINS=matrix:" + alice};
}

std::string body_of(const test::FakeHomeserver::Sent& s) {
  return s.content.value("body", "");
}

std::string replied_to(const test::FakeHomeserver::Sent& s) {
  const json& relates = s.content.value("m.relates_to", json::object());
  return relates.value("m.in_reply_to", json::object()).value("event_id", "");
}

// Until the bot has read everything there is (its latest sync went on from the newest batch).
bool caught_up(const test::FakeHomeserver& hs) {
  return hs.wait_until([&hs] {
    const auto syncs = hs.syncs();
    return !syncs.empty() && syncs.back().since == hs.current_batch();
  });
}

httplib::Result readyz(const test::ServerProcess& server) {
  httplib::Client client("127.0.0.1", server.port());
  return client.Get("/readyz");
}

}  // namespace

TEST_CASE("as a user, the bot joins on invite, answers once, misses nothing over a restart, and posts its story once",
          "[matrix][client]") {
  test::TempDir dir;
  test::FakeHomeserver hs;
  const auto env = client_env(hs);
  std::size_t first_run_syncs = 0;
  std::string docker;
  {
    test::ServerProcess server(env, dir.file("w.db"));
    hs.invite(room, alice);
    REQUIRE(hs.wait_until([&hs] { return hs.joined(room); }));
    docker = hs.say(room, alice, "!whygo docker");
    REQUIRE(hs.wait_until([&hs] { return hs.sent(room).size() >= 1; }));
    const auto reply = hs.sent(room).at(0);
    CHECK(reply.content["msgtype"] == "m.notice");
    CHECK(body_of(reply).find("Docker") != std::string::npos);
    CHECK(replied_to(reply) == docker);
    hs.say(room, alice, "!whygo subscribe 07:00 Europe/Berlin");
    REQUIRE(hs.wait_until([&hs] { return hs.sent(room).size() >= 2; }));
    CHECK(body_of(hs.sent(room).at(1)).find("07:00 Europe/Berlin") != std::string::npos);
    // Its own notices come back in its sync, and are not answered.
    REQUIRE(caught_up(hs));
    CHECK(hs.sent(room).size() == 2);
    CHECK(readyz(server)->status == 200);
    // The long poll in flight (30 s) does not hold the stop up. The bound is well under the poll,
    // not a guess at speed: under ThreadSanitizer on a loaded CI machine a stop took 6.5 s.
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(server.stop(SIGTERM, std::chrono::seconds(20)) == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(20));
    first_run_syncs = hs.syncs().size();
  }
  const auto syncs = hs.syncs();
  // It asked only for what it needs, and long-polled for 30 s once it had a batch.
  const json filter = json::parse(syncs.at(0).filter);
  CHECK(filter["room"]["timeline"]["types"].size() == 4);
  CHECK(filter["presence"]["not_types"] == json::array({"*"}));
  CHECK(syncs.at(0).since.empty());
  CHECK(syncs.at(0).timeout_ms == 0);
  CHECK(syncs.back().timeout_ms == 30000);

  // Asked while whygo is down: answered after the restart, and nothing before it again.
  const std::string youtube = hs.say(room, alice, "!whygo youtube");
  {
    test::ServerProcess restarted(env, dir.file("w.db"));
    REQUIRE(hs.wait_until([&hs] { return hs.sent(room).size() >= 3; }));
    REQUIRE(caught_up(hs));
    const auto sent = hs.sent(room);
    REQUIRE(sent.size() == 3);
    CHECK(replied_to(sent[2]) == youtube);
    CHECK(body_of(sent[2]).find("YouTube") != std::string::npos);
    // It went on from the stored batch token, not from a fresh start.
    CHECK_FALSE(hs.syncs().at(first_run_syncs).since.empty());
    CHECK(hs.joins() == 1);
    CHECK(restarted.stop(SIGTERM, std::chrono::seconds(20)) == 0);
  }
  std::size_t replies_to_docker = 0;
  for (const auto& s : hs.sent(room)) replies_to_docker += replied_to(s) == docker;
  CHECK(replies_to_docker == 1);

  // The story, through the same poster and txn ids as the application service: once, however often asked.
  std::string cli = "WHYGO_DB=" + dir.file("w.db");
  for (const auto& e : env) cli += " " + e;  // no spaces in these values
  cli += std::string(" ") + WHYGO_BINARY + " post-story --date 2026-11-27";
  CHECK(test::run(cli).exit_code == 0);
  CHECK(test::run(cli).out.find("posted 0") != std::string::npos);
  const auto sent = hs.sent(room);
  REQUIRE(sent.size() == 4);
  CHECK(body_of(sent[3]).find("Go story of the day, 27 Nov 2026") != std::string::npos);
  CHECK(sent[3].txn_id.rfind("whygo-story-", 0) == 0);
}

TEST_CASE("as a user, a question under more than a timeline's worth of messages while whygo was down is answered",
          "[matrix][client]") {
  test::TempDir dir;
  test::FakeHomeserver hs;
  const auto env = client_env(hs);
  {
    test::ServerProcess server(env, dir.file("w.db"));
    hs.invite(room, alice);
    REQUIRE(hs.wait_until([&hs] { return hs.joined(room); }));
    REQUIRE(caught_up(hs));
    CHECK(server.stop() == 0);
  }
  const std::string docker = hs.say(room, alice, "!whygo docker");
  for (int i = 0; i < 150; ++i) hs.say(room, "@bob:example.org", "chatter " + std::to_string(i));
  test::ServerProcess restarted(env, dir.file("w.db"));
  REQUIRE(hs.wait_until([&hs] { return hs.sent(room).size() >= 1; }));
  REQUIRE(caught_up(hs));
  const auto sent = hs.sent(room);
  REQUIRE(sent.size() == 1);
  CHECK(replied_to(sent[0]) == docker);
  // The batch was limited (100 events), so the rest was read back with /messages.
  CHECK(hs.messages_calls() >= 1);
}

TEST_CASE("as a user, an encrypted room is told once that the bot cannot read it", "[matrix][client]") {
  test::TempDir dir;
  test::FakeHomeserver hs;
  test::ServerProcess server(client_env(hs), dir.file("w.db"));
  hs.invite("!secret:example.org", alice, true);
  REQUIRE(hs.wait_until([&hs] { return hs.sent("!secret:example.org").size() >= 1; }));
  CHECK(body_of(hs.sent("!secret:example.org").at(0)).find("encrypted") != std::string::npos);
  REQUIRE(caught_up(hs));
  CHECK(hs.sent("!secret:example.org").size() == 1);
}

TEST_CASE("as a user, a token the homeserver does not know turns /readyz 503 with the reason", "[matrix][client]") {
  test::TempDir dir;
  test::FakeHomeserver hs;
  SECTION("from the start") {
    test::ServerProcess server(client_env(hs, "syt-logged-out"), dir.file("w.db"));
    std::string said;
    REQUIRE(hs.wait_until([&] {
      const auto r = readyz(server);
      said = r ? r->body : "";
      return r && r->status == 503;
    }));
    CHECK(said.find("M_UNKNOWN_TOKEN") != std::string::npos);
    CHECK(said.find("whygo matrix login") != std::string::npos);
  }
  SECTION("when it is logged out while whygo runs") {
    test::ServerProcess server(client_env(hs), dir.file("w.db"));
    REQUIRE(caught_up(hs));
    CHECK(readyz(server)->status == 200);
    hs.revoke("syt-bot-token");
    hs.invite(room, alice);  // ends the long poll in flight
    REQUIRE(hs.wait_until([&] {
      const auto r = readyz(server);
      return r && r->status == 503 && r->body.find("M_UNKNOWN_TOKEN") != std::string::npos;
    }));
    CHECK(server.stop() == 0);
  }
}

TEST_CASE("whygo matrix login prints a new device's access token, and refuses a wrong password",
          "[matrix][client][cli]") {
  test::FakeHomeserver hs;
  const std::string base = "MATRIX_HOMESERVER_URL=" + hs.base_url() + " " + WHYGO_BINARY + " matrix login";
  const auto from_stdin =
      test::run("echo '" + hs.password + "' | env -u MATRIX_PASSWORD " + base + " --user @whygo:example.org");
  INFO(from_stdin.err);
  CHECK(from_stdin.exit_code == 0);
  CHECK(from_stdin.out == "syt-device-1\n");
  CHECK(from_stdin.err.find("MATRIX_ACCESS_TOKEN") != std::string::npos);
  const auto from_env =
      test::run("MATRIX_PASSWORD='" + hs.password + "' " + base + " --user=@whygo:example.org < /dev/null");
  CHECK(from_env.exit_code == 0);
  CHECK(from_env.out == "syt-device-2\n");
  const auto wrong = test::run("echo nope | env -u MATRIX_PASSWORD " + base + " --user @whygo:example.org");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.empty());
  CHECK(wrong.err.find("wrong user or password") != std::string::npos);
  CHECK(test::run(base + " --user whygo < /dev/null").exit_code == 2);
  CHECK(test::run("env -u MATRIX_HOMESERVER_URL " + std::string(WHYGO_BINARY) +
                  " matrix login --user @whygo:example.org < /dev/null")
            .exit_code == 2);
}

TEST_CASE("a sync answer is read into invites and room events, and junk into nothing", "[matrix][client]") {
  const std::string bot = "@whygo:example.org";
  const json body = {
      {"next_batch", "s42"},
      {"rooms",
       {{"invite",
         {{"!new:example.org",
           {{"invite_state",
             {{"events",
               {{{"type", "m.room.encryption"}, {"state_key", ""}, {"sender", alice}, {"content", json::object()}},
                {{"type", "m.room.member"},
                 {"state_key", bot},
                 {"sender", alice},
                 {"content", {{"membership", "invite"}}}}}}}}}}}},
        {"join",
         {{room,
           {{"timeline",
             {{"limited", true},
              {"prev_batch", "t41"},
              {"events",
               {{{"event_id", "$a"},
                 {"type", "m.room.message"},
                 {"sender", alice},
                 {"origin_server_ts", 1},
                 {"content", {{"msgtype", "m.text"}, {"body", "!whygo docker"}}}},
                "not an event"}}}}}}}}}}};
  const auto batch = matrix::parse_sync(body, bot);
  REQUIRE(batch);
  CHECK(batch->next_batch == "s42");
  REQUIRE(batch->invites.size() == 1);
  CHECK(batch->invites[0].room_id == "!new:example.org");
  CHECK(batch->invites[0].inviter == alice);
  CHECK(batch->invites[0].encrypted);
  REQUIRE(batch->events.size() == 1);
  CHECK(batch->events[0].room_id == room);
  CHECK(batch->events[0].body == "!whygo docker");
  REQUIRE(batch->gaps.size() == 1);
  CHECK(batch->gaps[0].room_id == room);
  CHECK(batch->gaps[0].prev_batch == "t41");
  CHECK_FALSE(matrix::parse_sync(json::array(), bot));
  CHECK_FALSE(matrix::parse_sync(json{{"rooms", json::object()}}, bot));
  CHECK(matrix::parse_sync(json{{"next_batch", "s1"}, {"rooms", {{"join", 5}}}}, bot)->events.empty());
  // A /messages page: its events get the room, and `end` says where the next page starts.
  const auto page = matrix::parse_messages(
      json{
          {"chunk", {{{"event_id", "$b"}, {"type", "m.room.message"}, {"sender", alice}, {"content", json::object()}}}},
          {"start", "t41"},
          {"end", "t40"}},
      room, bot);
  REQUIRE(page);
  REQUIRE(page->events.size() == 1);
  CHECK(page->events[0].room_id == room);
  CHECK(page->end == "t40");
  CHECK(matrix::parse_messages(json{{"chunk", json::array()}}, room, bot)->end.empty());
  CHECK_FALSE(matrix::parse_messages(json{{"chunk", "no"}}, room, bot));
}
