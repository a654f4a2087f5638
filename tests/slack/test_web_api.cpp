// The Web API client against a fake Slack on loopback: what it sends, how it reads ok:false,
// and how it waits out a 429.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "adapters/slack/web_api.hpp"
#include "tests/slack/fake_slack.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

slack::SlackConfig config_for(const test::FakeSlack& fake) {
  slack::SlackConfig c;
  c.signing_secret = "test-signing-secret";
  c.bot_token = "xoxb-test-fake";
  c.api_base = fake.base_url();
  return c;
}

}  // namespace

TEST_CASE("chat.postMessage sends the bot token, thread and blocks as JSON", "[web_api]") {
  test::FakeSlack fake;
  OutboundClient client([](std::chrono::milliseconds) {});
  const slack::WebApi api(config_for(fake), client);
  const json message = {{"text", "Why Go: docker"}, {"blocks", json::array({{{"type", "divider"}}})}};
  const auto result = api.post_message("C0TEST", message, "1515449522.000016");
  CHECK(result.ok);
  CHECK(result.ts == "1700000001.000200");
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/chat.postMessage");
  CHECK(requests[0].header("Authorization") == "Bearer xoxb-test-fake");
  CHECK(requests[0].header("Content-Type").starts_with("application/json"));
  const json body = json::parse(requests[0].body);
  CHECK(body.at("channel") == "C0TEST");
  CHECK(body.at("thread_ts") == "1515449522.000016");
  CHECK(body.at("text") == "Why Go: docker");
  CHECK(body.at("blocks").size() == 1);
  CHECK(body.at("unfurl_links") == false);
  CHECK(body.at("unfurl_media") == false);
  CHECK_FALSE(body.contains("response_type"));
}

TEST_CASE("an ok:false answer is a failure carrying Slack's error code", "[web_api]") {
  test::FakeSlack fake;
  fake.answer_post_message(R"({"ok":false,"error":"channel_not_found"})");
  OutboundClient client([](std::chrono::milliseconds) {});
  const auto result = slack::WebApi(config_for(fake), client).post_message("C0GONE", {{"text", "x"}}, "");
  CHECK_FALSE(result.ok);
  CHECK(result.status == 200);
  CHECK(result.error == "channel_not_found");
  CHECK(result.attempts == 1);  // not retryable
}

TEST_CASE("a 429 is waited out for as long as Retry-After says, then retried", "[web_api]") {
  test::FakeSlack fake;
  fake.rate_limited_left = 1;
  fake.retry_after = "2";
  std::vector<std::chrono::milliseconds> slept;
  OutboundClient client([&slept](std::chrono::milliseconds d) { slept.push_back(d); });
  const auto result = slack::WebApi(config_for(fake), client).post_message("C0TEST", {{"text", "x"}}, "");
  CHECK(result.ok);
  CHECK(result.attempts == 2);
  REQUIRE(slept.size() == 1);
  CHECK(slept[0] >= std::chrono::seconds(2));
  CHECK(slept[0] <= std::chrono::milliseconds(2200));  // Retry-After plus at most 10% jitter
  CHECK(fake.requests().size() == 2);
}

TEST_CASE("without a bot token nothing is sent", "[web_api]") {
  test::FakeSlack fake;
  slack::SlackConfig config = config_for(fake);
  config.bot_token.clear();
  OutboundClient client([](std::chrono::milliseconds) {});
  const auto result = slack::WebApi(config, client).post_message("C0TEST", {{"text", "x"}}, "");
  CHECK_FALSE(result.ok);
  CHECK(fake.requests().empty());
}

TEST_CASE("response_url posts go only to Slack or the configured API origin", "[web_api]") {
  test::FakeSlack fake;
  OutboundClient client([](std::chrono::milliseconds) {});
  const slack::WebApi api(config_for(fake), client);
  CHECK(api.allowed_response_url("https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209"));
  CHECK(api.allowed_response_url("https://hooks.slack-gov.com/commands/T1/2/3"));
  CHECK(api.allowed_response_url(fake.base_url() + "/actions/T1/2/3"));
  CHECK_FALSE(api.allowed_response_url("http://hooks.slack.com/actions/1"));  // not TLS
  CHECK_FALSE(api.allowed_response_url("https://hooks.slack.com.evil.example/actions/1"));
  CHECK_FALSE(api.allowed_response_url("https://evilslack.com/actions/1"));
  CHECK_FALSE(api.allowed_response_url("https://hooks.slack.com@evil.example/actions/1"));
  CHECK_FALSE(api.allowed_response_url("http://169.254.169.254/latest/meta-data"));
  CHECK_FALSE(api.allowed_response_url("not a url"));
  CHECK_FALSE(api.allowed_response_url(""));

  const auto refused = api.respond("http://169.254.169.254/latest", {{"text", "x"}});
  CHECK_FALSE(refused.ok);
  const auto sent = api.respond(fake.base_url() + "/actions/T1/2/3", {{"text", "x"}, {"replace_original", true}});
  CHECK(sent.ok);
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/actions/T1/2/3");
  CHECK(requests[0].header("Authorization").empty());  // the URL is the credential
  CHECK(json::parse(requests[0].body).at("replace_original") == true);
}

// chat.postMessage's internal_error: "It's possible some aspect of the operation succeeded before
// the error was raised" (https://docs.slack.dev/reference/methods/chat.postMessage). This fake
// posts the message, then fails, as such a Slack would.
TEST_CASE("a post answered with a 5xx is not sent again", "[web_api]") {
  std::atomic<int> posted{0};
  test::FakePlatform fake;
  fake.routes().Post("/chat.postMessage", [&posted](const httplib::Request&, httplib::Response& res) {
    ++posted;
    res.status = 500;
    res.set_content(R"({"ok":false,"error":"internal_error"})", "application/json");
  });
  fake.routes().Post(R"(/commands/.*)", [&posted](const httplib::Request&, httplib::Response& res) {
    ++posted;
    res.status = 503;
  });
  fake.start();
  slack::SlackConfig config;
  config.signing_secret = "s";
  config.bot_token = "xoxb-test-fake";
  config.api_base = fake.base_url();
  OutboundClient client([](std::chrono::milliseconds) {});
  const slack::WebApi api(config, client);
  const auto result = api.post_message("C0TEST", {{"text", "x"}}, "");
  CHECK_FALSE(result.ok);
  CHECK(result.attempts == 1);
  CHECK(posted == 1);
  const auto late = api.respond(fake.base_url() + "/commands/T1/2/3", {{"text", "x"}});
  CHECK_FALSE(late.ok);
  CHECK(late.attempts == 1);
  CHECK(posted == 2);
}

TEST_CASE("a post that could not even connect is tried again", "[web_api]") {
  slack::SlackConfig config;
  config.signing_secret = "s";
  config.bot_token = "xoxb-test-fake";
  {
    test::FakePlatform gone;  // a port that was just free, and is closed again
    gone.start();
    config.api_base = gone.base_url();
  }
  OutboundClient client([](std::chrono::milliseconds) {});
  const auto result = slack::WebApi(config, client).post_message("C0TEST", {{"text", "x"}}, "");
  CHECK_FALSE(result.ok);
  CHECK(result.status == 0);
  CHECK(result.attempts > 1);  // nothing was sent, so nothing can be posted twice
}
