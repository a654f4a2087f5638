// GET /install through the real `whygo serve`: one entry per platform that is on and can be
// installed by its users, and nothing for a platform that is off.
#include <httplib.h>

#include <catch2/catch.hpp>

#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("/install lists the install links of the platforms that are on", "[server][install]") {
  test::TempDir dir;
  const std::string public_key(64, 'a');
  test::ServerProcess server(
      {"SLACK_SIGNING_SECRET=s", "SLACK_CLIENT_ID=1111.2222", "SLACK_CLIENT_SECRET=c",
       "WHYGO_PUBLIC_URL=https://whygo.example.org",
       "WHYGO_SECRET_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
       "DISCORD_PUBLIC_KEY=" + public_key, "DISCORD_APPLICATION_ID=123456789012345678", "MATRIX_AS_TOKEN=a",
       "MATRIX_HS_TOKEN=h", "MATRIX_BOT_USER=@whygo:example.org", "MATRIX_HOMESERVER_URL=http://127.0.0.1:9"},
      dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/install");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").starts_with("text/html"));
  CHECK(res->body.find("<a href=\"https://whygo.example.org/slack/install\">Add to Slack</a>") != std::string::npos);
  CHECK(res->body.find("<a href=\"https://discord.com/oauth2/authorize?client_id=123456789012345678&amp;scope="
                       "applications.commands+bot&amp;permissions=84992\">Add to Discord</a>") != std::string::npos);
  CHECK(res->body.find("Invite @whygo:example.org") != std::string::npos);
}

TEST_CASE("/install offers nothing for a platform that is off", "[server][install]") {
  test::TempDir dir;
  // Slack is on but without Add to Slack (no WHYGO_SECRET_KEY); the others are off.
  test::ServerProcess server({"SLACK_SIGNING_SECRET=s", "SLACK_CLIENT_ID=1111.2222", "SLACK_CLIENT_SECRET=c",
                              "WHYGO_PUBLIC_URL=https://whygo.example.org", "DISCORD_APPLICATION_ID=123"},
                             dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/install");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.find("Add to") == std::string::npos);
  CHECK(res->body.find("No platform offers an install link") != std::string::npos);
}
