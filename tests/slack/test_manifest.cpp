// deploy/slack/manifest.yml against the fields of Slack's App manifest reference
// (https://docs.slack.dev/reference/app-manifest), transcribed with their limits into
// tests/slack/manifest.schema.json, and against what the adapter needs of it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/slack/oauth.hpp"
#include "tests/schema.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

json manifest() {
  return test::yaml_file_to_json(std::string(WHYGO_SOURCE_DIR) + "/deploy/slack/manifest.yml");
}

json schema() {
  return json::parse(test::read_text(std::string(WHYGO_SOURCE_DIR) + "/tests/slack/manifest.schema.json"));
}

bool has(const json& list, const std::string& value) {
  for (const auto& item : list)
    if (item == value) return true;
  return false;
}

}  // namespace

TEST_CASE("the Slack manifest follows Slack's manifest reference", "[slack][manifest]") {
  const auto errors = test::schema_errors(schema(), manifest());
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  INFO(all);
  CHECK(errors.empty());
}

TEST_CASE("the schema check refuses a manifest Slack would not take", "[slack][manifest]") {
  json broken = manifest();
  broken["oauth_config"]["scopes"]["bot"].push_back("chat:write:public");  // not a scope
  CHECK_FALSE(test::schema_errors(schema(), broken).empty());
  broken = manifest();
  broken["features"]["slash_commands"][0]["usage_hint"] = std::string(1001, 'x');
  CHECK_FALSE(test::schema_errors(schema(), broken).empty());
  broken = manifest();
  broken["features"]["bot_user"]["display_name"] = "Why Go";  // a-z 0-9 - _ . only
  CHECK_FALSE(test::schema_errors(schema(), broken).empty());
}

TEST_CASE("the manifest grants what the adapter uses, at the routes it serves", "[slack][manifest]") {
  const json m = manifest();
  const json& scopes = m["oauth_config"]["scopes"]["bot"];
  CHECK(has(scopes, "commands"));           // the slash command
  CHECK(has(scopes, "app_mentions:read"));  // the app_mention event
  CHECK(has(scopes, "chat:write"));         // chat.postMessage, chat.postEphemeral
  CHECK(has(scopes, "chat:write.public"));  // the story in public channels whygo was not invited to
  CHECK(has(m["settings"]["event_subscriptions"]["bot_events"], "app_mention"));
  CHECK(m["features"]["slash_commands"][0]["command"] == "/whygo");
  CHECK(m["features"]["slash_commands"][0]["url"] == "https://whygo.example.com/slack/commands");
  CHECK(m["settings"]["event_subscriptions"]["request_url"] == "https://whygo.example.com/slack/events");
  CHECK(m["settings"]["interactivity"]["request_url"] == "https://whygo.example.com/slack/interactions");
  // Add to Slack: the redirect whygo sends, the events that delete a workspace's token, and the
  // scopes /slack/install asks for are the manifest's own.
  CHECK(has(m["oauth_config"]["redirect_urls"], "https://whygo.example.com/slack/oauth_redirect"));
  CHECK(has(m["settings"]["event_subscriptions"]["bot_events"], "app_uninstalled"));
  CHECK(has(m["settings"]["event_subscriptions"]["bot_events"], "tokens_revoked"));
  std::string asked;
  for (const auto& scope : scopes) asked += (asked.empty() ? "" : ",") + scope.get<std::string>();
  CHECK(asked == slack::bot_scopes);
}

TEST_CASE("whygo slack manifest prints the manifest with WHYGO_PUBLIC_URL in every address", "[slack][manifest][cli]") {
  const auto r =
      test::run("WHYGO_PUBLIC_URL=https://bot.example.org/whygo/ " + std::string(WHYGO_BINARY) + " slack manifest");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("whygo.example.com") == std::string::npos);
  const json m = test::yaml_to_json(r.out);
  // Still a manifest Slack takes, and the shipped one in all but the addresses.
  CHECK(test::schema_errors(schema(), m).empty());
  CHECK(m["oauth_config"]["redirect_urls"] == json::array({"https://bot.example.org/whygo/slack/oauth_redirect"}));
  CHECK(m["features"]["slash_commands"][0]["url"] == "https://bot.example.org/whygo/slack/commands");
  CHECK(m["settings"]["event_subscriptions"]["request_url"] == "https://bot.example.org/whygo/slack/events");
  CHECK(m["settings"]["interactivity"]["request_url"] == "https://bot.example.org/whygo/slack/interactions");
  json shipped = manifest();
  shipped.erase("oauth_config");
  shipped.erase("features");
  shipped.erase("settings");
  json printed = m;
  printed.erase("oauth_config");
  printed.erase("features");
  printed.erase("settings");
  CHECK(printed == shipped);
  CHECK(m["oauth_config"]["scopes"] == manifest()["oauth_config"]["scopes"]);
}

TEST_CASE("whygo slack manifest refuses an address Slack would not take, and prints nothing",
          "[slack][manifest][cli]") {
  const std::string binary = std::string(WHYGO_BINARY) + " slack manifest";
  const auto unset = test::run("env -u WHYGO_PUBLIC_URL " + binary);
  CHECK(unset.exit_code == 2);
  CHECK(unset.out.empty());
  CHECK(unset.err.find("WHYGO_PUBLIC_URL is not set") != std::string::npos);
  const auto plain = test::run("WHYGO_PUBLIC_URL=http://bot.example.org " + binary);
  CHECK(plain.exit_code == 2);
  CHECK(plain.out.empty());
  CHECK(plain.err.find("https://") != std::string::npos);
  // Would break out of the YAML scalar.
  const auto injected = test::run("WHYGO_PUBLIC_URL='https://bot.example.org/#x' " + binary);
  CHECK(injected.exit_code == 2);
  CHECK(injected.out.empty());
  CHECK(test::run(binary + " extra").exit_code == 2);
}
