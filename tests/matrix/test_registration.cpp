// `whygo matrix registration`: the YAML the homeserver loads.
#include <catch2/catch.hpp>

#include <sstream>

#include "adapters/matrix/registration.hpp"
#include "tests/schema.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace whygo::matrix;

TEST_CASE("the registration YAML holds the required keys and an exclusive bot namespace", "[matrix][registration]") {
  Registration r;
  r.url = "http://whygo.internal:8080";
  r.as_token = "as-secret";
  r.hs_token = "hs-secret";
  r.bot_user = "@whygo:example.org";
  REQUIRE_FALSE(registration_problem(r));
  const std::string yaml = registration_yaml(r);
  CHECK(yaml.find("\nid: 'whygo'\n") != std::string::npos);
  CHECK(yaml.find("\nurl: 'http://whygo.internal:8080'\n") != std::string::npos);
  CHECK(yaml.find("\nas_token: 'as-secret'\n") != std::string::npos);
  CHECK(yaml.find("\nhs_token: 'hs-secret'\n") != std::string::npos);
  CHECK(yaml.find("\nsender_localpart: 'whygo'\n") != std::string::npos);
  CHECK(yaml.find("\nrate_limited: false\n") != std::string::npos);
  CHECK(yaml.find("namespaces:\n  users:\n    - exclusive: true\n      regex: '^@whygo:example\\.org$'\n"
                  "  aliases: []\n  rooms: []\n") != std::string::npos);
}

TEST_CASE("registration values that would break the YAML or the homeserver are refused", "[matrix][registration]") {
  Registration r;
  r.url = "http://127.0.0.1:8080";
  r.as_token = "a";
  r.hs_token = "h";
  r.bot_user = "@whygo:example.org";
  auto bad = r;
  bad.bot_user = "whygo";
  CHECK(registration_problem(bad));
  bad = r;
  bad.bot_user = "@WhyGo:example.org";  // would need URL-encoding in Synapse's eyes
  CHECK(registration_problem(bad));
  bad = r;
  bad.id = "x\nurl: evil";
  CHECK(registration_problem(bad));
  bad = r;
  bad.hs_token = bad.as_token;
  CHECK(registration_problem(bad));
  bad = r;
  bad.url = "ftp://x";
  CHECK(registration_problem(bad));
  // A quote cannot end the scalar early.
  auto quoted = r;
  quoted.id = "it's";
  CHECK(registration_yaml(quoted).find("id: 'it''s'") != std::string::npos);
  CHECK(user_regex("@a.b+c:x.org") == "^@a\\.b\\+c:x\\.org$");
  CHECK(random_token().size() == 64);
  CHECK(random_token() != random_token());
}

TEST_CASE("whygo matrix registration prints YAML from the environment", "[matrix][registration][cli]") {
  const auto r = test::run("MATRIX_AS_TOKEN=as-fake MATRIX_HS_TOKEN=hs-fake MATRIX_BOT_USER=@whygo:example.org " +
                           std::string(WHYGO_BINARY) + " matrix registration --url http://whygo:8080/");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\nurl: 'http://whygo:8080'\n") != std::string::npos);
  CHECK(r.out.find("\nas_token: 'as-fake'\n") != std::string::npos);
  CHECK(r.out.find("\nhs_token: 'hs-fake'\n") != std::string::npos);
  CHECK(r.err.empty());

  const auto generated =
      test::run("MATRIX_BOT_USER=@whygo:example.org " + std::string(WHYGO_BINARY) + " matrix registration");
  CHECK(generated.exit_code == 0);
  CHECK(generated.out.find("\nurl: 'http://127.0.0.1:8080'\n") != std::string::npos);
  CHECK(generated.out.find("as_token: '") != std::string::npos);
  CHECK(generated.err.find("MATRIX_AS_TOKEN") != std::string::npos);

  const auto missing = test::run(std::string("env -u MATRIX_BOT_USER ") + WHYGO_BINARY + " matrix registration");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("MATRIX_BOT_USER") != std::string::npos);
  CHECK(test::run(std::string(WHYGO_BINARY) + " matrix nonsense").exit_code == 2);
}

// The registration against the spec's schema of it (data/api/application-service/definitions/
// registration.yaml in matrix-org/matrix-spec, vendored with its source in tests/matrix/schema/).
TEST_CASE("whygo matrix registration follows the spec's registration schema", "[matrix][registration][schema]") {
  const std::string dir = std::string(WHYGO_SOURCE_DIR) + "/tests/matrix/schema";
  const auto schema = test::yaml_file_to_json(dir + "/registration.yaml");
  const auto r = test::run(
      "MATRIX_AS_TOKEN=as-fake MATRIX_HS_TOKEN=hs-fake MATRIX_BOT_USER=@whygo:example.org "
      "MATRIX_AS_ID=whygo-prod " +
      std::string(WHYGO_BINARY) + " matrix registration --url http://whygo:8080");
  REQUIRE(r.exit_code == 0);
  const auto registration = test::yaml_to_json(r.out);
  const auto errors = test::schema_errors(schema, registration, dir);
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  INFO(r.out << all);
  CHECK(errors.empty());
  CHECK(registration["id"] == "whygo-prod");  // the id the start-up ping names
  CHECK(registration["rate_limited"] == false);
  CHECK(registration["namespaces"]["users"][0]["exclusive"] == true);
  // README's example of the file, too.
  const auto example =
      test::yaml_file_to_json(std::string(WHYGO_SOURCE_DIR) + "/deploy/matrix/registration.example.yaml");
  CHECK(test::schema_errors(schema, example, dir).empty());
  // The check bites: a namespace without "exclusive", a token that is not a string.
  auto broken = registration;
  broken["namespaces"]["users"][0].erase("exclusive");
  CHECK_FALSE(test::schema_errors(schema, broken, dir).empty());
  broken = registration;
  broken["as_token"] = 42;
  CHECK_FALSE(test::schema_errors(schema, broken, dir).empty());
}
