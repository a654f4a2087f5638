#include <catch2/catch.hpp>

#include <cstdlib>

#include "bot/config.hpp"

using namespace whygo;

namespace {
// Sets an environment variable for one test and restores it after.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { setenv(name.c_str(), value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name.c_str()); }
};
}  // namespace

TEST_CASE("admins are read from WHYGO_ADMINS by stable platform id", "[config]") {
  ScopedEnv admins("WHYGO_ADMINS",
                   " slack:U012AB3CD, discord:80351110224678912 ,matrix:@alice-with-a-long-name:example.org,");
  const Config c = Config::from_environment();
  REQUIRE(c.admins.size() == 3);
  CHECK(c.is_admin("slack", "U012AB3CD"));
  CHECK(c.is_admin("discord", "80351110224678912"));
  CHECK(c.is_admin("matrix", "@alice-with-a-long-name:example.org"));
  CHECK_FALSE(c.is_admin("slack", "U999"));
  CHECK_FALSE(c.is_admin("discord", "U012AB3CD"));
  CHECK_FALSE(c.is_admin("slack", ""));
}

TEST_CASE("malformed settings name their variable", "[config]") {
  {
    ScopedEnv admins("WHYGO_ADMINS", "slack:U1,nonsense");
    CHECK_THROWS_WITH(Config::from_environment(), Catch::Contains("WHYGO_ADMINS"));
  }
  {
    ScopedEnv listen("WHYGO_LISTEN", "localhost");
    CHECK_THROWS_WITH(Config::from_environment(), Catch::Contains("WHYGO_LISTEN"));
  }
  ScopedEnv listen("WHYGO_LISTEN", "[::1]:9090");
  const Config c = Config::from_environment();
  CHECK(c.listen.host == "::1");
  CHECK(c.listen.port == 9090);
}

TEST_CASE("adapters are on only with their secrets; API bases lose trailing slashes", "[config]") {
  ScopedEnv base("SLACK_API_BASE", "http://127.0.0.1:9/api/");
  Config c = Config::from_environment();
  CHECK_FALSE(c.slack.enabled());
  CHECK(c.slack.api_base == "http://127.0.0.1:9/api");
  ScopedEnv secret("SLACK_SIGNING_SECRET", "s");
  c = Config::from_environment();
  CHECK(c.slack.enabled());
}
