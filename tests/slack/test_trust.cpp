// Issue 14 through Slack's real routes: attacks by chat members and strangers, each refused with
// the catalog, audit log and channels left as they were.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/app.hpp"
#include "bot/store.hpp"
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
    return post(path, body, signed_headers(body));
  }
  httplib::Result post(const std::string& path, const std::string& body, const httplib::Headers& headers) const {
    httplib::Client client("127.0.0.1", server->port());
    return client.Post(path, headers, body, form_type);
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
  for (const std::string words : {"search add https://www.youtube.com/evil Go at YouTube official",
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

TEST_CASE("trust: a replayed signed request runs its write once", "[slack][trust][replay]") {
  SlackServer s("slack:U0ADMIN");
  CHECK(text_of(s.slash("add https://example.org/a Go at A", "U0ADMIN")).find("Added #64") != std::string::npos);
  const std::string add_b = command_body("add https://example.org/b Go at B", "U0ADMIN");
  const httplib::Headers add_b_signed = signed_headers(add_b);
  CHECK(s.post("/slack/commands", add_b, add_b_signed)->body.find("Added #65") != std::string::npos);
  const std::string undo = command_body("undo", "U0ADMIN");
  const httplib::Headers undo_signed = signed_headers(undo);
  CHECK(s.post("/slack/commands", undo, undo_signed)->body.find("Undid the add") != std::string::npos);
  // A captured request sent again within Slack's five minutes: valid signature, same bytes.
  for (const auto& [body, headers] : {std::pair{undo, undo_signed}, std::pair{add_b, add_b_signed}}) {
    const auto again = s.post("/slack/commands", body, headers);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(again->body.find("handled already") != std::string::npos);
  }
  // A new request for the same thing is a new request.
  CHECK(text_of(s.slash("search go at a", "U0ADMIN")).find("Go at A") != std::string::npos);
  const test::CatalogState after = s.after();
  CHECK(after.links == s.before.links + 1);  // A stays: the replayed undo walked back nothing more
  CHECK(after.audit_rows == 3);              // add, add, undo
  Store store(s.db);
  CHECK(store.find_by_url("https://example.org/a"));
  CHECK_FALSE(store.find_by_url("https://example.org/b"));
}

TEST_CASE("trust: the suggestion queue is capped per channel, per workspace and in all", "[slack][trust][flood]") {
  SlackServer s("slack:U0ADMIN");
  int n = 0;
  // Each suggestion from a user of its own, as made-up users would: the per-user limit never bites.
  const auto suggest = [&](const std::string& team, const std::string& channel) {
    ++n;
    return text_of(s.slash("suggest https://spam.example/" + std::to_string(n) + " Spam " + std::to_string(n),
                           "U0S" + std::to_string(n), team, channel));
  };
  for (int i = 0; i < 10; ++i) CHECK(suggest("T0A", "C1").find("is queued") != std::string::npos);
  CHECK(suggest("T0A", "C1").find("the queue is full") != std::string::npos);  // the channel's cap
  for (const std::string channel : {"C2", "C3", "C4", "C5"})
    for (int i = 0; i < 10; ++i) CHECK(suggest("T0A", channel).find("is queued") != std::string::npos);
  CHECK(suggest("T0A", "C6").find("the queue is full") != std::string::npos);  // the workspace's
  for (const std::string team : {"T0B", "T0C", "T0D"})
    for (const std::string channel : {"C1", "C2", "C3", "C4", "C5"})
      for (int i = 0; i < 10; ++i) CHECK(suggest(team, channel).find("is queued") != std::string::npos);
  CHECK(suggest("T0E", "C1").find("the queue is full") != std::string::npos);  // every platform's
  s.server->stop();
  CHECK(test::catalog_state(s.db).pending == 200);
}

TEST_CASE("trust: an admin clears a flood in a few bulk decisions, unhindered by the write limit",
          "[slack][trust][flood]") {
  SlackServer s("slack:U0ADMIN");
  for (int i = 1; i <= 60; ++i)
    CHECK(text_of(s.slash("suggest https://spam.example/" + std::to_string(i) + " Spam " + std::to_string(i),
                          "U0S" + std::to_string(i), "T0" + std::to_string(i % 7), "C" + std::to_string(i % 9)))
              .find("is queued") != std::string::npos);
  const auto admin = [&](const std::string& text) { return text_of(s.slash(text, "U0ADMIN")); };
  CHECK(admin("reject 3-40 spam").find("Rejected 38 suggestions") != std::string::npos);
  const std::string approved = admin("approve 41 43 45");
  CHECK(approved.find("Approved suggestion 41") != std::string::npos);
  CHECK(approved.find("Approved suggestion 45") != std::string::npos);
  CHECK(admin("approve 3").find("was rejected already") != std::string::npos);
  CHECK(admin("approve all").find("Approve which suggestions") != std::string::npos);
  // Many single rejections in a row: past the burst of ten writes, none is held back.
  for (int id = 46; id <= 60; ++id)
    CHECK(admin("reject " + std::to_string(id)).find("Rejected suggestion") != std::string::npos);
  CHECK(admin("reject all").find("Rejected 4 suggestions") != std::string::npos);  // 1, 2, 42, 44
  CHECK(admin("pending").find("No suggestions are waiting") != std::string::npos);
  // One undo takes back one decision, however many it covered.
  CHECK(admin("undo").find("those 4 suggestions are pending again") != std::string::npos);
  const std::string waiting = admin("pending");
  for (const std::string id : {"/1)", "/2)", "/42)", "/44)"})
    CHECK(waiting.find("spam.example" + id) != std::string::npos);
  CHECK(waiting.find("spam.example/3)") == std::string::npos);
  const test::CatalogState after = s.after();
  CHECK(after.pending == 4);
  CHECK(after.links == s.before.links + 3);
}

TEST_CASE("trust: hosts that are not host names and invisible characters are refused", "[slack][trust][input]") {
  // An admin of their own for each attempt, so the write limit refuses none of them.
  std::string admins = "slack:U0ADMIN";
  for (int i = 0; i < 20; ++i) admins += ",slack:U0A" + std::to_string(i);
  SlackServer s(admins);
  int attempt = 0;
  for (const std::string text :
       {"add https://[<script>]/x Go at Evil", "add https://[<script>alert(1)</script>]/ Go at Evil",
        "add https://-evil.example/x Go at Evil", "add https://evil-.example/x Go at Evil",
        "add https://a.-b.example/x Go at Evil", "add https://ex%41mple.org/x Go at Evil",
        "add https://ex!ample.org/x Go at Evil", "add https://[v1.x]/x Go at Evil",
        "add https://example.org/x Go\u200Bat Evil", "add https://example.org/x Go at \u202EliveE",
        "add https://example.org/x \uFEFFGo at Evil", "add https://example.org/x Go at Evil by Ann\u200E",
        "add https://example.org/x Go at Evil #ev\u200Bil", "suggest https://example.org/y Go\u2060 at Y",
        "suggest https://[<img src=x>]/y Go at Y", "edit 22 title Go\u00ADat Docker", "edit 22 url https://-x.org/"}) {
    INFO(text);
    const std::string answer = text_of(s.slash(text, "U0A" + std::to_string(attempt++)));
    CHECK(answer.find("a lot of changes") == std::string::npos);
    CHECK(answer.find("Added") == std::string::npos);
    CHECK(answer.find("queued") == std::string::npos);
    CHECK(answer.find("Updated") == std::string::npos);
  }
  // Still fine: an IPv6 literal, a port, a path with non-ASCII letters, a pipe and a bare '%'.
  CHECK(text_of(s.slash("add https://[2001:db8::1]:8443/go Go at IPv6", "U0ADMIN")).find("Added #64") !=
        std::string::npos);
  CHECK(
      text_of(s.slash("add https://de.example.org/wiki/Gö|x?a[]=1&p=100% Go at Umlaut", "U0ADMIN")).find("Added #65") !=
      std::string::npos);
  const test::CatalogState after = s.after();
  CHECK(after.links == s.before.links + 2);
  CHECK(after.audit_rows == 2);
  CHECK(after.pending == 0);
}
