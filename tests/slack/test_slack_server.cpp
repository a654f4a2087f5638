// The Slack adapter end to end: the real `whygo serve` on loopback, signed requests as Slack
// sends them, and a fake Slack Web API (and response_url) on loopback recording what we post.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/slack/signature.hpp"
#include "app/app.hpp"
#include "bot/limits.hpp"
#include "bot/store.hpp"
#include "tests/slack/fake_slack.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string secret = "whygo-test-signing-secret-not-real";
constexpr const char* form_type = "application/x-www-form-urlencoded";

std::string timestamp(std::int64_t shift_seconds = 0) {
  return std::to_string(std::time(nullptr) + shift_seconds);
}

httplib::Headers signed_headers(const std::string& body, const std::string& ts = timestamp()) {
  return {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slack::sign(secret, ts, body)}};
}

std::string command_body(const std::string& text, const std::string& response_url) {
  return "token=deprecated-fake&team_id=T0TEST&team_domain=test&channel_id=C0TEST&channel_name=general&user_id="
         "U0TEST&user_name=tester&command=%2Fwhygo&text=" +
         test::form_encode(text) + "&response_url=" + test::form_encode(response_url) +
         "&trigger_id=1.2.3&api_app_id=A0TEST";
}

std::string command_body_in(const std::string& channel, const std::string& text, const std::string& response_url) {
  std::string body = command_body(text, response_url);
  body.replace(body.find("channel_id=C0TEST"), 17, "channel_id=" + channel);
  return body;
}

json mention_event(const std::string& event_id, const std::string& ts, const std::string& text = "<@U0BOT> docker") {
  return {{"token", "deprecated-fake"},
          {"team_id", "T0TEST"},
          {"api_app_id", "A0TEST"},
          {"event",
           {{"type", "app_mention"},
            {"user", "U0TEST"},
            {"text", text},
            {"ts", ts},
            {"channel", "C0TEST"},
            {"event_ts", ts}}},
          {"type", "event_callback"},
          {"event_id", event_id},
          {"event_time", 1700000000}};
}

// The first link line of a rendered message.
std::string first_link_text(const json& message) {
  for (const json& block : message.at("blocks")) {
    if (block.at("type") != "section") continue;
    const std::string text = block.at("text").at("text");
    if (text.find("<http") != std::string::npos) return text;
  }
  return {};
}

const json* more_button(const json& message) {
  for (const json& block : message.at("blocks"))
    if (block.at("type") == "actions")
      for (const json& e : block.at("elements"))
        if (e.at("action_id") == "whygo_more") return &e;
  return nullptr;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a signed /whygo docker answers in the channel with Go at Docker first", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = command_body("docker", fake.base_url() + "/commands/T0TEST/1/x");
  const auto started = std::chrono::steady_clock::now();
  const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
  REQUIRE(res);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));  // Slack waits 3 s
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").starts_with("application/json"));
  const json message = json::parse(res->body);
  CHECK(message.at("response_type") == "in_channel");
  CHECK(first_link_text(message).find("|Go at Docker>") != std::string::npos);
  CHECK(message.at("text").get<std::string>().find("Go at Docker") != std::string::npos);
  CHECK(fake.requests().empty());  // answered in the HTTP response, nothing posted
  server.stop();
  CHECK(test::read_text(server.log_path()).find("slack: adapter on") != std::string::npos);
}

TEST_CASE("help and a search without a match are only shown to the asker", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  for (const std::string text : {"help", "", "xyzzyqq"}) {
    const std::string body = command_body(text, fake.base_url() + "/commands/T0TEST/1/x");
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body).at("response_type") == "ephemeral");
  }
}

TEST_CASE("wrong signature, stale timestamp and missing headers get 401 and reach no command",
          "[slack][server][signature]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = command_body("docker", fake.base_url() + "/commands/T0TEST/1/x");
  const std::string event = mention_event("Ev0UNSIGNED", "1700000000.000100").dump();
  const std::string ts = timestamp();
  const std::vector<std::pair<std::string, httplib::Headers>> attempts = {
      {"wrong signature",
       {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slack::sign("not-the-secret", ts, body)}}},
      {"stale", signed_headers(body, timestamp(-6 * 60))},
      {"future", signed_headers(body, timestamp(+6 * 60))},
      {"no signature", {{"X-Slack-Request-Timestamp", ts}}},
      {"no timestamp", {{"X-Slack-Signature", slack::sign(secret, ts, body)}}},
      {"no headers", {}},
      {"malformed timestamp",
       {{"X-Slack-Request-Timestamp", "soon"}, {"X-Slack-Signature", slack::sign(secret, "soon", body)}}},
  };
  for (const auto& [what, headers] : attempts) {
    INFO(what);
    for (const std::string path : {"/slack/commands", "/slack/interactions"}) {
      const auto res = client.Post(path, headers, body, form_type);
      REQUIRE(res);
      CHECK(res->status == 401);
      CHECK(res->body.find("Go at Docker") == std::string::npos);
    }
    // The body signed above is the command's; for events it is a different body, so even the
    // "right" headers are wrong for it.
    const auto res = client.Post("/slack/events", headers, event, "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  // A signature over the body with one byte changed.
  const auto tampered = client.Post("/slack/commands", signed_headers(body), body + "&text=xyz", form_type);
  REQUIRE(tampered);
  CHECK(tampered->status == 401);

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(fake.requests().empty());
  server.stop();
  const std::string log = test::read_text(server.log_path());
  CHECK(log.find("command=search") == std::string::npos);  // nothing was dispatched
  CHECK(log.find("outcome=") == std::string::npos);
  CHECK(log.find("slack: mention") == std::string::npos);
  CHECK(count(log, "refused with 401") == attempts.size() * 3 + 1);  // one line per refusal
  CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("Slack's ssl_check probe gets 200 without a signature", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  for (const std::string path : {"/slack/commands", "/slack/interactions"}) {
    const auto res = client.Post(path, "ssl_check=1&token=deprecated-fake", form_type);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.empty());
  }
  server.stop();
  CHECK(test::read_text(server.log_path()).find("outcome=") == std::string::npos);
}

TEST_CASE("a signed but malformed body gets 400", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto post = [&](const std::string& path, const std::string& body, const char* type) {
    auto res = client.Post(path, signed_headers(body), body, type);
    REQUIRE(res);
    return res->status;
  };
  CHECK(post("/slack/commands", "team_id=T0TEST&channel_id=C0TEST&user_id=U0TEST&text=%ZZ", form_type) == 400);
  CHECK(post("/slack/commands", "team_id=T0TEST&channel_id=C0TEST&user_id=U0TEST&text=%FF", form_type) == 400);
  CHECK(post("/slack/commands", "text=docker", form_type) == 400);  // no team, channel or user
  CHECK(post("/slack/events", "{not json", "application/json") == 400);
  CHECK(post("/slack/events", "[1,2,3]", "application/json") == 400);
  CHECK(post("/slack/events", R"({"type":"url_verification"})", "application/json") == 400);
  CHECK(post("/slack/events", R"({"type":"event_callback","event":{"type":"app_mention"}})", "application/json") ==
        400);
  CHECK(post("/slack/interactions", "payload=%7Bnot+json", form_type) == 400);
  CHECK(post("/slack/interactions", "nopayload=1", form_type) == 400);
  CHECK(post("/slack/interactions",
             "payload=" + test::form_encode(
                              R"({"type":"block_actions","actions":[{"action_id":"whygo_more","value":"garbage"}]})"),
             form_type) == 400);
  // Something we do not handle is acknowledged and ignored.
  CHECK(post("/slack/interactions", "payload=" + test::form_encode(R"({"type":"view_submission"})"), form_type) == 200);
  CHECK(post("/slack/events", R"({"type":"event_callback","event_id":"Ev0OTHER","event":{"type":"reaction_added"}})",
             "application/json") == 200);
  // Still serving.
  CHECK(client.Get("/healthz")->status == 200);
}

TEST_CASE("url_verification answers the challenge", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body =
      R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
  const auto res = client.Post("/slack/events", signed_headers(body), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body).at("challenge") == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  // Unsigned, it is refused like anything else.
  CHECK(client.Post("/slack/events", body, "application/json")->status == 401);
}

TEST_CASE("an app_mention is acknowledged at once and answered in its thread", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = mention_event("Ev0MENTION1", "1700000000.000100").dump();
  const auto res = client.Post("/slack/events", signed_headers(body), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(fake.wait_for(1));
  const auto posts = fake.posts_to("/chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].header("Authorization") == "Bearer xoxb-test-fake");
  const json sent = json::parse(posts[0].body);
  CHECK(sent.at("channel") == "C0TEST");
  CHECK(sent.at("thread_ts") == "1700000000.000100");
  CHECK(first_link_text(sent).find("|Go at Docker>") != std::string::npos);

  // A mention inside a thread answers in that thread.
  json in_thread = mention_event("Ev0MENTION2", "1700000050.000300", "<@U0BOT> list why go");
  in_thread["event"]["thread_ts"] = "1700000000.000100";
  const std::string body2 = in_thread.dump();
  REQUIRE(client.Post("/slack/events", signed_headers(body2), body2, "application/json")->status == 200);
  REQUIRE(fake.wait_for(2));
  CHECK(json::parse(fake.posts_to("/chat.postMessage").at(1).body).at("thread_ts") == "1700000000.000100");
}

TEST_CASE("a retried event is answered once, also after a restart", "[slack][server][dedup]") {
  test::FakeSlack fake;
  test::TempDir dir;
  const std::string db = dir.file("w.db");
  const std::string body = mention_event("Ev0RETRIED", "1700000000.000100").dump();
  {
    test::ServerProcess server(fake.env(), db);
    httplib::Client client("127.0.0.1", server.port());
    REQUIRE(client.Post("/slack/events", signed_headers(body), body, "application/json")->status == 200);
    REQUIRE(fake.wait_for(1));
    auto headers = signed_headers(body);
    headers.emplace("X-Slack-Retry-Num", "1");
    headers.emplace("X-Slack-Retry-Reason", "http_timeout");
    const auto retry = client.Post("/slack/events", headers, body, "application/json");
    REQUIRE(retry);
    CHECK(retry->status == 200);  // acknowledged, so Slack stops retrying
    server.stop();
    CHECK(test::read_text(server.log_path()).find("already handled (retry 1)") != std::string::npos);
  }
  {
    test::ServerProcess server(fake.env(), db);
    httplib::Client client("127.0.0.1", server.port());
    auto headers = signed_headers(body);
    headers.emplace("X-Slack-Retry-Num", "2");
    CHECK(client.Post("/slack/events", headers, body, "application/json")->status == 200);
    // The same message under a new event id (node-slack-sdk#2141) is not answered again either.
    const std::string same_message = mention_event("Ev0REDELIVERED", "1700000000.000100").dump();
    CHECK(client.Post("/slack/events", signed_headers(same_message), same_message, "application/json")->status == 200);
    // A new event still is, and once it has arrived the repeats above had their chance.
    const std::string fresh = mention_event("Ev0FRESH", "1700000099.000500").dump();
    CHECK(client.Post("/slack/events", signed_headers(fresh), fresh, "application/json")->status == 200);
    REQUIRE(fake.wait_for(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    server.stop();  // drains the background queue
  }
  const auto posts = fake.posts_to("/chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK(json::parse(posts[0].body).at("thread_ts") == "1700000000.000100");
  CHECK(json::parse(posts[1].body).at("thread_ts") == "1700000099.000500");
}

namespace {
// The first page of `/whygo list why go`, which has a More button.
json first_list_page(httplib::Client& client, const test::FakeSlack& fake) {
  const std::string command = command_body("list why go", fake.base_url() + "/commands/T0TEST/1/x");
  const auto first = client.Post("/slack/commands", signed_headers(command), command, form_type);
  REQUIRE(first);
  REQUIRE(first->status == 200);
  return json::parse(first->body);
}

// A block_actions payload for a click on More, as Slack sends it: with the message clicked on,
// `page` as whygo answered it (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
json more_click(const json& button, const std::string& response_url, json page) {
  page["type"] = "message";
  page["ts"] = "1700000000.000100";
  return {
      {"type", "block_actions"},
      {"team", {{"id", "T0TEST"}, {"domain", "test"}}},
      {"user", {{"id", "U0CLICKER"}, {"username", "clicker"}, {"team_id", "T0TEST"}}},
      {"api_app_id", "A0TEST"},
      {"container",
       {{"type", "message"}, {"message_ts", "1700000000.000100"}, {"channel_id", "C0TEST"}, {"is_ephemeral", false}}},
      {"trigger_id", "1.2.3"},
      {"channel", {{"id", "C0TEST"}, {"name", "general"}}},
      {"message", page},
      {"response_url", response_url},
      {"actions", json::array({{{"action_id", "whygo_more"},
                                {"block_id", "b1"},
                                {"type", "button"},
                                {"value", button.at("value")},
                                {"action_ts", "1700000001.000001"}}})}};
}
}  // namespace

TEST_CASE("the More button replaces the message with the next page", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const json first_page = first_list_page(client, fake);
  const json* button = more_button(first_page);
  REQUIRE(button);
  CHECK(first_link_text(first_page).starts_with("*1.* "));

  const std::string response_url = fake.base_url() + "/actions/T0TEST/1232321423432/fake-response-token";
  const json payload = more_click(*button, response_url, first_page);
  const std::string body = "payload=" + test::form_encode(payload.dump());
  const auto ack = client.Post("/slack/interactions", signed_headers(body), body, form_type);
  REQUIRE(ack);
  CHECK(ack->status == 200);
  CHECK(ack->body.empty());  // block_actions acks carry nothing
  REQUIRE(fake.wait_for(1));
  const auto posts = fake.posts_to("/actions/T0TEST/1232321423432/fake-response-token");
  REQUIRE(posts.size() == 1);
  const json next_page = json::parse(posts[0].body);
  CHECK(next_page.at("replace_original") == true);
  CHECK(next_page.at("response_type") == "in_channel");
  CHECK(first_link_text(next_page).starts_with("*6.* "));
  CHECK(first_link_text(next_page) != first_link_text(first_page));
  REQUIRE(more_button(next_page));
  CHECK(more_button(next_page)->at("value") != button->at("value"));
}

TEST_CASE("a click on a message longer than 8 KiB is read like any other, up to the route's limit",
          "[slack][server][limits]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const json first_page = first_list_page(client, fake);
  const json* button = more_button(first_page);
  REQUIRE(button);
  const std::string response_url = fake.base_url() + "/actions/T0TEST/1/long-message";
  // The form body cpp-httplib alone would refuse above 8 KiB, well within the route's limit.
  json long_page = first_page;
  long_page["text"] = std::string(12000, 'x');
  const std::string body = "payload=" + test::form_encode(more_click(*button, response_url, long_page).dump());
  REQUIRE(body.size() > 12000);
  const auto ack = client.Post("/slack/interactions", signed_headers(body), body, form_type);
  REQUIRE(ack);
  CHECK(ack->status == 200);
  REQUIRE(fake.wait_for(1));
  CHECK(fake.posts_to("/actions/T0TEST/1/long-message").size() == 1);
  // Past the limit it is still refused before any reading.
  long_page["text"] = std::string(limits::request_body_max_bytes, 'x');
  const std::string huge = "payload=" + test::form_encode(more_click(*button, response_url, long_page).dump());
  const auto refused = client.Post("/slack/interactions", signed_headers(huge), huge, form_type);
  REQUIRE(refused);
  CHECK(refused->status == 413);
}

TEST_CASE("a 429 from Slack is waited out and the answer still arrives", "[slack][server][web_api]") {
  test::FakeSlack fake;
  fake.rate_limited_left = 1;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = mention_event("Ev0LIMITED", "1700000000.000100").dump();
  const auto started = std::chrono::steady_clock::now();
  const auto res = client.Post("/slack/events", signed_headers(body), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(900));  // not held by the retry
  REQUIRE(fake.wait_for(2, std::chrono::seconds(10)));
  const auto finished = std::chrono::steady_clock::now();
  CHECK(finished - started >= std::chrono::seconds(1));  // Retry-After: 1 was honoured
  const auto posts = fake.posts_to("/chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].body == posts[1].body);
  server.stop();
  CHECK(test::read_text(server.log_path()).find("chat.postMessage to C0TEST failed") == std::string::npos);
}

TEST_CASE("a hostile catalog title pings nobody", "[slack][server][escape]") {
  test::FakeSlack fake;
  test::TempDir dir;
  const std::string db = dir.file("w.db");
  {
    Config config;
    config.db_path = db;
    SystemClock clock;
    App app(config, clock);  // seeds the bundled catalog
    Link hostile;
    hostile.title = "<!channel> Zanzibarian <@U123> <!here> <!everyone>";
    hostile.url = "https://evil.example/<!channel>|x";
    hostile.author = "<@U999>";
    hostile.section = "Why Go";
    app.store().import_links({"Why Go"}, {hostile}, test::test_unix());
  }
  test::ServerProcess server(fake.env(), db);
  httplib::Client client("127.0.0.1", server.port());
  const std::string command = command_body("zanzibarian", fake.base_url() + "/commands/T0TEST/1/x");
  const auto res = client.Post("/slack/commands", signed_headers(command), command, form_type);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const std::string answer = json::parse(res->body).dump(-1, ' ', false);  // unescaped "<" as is
  CHECK(answer.find("Zanzibarian") != std::string::npos);
  for (const char* ping : {"<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U999>"})
    CHECK(answer.find(ping) == std::string::npos);
  CHECK(answer.find("&lt;!channel&gt; Zanzibarian &lt;@U123&gt;") != std::string::npos);

  const std::string event = mention_event("Ev0HOSTILE", "1700000000.000100", "<@U0BOT> zanzibarian").dump();
  REQUIRE(client.Post("/slack/events", signed_headers(event), event, "application/json")->status == 200);
  REQUIRE(fake.wait_for(1));
  const std::string posted = json::parse(fake.posts_to("/chat.postMessage").at(0).body).dump();
  CHECK(posted.find("Zanzibarian") != std::string::npos);
  for (const char* ping : {"<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U999>"})
    CHECK(posted.find(ping) == std::string::npos);
}

TEST_CASE("without a signing secret the Slack routes are not there", "[slack][server]") {
  test::TempDir dir;
  test::ServerProcess server({"SLACK_BOT_TOKEN=xoxb-test-fake"}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Post("/slack/commands", "ssl_check=1", form_type);
  REQUIRE(res);
  CHECK(res->status == 404);
  server.stop();
  const std::string log = test::read_text(server.log_path());
  CHECK(count(log, "slack: off") == 1);
}

TEST_CASE("an admin subscribes a channel from Slack, and post-story posts once", "[slack][server][story]") {
  test::FakeSlack fake;
  test::TempDir dir;
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0TEST");
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const std::string body = command_body("subscribe 08:30 Europe/Paris", fake.base_url() + "/commands/T0TEST/1/x");
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    const json reply = json::parse(res->body);
    CHECK(reply.at("response_type") == "ephemeral");
    CHECK(reply.dump().find("08:30 Europe/Paris") != std::string::npos);
    CHECK(server.stop() == 0);
  }
  // post-story needs what posting needs: the bot token, and not the signing secret.
  const auto without = [&](const std::string& variable) {
    std::string command = "WHYGO_DB=" + dir.file("w.db");
    for (const auto& e : env)
      if (e.rfind(variable + "=", 0) != 0) command += " " + e;  // no spaces in these values
    return command + " " + WHYGO_BINARY + " post-story --date 2026-11-27";
  };
  const auto no_token = test::run(without("SLACK_BOT_TOKEN"));
  CHECK(no_token.exit_code == 1);
  CHECK(no_token.err.find("1 subscribed slack channel(s) not posted: posting there needs SLACK_BOT_TOKEN") !=
        std::string::npos);
  CHECK(fake.posts_to("/chat.postMessage").empty());
  const std::string command = without("SLACK_SIGNING_SECRET");
  const auto first = test::run(command);
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("posted 1") != std::string::npos);
  const auto second = test::run(command);  // cron ran twice: nothing more
  CHECK(second.exit_code == 0);
  CHECK(second.out.find("posted 0") != std::string::npos);
  const auto posts = fake.posts_to("/chat.postMessage");
  REQUIRE(posts.size() == 1);
  const json message = json::parse(posts[0].body);
  CHECK(message.at("channel") == "C0TEST");
  CHECK(message.dump().find("Go story of the day, 27 Nov 2026") != std::string::npos);
}

TEST_CASE("a member who is not an admin cannot subscribe a channel", "[slack][server][story]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = command_body("subscribe", fake.base_url() + "/commands/T0TEST/1/x");
  const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
  REQUIRE(res);
  const json reply = json::parse(res->body);
  CHECK(reply.at("response_type") == "ephemeral");
  CHECK(reply.dump().find("Only admins") != std::string::npos);
}

TEST_CASE("an admin adds a link from Slack, a member only suggests", "[slack][server][curation]") {
  test::FakeSlack fake;
  test::TempDir dir;
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0TEST");
  test::ServerProcess server(env, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto slash = [&](const std::string& text, const std::string& user) {
    std::string body = command_body(text, fake.base_url() + "/commands/T0TEST/1/x");
    body.replace(body.find("user_id=U0TEST"), 14, "user_id=" + user);
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    return json::parse(res->body);
  };
  // Slack wraps pasted links in <...>; the adapter unwraps them (adapters/slack/text.hpp).
  json reply = slash("add <https://www.uber.com/blog/go-geofence/> Go at Uber by Kai Wei #geo", "U0TEST");
  CHECK(reply.at("response_type") == "ephemeral");
  CHECK(reply.dump().find("Added #64") != std::string::npos);
  reply = slash("uber", "U0OTHER");
  CHECK(reply.at("response_type") == "in_channel");
  CHECK(first_link_text(reply).find("|Go at Uber>") != std::string::npos);
  reply = slash("remove 64", "U0OTHER");
  CHECK(reply.dump().find("Only admins") != std::string::npos);
  reply = slash("suggest https://example.org/go Go at Example", "U0OTHER");
  CHECK(reply.dump().find("Suggestion 1 is queued") != std::string::npos);
  reply = slash("undo", "U0TEST");
  CHECK(reply.dump().find("Undid the add") != std::string::npos);
  CHECK(slash("uber", "U0OTHER").at("response_type") == "ephemeral");  // no match any more
}

// Slack sends "&" as "&amp;" in text (https://docs.slack.dev/messaging/formatting-message-text);
// the link stored is the one the person typed.
TEST_CASE("an added link with & in its query is stored with & and not as the entity Slack sent",
          "[slack][server][curation]") {
  test::FakeSlack fake;
  test::TempDir dir;
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0TEST");
  test::ServerProcess server(env, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto slash = [&](const std::string& text) {
    const std::string body = command_body(text, fake.base_url() + "/commands/T0TEST/1/x");
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    return json::parse(res->body).dump();
  };
  CHECK(slash("add <https://example.org/why?a=1&amp;b=2|example.org/why?a=1&amp;b=2> Why &amp; how").find("Added") !=
        std::string::npos);
  server.stop();
  Config config;
  config.db_path = dir.file("w.db");
  ManualClock clock(test::test_now());
  App app(config, clock);
  const auto link = app.store().find_by_url("https://example.org/why?a=1&b=2");
  REQUIRE(link);
  CHECK(link->url == "https://example.org/why?a=1&b=2");
  CHECK(link->title == "Why & how");
}

// The manifest asks for chat:write.public, so a public channel takes the story without inviting
// the bot (https://docs.slack.dev/reference/scopes/chat.write.public); the fake Slack grants the
// manifest's scopes and answers not_in_channel otherwise, as chat.postMessage documents.
TEST_CASE("the daily story reaches a public channel whygo was never invited to", "[slack][server][story]") {
  test::FakeSlack fake;
  test::TempDir dir;
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0TEST");
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const std::string body = command_body_in("C0NEW", "subscribe", fake.base_url() + "/commands/T0TEST/1/x");
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    const std::string said = json::parse(res->body).dump();
    CHECK(said.find("Subscribed") != std::string::npos);
    CHECK(said.find("/invite @whygo") != std::string::npos);  // what a private channel needs
    CHECK(server.stop() == 0);
  }
  std::string command = "WHYGO_DB=" + dir.file("w.db");
  for (const auto& e : env) command += " " + e;
  command += std::string(" ") + WHYGO_BINARY + " post-story --date 2026-11-27";
  const auto run = test::run(command);
  INFO(run.out << run.err);
  CHECK(run.out.find("posted 1, failed 0") != std::string::npos);
  CHECK(run.exit_code == 0);
}

// A private channel the bot is not in answers channel_not_found: the failure is said in plain
// words in the channel's next reply (once) and in `subscriptions`.
TEST_CASE("a story that cannot be posted in a private channel is told there, with what to do",
          "[slack][server][story]") {
  test::FakeSlack fake;
  fake.private_channel("G0SECRET");
  test::TempDir dir;
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0TEST");
  std::string command = "WHYGO_DB=" + dir.file("w.db");
  for (const auto& e : env) command += " " + e;
  command += std::string(" ") + WHYGO_BINARY + " post-story --date 2026-11-27";
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const std::string body = command_body_in("G0SECRET", "subscribe", fake.base_url() + "/commands/T0TEST/1/x");
    REQUIRE(client.Post("/slack/commands", signed_headers(body), body, form_type)->status == 200);
    server.stop();
  }
  CHECK(test::run(command).out.find("failed 1") != std::string::npos);
  test::ServerProcess server(env, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto ask = [&](const std::string& text) {
    const std::string body = command_body_in("G0SECRET", text, fake.base_url() + "/commands/T0TEST/1/x");
    const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
    REQUIRE(res);
    return json::parse(res->body).dump();
  };
  const std::string next = ask("docker");
  CHECK(next.find("could not be posted here on 27 Nov 2026") != std::string::npos);
  CHECK(next.find("/invite @whygo") != std::string::npos);
  CHECK(ask("docker").find("could not be posted") == std::string::npos);  // said once
  const std::string listed = ask("subscriptions");
  CHECK(listed.find("G0SECRET") != std::string::npos);
  CHECK(listed.find("channel_not_found") != std::string::npos);
  CHECK(listed.find("/invite @whygo") != std::string::npos);
}

// chat.postEphemeral: "visible only to the assigned user"
// (https://docs.slack.dev/reference/methods/chat.postEphemeral). Help after a mention is the
// asker's, as a slash command's is; search results go to the thread for everyone.
TEST_CASE("a private answer to a mention goes to the asker alone with chat.postEphemeral", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = mention_event("Ev0HELP", "1700000000.000100", "<@U0BOT> help").dump();
  REQUIRE(client.Post("/slack/events", signed_headers(body), body, "application/json")->status == 200);
  REQUIRE(fake.wait_for(1));
  CHECK(fake.posts_to("/chat.postMessage").empty());
  const auto ephemeral = fake.posts_to("/chat.postEphemeral");
  REQUIRE(ephemeral.size() == 1);
  const json sent = json::parse(ephemeral[0].body);
  CHECK(sent.at("channel") == "C0TEST");
  CHECK(sent.at("user") == "U0TEST");
  CHECK_FALSE(sent.contains("thread_ts"));  // the mention started no thread
  CHECK(sent.dump().find("random") != std::string::npos);
}

// "By default, we unfurl all links in any messages posted by users and Slack apps"
// (https://docs.slack.dev/messaging/unfurling-links-in-messages).
TEST_CASE("slash answers and More pages ask Slack not to unfurl their links", "[slack][server]") {
  test::FakeSlack fake;
  test::TempDir dir;
  test::ServerProcess server(fake.env(), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = command_body("youtube", fake.base_url() + "/commands/T0TEST/1/x");
  const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
  REQUIRE(res);
  const json answer = json::parse(res->body);
  CHECK(answer.at("unfurl_links") == false);
  CHECK(answer.at("unfurl_media") == false);
  const json* more = more_button(answer);
  REQUIRE(more);
  const json payload = {{"type", "block_actions"},
                        {"user", {{"id", "U0TEST"}, {"team_id", "T0TEST"}}},
                        {"team", {{"id", "T0TEST"}}},
                        {"channel", {{"id", "C0TEST"}}},
                        {"response_url", fake.base_url() + "/actions/T0TEST/2/y"},
                        {"actions", json::array({{{"action_id", "whygo_more"}, {"value", more->at("value")}}})}};
  const std::string click = "payload=" + test::form_encode(payload.dump());
  REQUIRE(client.Post("/slack/interactions", signed_headers(click), click, form_type)->status == 200);
  REQUIRE(fake.wait_for(1));
  const json page = json::parse(fake.posts_to("/actions/").at(0).body);
  CHECK(page.at("unfurl_links") == false);
  CHECK(page.at("unfurl_media") == false);
}
