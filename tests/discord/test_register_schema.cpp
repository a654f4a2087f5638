// What `whygo discord register` sends, checked against Discord's OpenAPI description of the bulk
// overwrite endpoints (an excerpt in tests/discord/application_commands.schema.json, with its
// source), both as a value and through the real binary against a fake Discord that refuses a body
// outside the schema the way Discord refuses a bad form: 400 with code 50035 "Invalid Form Body"
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/discord/register.hpp"
#include "tests/schema.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

json commands_schema() {
  return json::parse(
      test::read_text(std::string(WHYGO_SOURCE_DIR) + "/tests/discord/application_commands.schema.json"));
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

}  // namespace

TEST_CASE("register: the global and guild command bodies follow Discord's published schema",
          "[discord][register][schema]") {
  const json schema = commands_schema();
  for (const bool guild : {false, true}) {
    INFO((guild ? "guild" : "global"));
    const auto errors = test::schema_errors(schema, discord::command_definitions(guild));
    INFO(joined(errors));
    CHECK(errors.empty());
  }
}

TEST_CASE("register: the schema check refuses what Discord would", "[discord][register][schema]") {
  const json schema = commands_schema();
  json body = discord::command_definitions(false);
  body[0]["options"][0]["max_length"] = 6001;
  CHECK_FALSE(test::schema_errors(schema, body).empty());
  body = discord::command_definitions(false);
  body[0]["options"][0]["max_lenght"] = 10;  // a field Discord does not name
  CHECK_FALSE(test::schema_errors(schema, body).empty());
  body = discord::command_definitions(false);
  body[0]["contexts"] = json::array({0, 3});
  CHECK_FALSE(test::schema_errors(schema, body).empty());
  body = discord::command_definitions(false);
  body[0]["description"] = std::string(101, 'x');
  CHECK_FALSE(test::schema_errors(schema, body).empty());
}

TEST_CASE("register: `whygo discord register` is accepted by a Discord that checks the schema",
          "[discord][register][schema]") {
  test::TempDir dir;
  test::FakePlatform fake;
  const json schema = commands_schema();
  fake.routes().Put(
      R"(/applications/\d+(/guilds/\d+)?/commands)", [&schema](const httplib::Request& req, httplib::Response& res) {
        const json body = json::parse(req.body, nullptr, false);
        const auto errors = test::schema_errors(schema, body);
        if (body.is_discarded() || !errors.empty()) {
          res.status = 400;
          res.set_content(json{{"code", 50035}, {"message", "Invalid Form Body"}, {"errors", errors}}.dump(),
                          "application/json");
          return;
        }
        res.set_content(req.body, "application/json");
      });
  fake.start();
  const std::string env = "WHYGO_DB=" + dir.file("w.db") + " DISCORD_APPLICATION_ID=123 DISCORD_BOT_TOKEN=fake-token " +
                          "DISCORD_API_BASE=" + fake.base_url() + " ";
  for (const std::string args : {"", " --guild 4242"}) {
    const auto r = test::run(env + WHYGO_BINARY + " discord register" + args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
  CHECK(fake.requests().size() == 2);
}
