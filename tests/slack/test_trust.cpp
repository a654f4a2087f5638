// Issue 14 through Slack's real routes: attacks by chat members and strangers, each refused with
// the catalog, audit log and channels left as they were.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/app.hpp"
#include "tests/catalog_state.hpp"
#include "tests/slack/fake_slack.hpp"
#include "tests/slack/slack_requests.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace whygo::test::slack_requests;
using nlohmann::json;

namespace {

struct SlackServer {
  test::FakeSlack fake;
  test::TempDir dir;
  std::string db = dir.file("w.db");
  test::CatalogState before;
  std::unique_ptr<test::ServerProcess> server;

  explicit SlackServer(const std::string& admins) {
    {
      Config config;
      config.db_path = db;
      SystemClock clock;
      App app(config, clock);  // the bundled catalog, as a first start imports it
    }
    before = test::catalog_state(db);
    auto env = fake.env();
    env.push_back("WHYGO_ADMINS=" + admins);
    server = std::make_unique<test::ServerProcess>(env, db);
  }

  httplib::Result post(const std::string& path, const std::string& body) const {
    httplib::Client client("127.0.0.1", server->port());
    return client.Post(path, signed_headers(body), body, form_type);
  }

  json slash(const std::string& text, const std::string& user, const std::string& team = "T0TEST",
             const std::string& channel = "C0TEST") const {
    const auto res = post("/slack/commands", command_body(text, user, team, channel));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }

  // The state after the server stopped (the background queue drained).
  test::CatalogState after() {
    server->stop();
    return test::catalog_state(db);
  }
};

std::string text_of(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("trust: a More click by an admin pages the search, never runs its words as a command",
          "[slack][trust][more]") {
  SlackServer s("slack:U0ADMIN");
  const std::string response_url = s.fake.base_url() + "/actions/T0TEST/1/more-token";
  // A member's public search whose words spell admin commands; its More button is then clicked
  // by an admin (issue 14, 1). The click must show the next page of that search, nothing else.
  for (const std::string words : {"search add https://evil.example/x Go at Docker official",
                                  "search remove https://www.youtube.com/watch?v=5buaPyJ0XeQ go", "find log go"}) {
    INFO(words);
    const json first = s.slash(words, "U0MALLORY");
    CHECK(first.at("response_type") == "in_channel");
    const std::string value = more_value_of(first);
    REQUIRE_FALSE(value.empty());
    const std::size_t posted = s.fake.posts_to("/actions/").size();
    const auto ack = s.post("/slack/interactions", click_body(value, "U0ADMIN", response_url));
    REQUIRE(ack);
    CHECK(ack->status == 200);
    REQUIRE(s.fake.wait_for(posted + 1));
    const json next = json::parse(s.fake.posts_to("/actions/").back().body);
    CHECK(next.at("replace_original") == true);  // the next page of results
    CHECK(next.at("response_type") == "in_channel");
    CHECK(text_of(next).find("Why Go: ") != std::string::npos);
    CHECK(text_of(next).find("Added #") == std::string::npos);
    CHECK(text_of(next).find("Removed") == std::string::npos);
    CHECK(text_of(next).find("Recent changes") == std::string::npos);
  }
  // Buttons of the old format carried command text: a forged one is refused unread.
  for (const std::string forged : {"5:add https://evil.example/y Go at Docker official", "5:remove 22", "0:history"}) {
    const auto res = s.post("/slack/interactions", click_body(forged, "U0ADMIN", response_url));
    REQUIRE(res);
    CHECK(res->status == 400);
  }
  // A value in the new format that names a command which does not page: said to the clicker alone.
  const std::size_t posted = s.fake.posts_to("/actions/").size();
  for (const std::string named : {"m1:add:0:https://evil.example/z Go at Docker official", "m1:history:0:50",
                                  "m1:remove:0:22", "m1:undo:0:x", "m1:approve:0:1"})
    CHECK(s.post("/slack/interactions", click_body(named, "U0ADMIN", response_url))->status == 200);
  REQUIRE(s.fake.wait_for(posted + 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (std::size_t i = posted; i < posted + 5; ++i) {
    const json refused = json::parse(s.fake.posts_to("/actions/").at(i).body);
    CHECK(refused.at("replace_original") == false);
    CHECK(refused.at("response_type") == "ephemeral");
    CHECK(text_of(refused).find("no longer works") != std::string::npos);
  }
  CHECK(s.after() == s.before);
}

TEST_CASE("trust: an admin entry that names a workspace counts only in that workspace", "[slack][trust][admins]") {
  SlackServer s("slack:T0OTHER/U0SCOPED,slack:U0BARE");
  // In T0TEST the scoped entry is nobody: every catalog command is refused, and its id is not shown.
  for (const std::string text :
       {"add https://evil.example/x Go at Evil", "remove 22", "edit 22 title Pwned", "tag 22 #pwned",
        "untag 22 #docker", "undo", "approve 1", "reject all", "pending", "history", "subscribe"}) {
    INFO(text);
    const json answer = s.slash(text, "U0SCOPED", "T0TEST");
    CHECK(answer.at("response_type") == "ephemeral");
    CHECK(text_of(answer).find("Only admins") != std::string::npos);
  }
  const std::string elsewhere = text_of(s.slash("admins", "U0SCOPED", "T0TEST"));
  CHECK(elsewhere.find("U0BARE") != std::string::npos);
  CHECK(elsewhere.find("U0SCOPED") == std::string::npos);
  CHECK(elsewhere.find("T0OTHER") == std::string::npos);
  CHECK(elsewhere.find("You are not an admin") != std::string::npos);
  CHECK(elsewhere.find("needs a stable id listed in WHYGO_ADMINS") != std::string::npos);
  // In its own workspace it is an admin, and a bare entry is one in every workspace.
  const std::string home = text_of(s.slash("admins", "U0SCOPED", "T0OTHER"));
  CHECK(home.find("U0SCOPED") != std::string::npos);
  CHECK(home.find("You are an admin") != std::string::npos);
  CHECK(text_of(s.slash("history", "U0SCOPED", "T0OTHER")).find("Only admins") == std::string::npos);
  CHECK(text_of(s.slash("history", "U0BARE", "T0TEST")).find("Only admins") == std::string::npos);
  CHECK(text_of(s.slash("history", "U0BARE", "T0ELSE")).find("Only admins") == std::string::npos);
  CHECK(s.after() == s.before);
}
