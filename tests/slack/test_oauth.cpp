// "Add to Slack" for many workspaces, end to end: the real `whygo serve` on loopback, a browser's
// requests to /slack/install and /slack/oauth_redirect, and a fake Slack API on loopback that
// behaves as Slack's pages say:
// - oauth.v2.access (https://docs.slack.dev/reference/methods/oauth.v2.access) takes client_id,
//   client_secret, code and redirect_uri as form fields; answers {"ok":true,"access_token":
//   "xoxb-...","token_type":"bot","bot_user_id":...,"team":{"id","name"},"enterprise":null,...};
//   a code is good once ("invalid_code" after), a redirect_uri other than the authorize step's is
//   "bad_redirect_uri", a wrong secret "bad_client_secret".
// - the authorize page returns the browser with ?code=...&state=..., or ?error=access_denied&state=...
//   when the person cancels (https://docs.slack.dev/authentication/installing-with-oauth).
// - app_uninstalled arrives as an event_callback with the workspace's team_id
//   (https://docs.slack.dev/reference/events/app_uninstalled).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/slack/oauth.hpp"
#include "adapters/slack/routes.hpp"
#include "adapters/slack/signature.hpp"
#include "app/app.hpp"
#include "bot/adapter.hpp"
#include "bot/secret_box.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string secret = "whygo-test-signing-secret-not-real";
const std::string key_hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const std::string public_url = "https://whygo.example.org";
constexpr const char* form_type = "application/x-www-form-urlencoded";

std::map<std::string, std::string> form_fields(const std::string& body) {
  std::map<std::string, std::string> out;
  httplib::Params params;
  httplib::detail::parse_query_text(body, params);
  for (const auto& [k, v] : params) out[k] = v;
  return out;
}

class FakeSlackOAuth {
 public:
  FakeSlackOAuth() {
    platform_.routes().Post("/oauth.v2.access", [this](const httplib::Request& req, httplib::Response& res) {
      const auto f = form_fields(req.body);
      std::lock_guard lock(mutex_);
      std::string error;
      if (f.count("client_id") == 0 || f.at("client_id") != "1111.2222")
        error = "invalid_client_id";
      else if (f.count("client_secret") == 0 || f.at("client_secret") != "client-secret-not-real")
        error = "bad_client_secret";
      else if (f.count("redirect_uri") == 0 || f.at("redirect_uri") != public_url + "/slack/oauth_redirect")
        error = "bad_redirect_uri";
      else if (f.count("code") == 0 || !codes_.count(f.at("code")))
        error = "invalid_code";
      if (!error.empty()) return res.set_content(R"({"ok":false,"error":")" + error + R"("})", "application/json");
      const std::string team = codes_.at(f.at("code"));
      codes_.erase(f.at("code"));  // good once
      res.set_content(json{{"ok", true},
                           {"access_token", "xoxb-" + team + "-secret-token"},
                           {"token_type", "bot"},
                           {"scope", "commands,app_mentions:read,chat:write,chat:write.public"},
                           {"bot_user_id", "UBOT" + team},
                           {"app_id", "A0TEST"},
                           {"team", {{"name", "Team <" + team + ">"}, {"id", team}}},
                           {"enterprise", nullptr},
                           {"authed_user", {{"id", "U0" + team}}}}
                          .dump(),
                      "application/json");
    });
    platform_.routes().Post("/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"ok":true,"channel":"C0","ts":"1700000001.000200"})", "application/json");
    });
    platform_.routes().Post("/chat.postEphemeral", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"ok":true,"message_ts":"1700000002.000300"})", "application/json");
    });
    platform_.routes().Post(R"(/commands/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    platform_.start();
  }
  // The authorize page's side: a person in `team` approved, and Slack made this code.
  std::string approve(const std::string& team) {
    std::lock_guard lock(mutex_);
    const std::string code = "code-" + team + "-" + std::to_string(++issued_);
    codes_[code] = team;
    return code;
  }
  std::string base_url() const { return platform_.base_url(); }
  std::vector<test::FakePlatform::Recorded> posts() const {
    std::vector<test::FakePlatform::Recorded> out;
    for (auto& r : platform_.requests())
      if (r.path == "/chat.postMessage") out.push_back(r);
    return out;
  }
  std::size_t oauth_calls() const {
    std::size_t n = 0;
    for (auto& r : platform_.requests()) n += r.path == "/oauth.v2.access";
    return n;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> codes_;
  int issued_ = 0;
  test::FakePlatform platform_;
};

std::vector<std::string> environment(const FakeSlackOAuth& fake) {
  return {"SLACK_SIGNING_SECRET=" + secret,
          "SLACK_API_BASE=" + fake.base_url(),
          "SLACK_CLIENT_ID=1111.2222",
          "SLACK_CLIENT_SECRET=client-secret-not-real",
          "SLACK_AUTHORIZE_URL=https://slack.example/oauth/v2/authorize",
          "WHYGO_PUBLIC_URL=" + public_url,
          "WHYGO_SECRET_KEY=" + key_hex,
          "WHYGO_ADMINS=slack:U0T0AAA,slack:U0T0BBB"};
}

struct Started {
  std::string state;
  std::string cookie;  // "name=value"
  std::map<std::string, std::string> query;
};

Started start_install(httplib::Client& client) {
  const auto res = client.Get("/slack/install");
  REQUIRE(res);
  REQUIRE(res->status == 302);
  const std::string location = res->get_header_value("Location");
  const std::string prefix = "https://slack.example/oauth/v2/authorize?";
  REQUIRE(location.starts_with(prefix));
  Started s;
  s.query = form_fields(location.substr(prefix.size()));
  s.state = s.query["state"];
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  s.cookie = set_cookie.substr(0, set_cookie.find(';'));
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("Secure") != std::string::npos);
  return s;
}

httplib::Result finish(httplib::Client& client, const std::string& query, const std::string& cookie) {
  return client.Get("/slack/oauth_redirect?" + query, httplib::Headers{{"Cookie", cookie}});
}

httplib::Headers signed_headers(const std::string& body) {
  const std::string ts = std::to_string(std::time(nullptr));
  return {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slack::sign(secret, ts, body)}};
}

httplib::Result event(httplib::Client& client, const json& body) {
  const std::string raw = body.dump();
  return client.Post("/slack/events", signed_headers(raw), raw, "application/json");
}

json mention(const std::string& team, const std::string& channel, const std::string& id) {
  return {{"team_id", team},
          {"type", "event_callback"},
          {"event_id", id},
          {"event",
           {{"type", "app_mention"},
            {"user", "U0" + team},
            {"text", "<@UBOT" + team + "> docker"},
            {"ts", "17000000" + id.substr(id.size() - 2) + ".000100"},
            {"channel", channel}}}};
}

httplib::Result command(httplib::Client& client, const FakeSlackOAuth& fake, const std::string& team,
                        const std::string& channel, const std::string& text) {
  const std::string body = "team_id=" + team + "&channel_id=" + channel + "&user_id=U0" + team +
                           "&command=%2Fwhygo&text=" + test::form_encode(text) +
                           "&response_url=" + test::form_encode(fake.base_url() + "/commands/" + team);
  return client.Post("/slack/commands", signed_headers(body), body, form_type);
}

std::string database_bytes(const test::TempDir& dir) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    try {
      all += test::read_text(dir.file(std::string("w.db") + suffix));
    } catch (...) {
    }
  }
  return all;
}

bool has_post(const FakeSlackOAuth& fake, const std::string& channel, const std::string& token) {
  for (const auto& p : fake.posts())
    if (json::parse(p.body).value("channel", "") == channel && p.header("Authorization") == "Bearer " + token)
      return true;
  return false;
}

}  // namespace

TEST_CASE("two workspaces install whygo, each is answered and posted to with its own token, and uninstall stops posts",
          "[slack][server][oauth]") {
  FakeSlackOAuth fake;
  test::TempDir dir;
  const auto env = environment(fake);
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    for (const std::string team : {"T0AAA", "T0BBB"}) {
      const Started s = start_install(client);
      CHECK(s.query.at("client_id") == "1111.2222");
      CHECK(s.query.at("scope") == "commands,app_mentions:read,chat:write,chat:write.public");
      CHECK(s.query.at("redirect_uri") == public_url + "/slack/oauth_redirect");
      CHECK(s.state.size() == 64);
      const auto res = finish(client, "code=" + fake.approve(team) + "&state=" + s.state, s.cookie);
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK(res->get_header_value("Content-Type").starts_with("text/html"));
      CHECK(res->body.find("whygo is installed") != std::string::npos);
      CHECK(res->body.find("Team &lt;" + team + "&gt;") != std::string::npos);  // escaped
      CHECK(res->body.find("/whygo docker") != std::string::npos);
    }
    // Each workspace's mention is answered with its own token.
    REQUIRE(event(client, mention("T0AAA", "CAAA", "Ev01")));
    REQUIRE(event(client, mention("T0BBB", "CBBB", "Ev02")));
    for (int i = 0; i < 500 && fake.posts().size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(has_post(fake, "CAAA", "xoxb-T0AAA-secret-token"));
    CHECK(has_post(fake, "CBBB", "xoxb-T0BBB-secret-token"));
    // Both subscribe a channel to the story of the day.
    for (const auto& [team, channel] : {std::pair{"T0AAA", "CAAA"}, std::pair{"T0BBB", "CBBB"}}) {
      const auto res = command(client, fake, team, channel, "subscribe");
      REQUIRE(res);
      CHECK(res->status == 200);
    }
    server.stop();
  }
  // The database holds the tokens sealed, never in clear.
  const std::string bytes = database_bytes(dir);
  CHECK(bytes.find("secret-token") == std::string::npos);
  CHECK(bytes.find("xoxb-") == std::string::npos);

  std::string run_env = "WHYGO_DB=" + dir.file("w.db");
  for (const auto& e : env) run_env += " " + e;
  const auto posted = test::run(run_env + " " + WHYGO_BINARY + " post-story --date 2026-11-27");
  CHECK(posted.exit_code == 0);
  CHECK(has_post(fake, "CAAA", "xoxb-T0AAA-secret-token"));
  CHECK(has_post(fake, "CBBB", "xoxb-T0BBB-secret-token"));
  const std::size_t before = fake.posts().size();

  // Workspace B removes the app: its token is deleted and its stories stop; A's go on.
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const auto res = event(client, {{"team_id", "T0BBB"},
                                    {"type", "event_callback"},
                                    {"event_id", "Ev09"},
                                    {"event", {{"type", "app_uninstalled"}}}});
    REQUIRE(res);
    CHECK(res->status == 200);
    server.stop();
  }
  const auto next = test::run(run_env + " " + WHYGO_BINARY + " post-story --date 2026-11-28");
  CHECK(next.exit_code == 0);
  const auto posts = fake.posts();
  REQUIRE(posts.size() == before + 1);
  CHECK(json::parse(posts.back().body).value("channel", "") == "CAAA");
  CHECK(posts.back().header("Authorization") == "Bearer xoxb-T0AAA-secret-token");

  // Installed again, B's subscription resumes.
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const Started s = start_install(client);
    const auto res = finish(client, "code=" + fake.approve("T0BBB") + "&state=" + s.state, s.cookie);
    REQUIRE(res);
    CHECK(res->status == 200);
    server.stop();
  }
  CHECK(test::run(run_env + " " + WHYGO_BINARY + " post-story --date 2026-11-29").exit_code == 0);
  CHECK(fake.posts().size() == before + 3);
}

TEST_CASE("a forged, reused or other browser's state, a refusal and a failed exchange install nothing",
          "[slack][server][oauth]") {
  FakeSlackOAuth fake;
  test::TempDir dir;
  test::ServerProcess server(environment(fake), dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto refused = [&](const httplib::Result& res) {
    REQUIRE(res);
    CHECK(res->status >= 400);
    CHECK(res->body.find("whygo is installed") == std::string::npos);
  };
  // Forged: a state whygo never handed out.
  const Started real = start_install(client);
  refused(finish(client, "code=" + fake.approve("T0EVE") + "&state=" + std::string(64, 'a'), real.cookie));
  // Another browser's: the state is real, the cookie is not the one it was handed with.
  const Started other = start_install(client);
  refused(finish(client, "code=" + fake.approve("T0EVE") + "&state=" + other.state, real.cookie));
  // ...and it is used up by the attempt.
  refused(finish(client, "code=" + fake.approve("T0EVE") + "&state=" + other.state, other.cookie));
  // The person cancelled on Slack's page.
  const Started cancelled = start_install(client);
  const auto denied = finish(client, "error=access_denied&state=" + cancelled.state, cancelled.cookie);
  refused(denied);
  CHECK(denied->body.find("access_denied") != std::string::npos);
  // A code Slack does not take.
  const Started bad_code = start_install(client);
  const auto exchange = finish(client, "code=made-up&state=" + bad_code.state, bad_code.cookie);
  refused(exchange);
  CHECK(exchange->body.find("invalid_code") != std::string::npos);
  // Nothing reached the token exchange but that one code; a good one then works, once.
  CHECK(fake.oauth_calls() == 1);
  const Started good = start_install(client);
  const std::string query = "code=" + fake.approve("T0AAA") + "&state=" + good.state;
  const auto ok = finish(client, query, good.cookie);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  refused(finish(client, query, good.cookie));  // reused
  CHECK(fake.oauth_calls() == 2);
  // A script in a page cannot be injected through the error.
  const Started xss = start_install(client);
  const auto page = finish(client, "error=%3Cscript%3Ealert(1)%3C/script%3E&state=" + xss.state, xss.cookie);
  REQUIRE(page);
  CHECK(page->body.find("<script>") == std::string::npos);
  server.stop();
  const std::string bytes = database_bytes(dir);
  CHECK(bytes.find("T0EVE") == std::string::npos);
}

TEST_CASE("a state older than 10 minutes is refused at /slack/oauth_redirect", "[slack][server][oauth]") {
  // In-process, so the clock can move on by 10 minutes; the routes are the real ones.
  FakeSlackOAuth fake;
  test::TempDir dir;
  ManualClock clock(std::chrono::system_clock::now());
  Config config;
  config.db_path = dir.file("w.db");
  App app(config, clock);
  Background background{1};
  OutboundClient outbound{[](std::chrono::milliseconds) {}};
  AdapterServices services{
      app.dispatcher(),
      clock,
      app.store(),
      background,
      outbound,
      app.config().admins,
      [&app](std::string_view query, std::size_t limit) { return app.search().find(query, 0, limit); },
      app.store(),
      app.store(),
      app.store(),
      {}};
  slack::SlackConfig slack_config;
  slack_config.signing_secret = secret;
  slack_config.api_base = fake.base_url();
  slack_config.client_id = "1111.2222";
  slack_config.client_secret = "client-secret-not-real";
  slack_config.authorize_url = "https://slack.example/oauth/v2/authorize";
  slack_config.public_url = public_url;
  slack_config.secret_key = key_hex;
  HttpServer server;
  slack::mount(server, services, slack_config);
  const int port = server.bind({"127.0.0.1", 0});
  std::thread thread([&server] { server.run(); });
  while (!server.routes().is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  httplib::Client client("127.0.0.1", port);
  const Started late = start_install(client);
  const Started in_time = start_install(client);
  clock.advance(std::chrono::minutes(9));
  const auto ok = finish(client, "code=" + fake.approve("T0AAA") + "&state=" + in_time.state, in_time.cookie);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  clock.advance(std::chrono::minutes(1));
  const auto expired = finish(client, "code=" + fake.approve("T0BBB") + "&state=" + late.state, late.cookie);
  REQUIRE(expired);
  CHECK(expired->status == 400);
  CHECK(expired->body.find("more than 10 minutes old") != std::string::npos);
  CHECK(fake.oauth_calls() == 1);
  CHECK(app.store().installation("slack", "T0AAA"));
  CHECK_FALSE(app.store().installation("slack", "T0BBB"));
  server.stop();
  thread.join();
  background.stop();
}

TEST_CASE("an OAuth state expires after 10 minutes and is good once", "[slack][oauth]") {
  slack::StateBook book;
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::hours(500000));
  const auto a = book.issue(t0);
  CHECK(book.redeem(a.state, a.cookie, t0 + std::chrono::minutes(10)) == slack::StateBook::Check::expired);
  CHECK(book.redeem(a.state, a.cookie, t0) == slack::StateBook::Check::unknown);  // used up
  const auto b = book.issue(t0);
  CHECK(book.redeem(b.state, a.cookie, t0) == slack::StateBook::Check::other_browser);
  const auto c = book.issue(t0);
  CHECK(book.redeem(c.state, c.cookie, t0 + std::chrono::minutes(9)) == slack::StateBook::Check::ok);
  CHECK(book.redeem(c.state, c.cookie, t0 + std::chrono::minutes(9)) == slack::StateBook::Check::unknown);
}

TEST_CASE("without WHYGO_SECRET_KEY Add to Slack is off and says why", "[slack][server][oauth]") {
  FakeSlackOAuth fake;
  test::TempDir dir;
  auto env = environment(fake);
  std::erase_if(env, [](const std::string& e) { return e.starts_with("WHYGO_SECRET_KEY="); });
  test::ServerProcess server(env, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/slack/install");
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(res->body.find("WHYGO_SECRET_KEY not set") != std::string::npos);
}

TEST_CASE("a sealed token opens only under its key and for its row", "[oauth]") {
  const auto box = SecretBox::from_text(key_hex);
  REQUIRE(box);
  const std::string sealed = box->seal("xoxb-1", "slack:T1");
  CHECK(sealed.find("xoxb") == std::string::npos);
  CHECK(box->open(sealed, "slack:T1") == std::optional<std::string>("xoxb-1"));
  CHECK_FALSE(box->open(sealed, "slack:T2"));
  std::string changed = sealed;
  changed[14] ^= 1;
  CHECK_FALSE(box->open(changed, "slack:T1"));
  CHECK_FALSE(SecretBox::from_text(SecretBox::generate_hex())->open(sealed, "slack:T1"));
  CHECK(SecretBox::from_text("ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8="));  // base64 of the same 32 bytes
  CHECK_FALSE(SecretBox::from_text("too-short"));
  CHECK_FALSE(SecretBox::from_text(std::string(64, 'g')));
}

TEST_CASE("rotate-key re-seals the stored tokens under a new key", "[slack][server][oauth]") {
  FakeSlackOAuth fake;
  test::TempDir dir;
  auto env = environment(fake);
  {
    test::ServerProcess server(env, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const Started s = start_install(client);
    const auto res = finish(client, "code=" + fake.approve("T0AAA") + "&state=" + s.state, s.cookie);
    REQUIRE(res);
    CHECK(res->status == 200);
    server.stop();
  }
  const std::string new_key = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
  const std::string db = "WHYGO_DB=" + dir.file("w.db") + " ";
  const std::string rotate = db + "WHYGO_SECRET_KEY=" + new_key + " " + WHYGO_BINARY + " rotate-key";
  const auto without_old = test::run(rotate);
  CHECK(without_old.exit_code == 2);
  CHECK(without_old.err.find("WHYGO_OLD_SECRET_KEY") != std::string::npos);
  const auto first = test::run("WHYGO_OLD_SECRET_KEY=" + key_hex + " " + rotate);
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("re-sealed 1 token(s) under the new key; 0 already were") != std::string::npos);
  const auto again = test::run("WHYGO_OLD_SECRET_KEY=" + key_hex + " " + rotate);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("re-sealed 0 token(s) under the new key; 1 already were") != std::string::npos);
  // A key that opens nothing says which workspace is lost.
  const auto wrong = test::run("WHYGO_OLD_SECRET_KEY=" + key_hex + " " + db +
                               "WHYGO_SECRET_KEY=" + SecretBox::generate_hex() + " " + WHYGO_BINARY + " rotate-key");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("slack:T0AAA opens with neither key") != std::string::npos);
  // Served with the new key alone, the workspace is answered with its own token.
  std::erase_if(env, [](const std::string& e) { return e.starts_with("WHYGO_SECRET_KEY="); });
  env.push_back("WHYGO_SECRET_KEY=" + new_key);
  test::ServerProcess server(env, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  REQUIRE(event(client, mention("T0AAA", "CAAA", "Ev01")));
  for (int i = 0; i < 500 && fake.posts().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(has_post(fake, "CAAA", "xoxb-T0AAA-secret-token"));
}
