// Slash commands against Slack's deadline and failure rules
// (https://docs.slack.dev/interactivity/implementing-slash-commands): "This confirmation must be
// received by Slack within 3000 milliseconds of the original request being sent, otherwise an
// operation_timeout error will be displayed to the user"; a later answer goes to response_url;
// and "The status code returned as a response to the command should only be used to indicate
// whether or not the request URL successfully received the data payload", so a failure is a 200
// with words, never a 500. In-process, so the background queue can be held up on purpose.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <future>
#include <nlohmann/json.hpp>

#include "adapters/slack/routes.hpp"
#include "adapters/slack/signature.hpp"
#include "bot/adapter.hpp"
#include "tests/slack/fake_slack.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

const std::string secret = "whygo-test-signing-secret-not-real";

struct InProcess {
  test::TempDir dir;
  test::FakeSlack fake;
  SystemClock clock;  // signatures carry the real time
  std::unique_ptr<App> app;
  Background background{1};
  OutboundClient outbound{[](std::chrono::milliseconds) {}};
  std::unique_ptr<AdapterServices> services;
  HttpServer server;
  std::thread thread;
  int port = 0;

  InProcess() {
    Config config;
    config.db_path = dir.file("w.db");
    slack::SlackConfig slack_config;
    slack_config.signing_secret = secret;
    slack_config.bot_token = "xoxb-test-fake";
    slack_config.api_base = fake.base_url();
    app = std::make_unique<App>(config, clock);
    services = std::make_unique<AdapterServices>(AdapterServices{
        app->dispatcher(),
        clock,
        app->store(),
        background,
        outbound,
        app->config().admins,
        [this](std::string_view query, std::size_t limit) { return app->search().find(query, 0, limit); },
        app->store(),
        app->store(),
        app->store(),
        {}});
    slack::mount(server, *services, slack_config);
    port = server.bind({"127.0.0.1", 0});
    thread = std::thread([this] { server.run(); });
    while (!server.routes().is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~InProcess() {
    server.stop();
    thread.join();
    background.stop();
  }

  std::promise<void> hold_background() {
    std::promise<void> release;
    background.post([held = release.get_future().share()] { held.wait(); });
    return release;
  }

  httplib::Result slash(const std::string& text) {
    const std::string body =
        "team_id=T0TEST&channel_id=C0TEST&user_id=U0TEST&command=%2Fwhygo&text=" + test::form_encode(text) +
        "&response_url=" + test::form_encode(fake.base_url() + "/commands/T0TEST/1/x");
    const std::string ts = std::to_string(std::time(nullptr));
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds(10));
    return client.Post("/slack/commands",
                       {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slack::sign(secret, ts, body)}}, body,
                       "application/x-www-form-urlencoded");
  }
};

}  // namespace

TEST_CASE("commands: a slow answer is acknowledged in time and follows through response_url", "[slack][commands]") {
  InProcess p;
  auto release = p.hold_background();
  const auto started = std::chrono::steady_clock::now();
  const auto res = p.slash("docker");
  REQUIRE(res);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2900));
  CHECK(res->status == 200);
  CHECK(res->body.empty());  // the acknowledgement
  CHECK(p.fake.requests().empty());
  release.set_value();
  REQUIRE(p.fake.wait_for(1));
  const auto sent = p.fake.posts_to("/commands/T0TEST/1/x");
  REQUIRE(sent.size() == 1);
  const json answer = json::parse(sent[0].body);
  CHECK(answer.at("response_type") == "in_channel");
  CHECK(answer.dump().find("|Go at Docker>") != std::string::npos);
  CHECK(answer.at("unfurl_links") == false);
}

TEST_CASE("commands: a quick answer stays in the HTTP response", "[slack][commands]") {
  InProcess p;
  const auto res = p.slash("docker");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body).at("response_type") == "in_channel");
  CHECK(p.fake.requests().empty());
}

TEST_CASE("commands: a command that throws answers 200 with a private apology, never 500", "[slack][commands]") {
  InProcess p;
  // Anything may throw, even what is not a std::exception.
  p.app->dispatcher().add(Command{.name = "boom",
                                  .aliases = {},
                                  .usage = "boom",
                                  .summary = "fails",
                                  .admin_only = false,
                                  .writes = false,
                                  .run = [](const Request&, std::string_view, Services&) -> Reply { throw 42; }});
  const auto res = p.slash("boom");
  REQUIRE(res);
  CHECK(res->status == 200);
  const json answer = json::parse(res->body);
  CHECK(answer.at("response_type") == "ephemeral");
  CHECK(answer.dump().find("went wrong") != std::string::npos);
  CHECK(p.slash("docker")->status == 200);  // still answering
}
