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
