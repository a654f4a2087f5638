#include <catch2/catch.hpp>

#include <cstdlib>

#include "app/adapters.hpp"
#include "bot/config.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {
Config from_environment() {
  return Config::load({}, platform_names(), chat_platform_names());
}
}  // namespace

TEST_CASE("admins are read from WHYGO_ADMINS by stable platform id", "[config]") {
  test::ScopedEnv admins("WHYGO_ADMINS",
                         " slack:U012AB3CD, discord:80351110224678912 ,matrix:@alice-with-a-long-name:example.org,");
  const Config c = from_environment();
  REQUIRE(c.admins.size() == 3);
  CHECK(c.admins.listed("slack", "U012AB3CD"));
  CHECK(c.admins.listed("discord", "80351110224678912"));
  CHECK(c.admins.listed("matrix", "@alice-with-a-long-name:example.org"));
  CHECK_FALSE(c.admins.listed("slack", "U999"));
  CHECK_FALSE(c.admins.listed("discord", "U012AB3CD"));
  CHECK_FALSE(c.admins.listed("slack", ""));
}

TEST_CASE("malformed settings name their variable", "[config]") {
  {
    test::ScopedEnv admins("WHYGO_ADMINS", "slack:U1,nonsense");
    CHECK_THROWS_WITH(from_environment(), Catch::Contains("WHYGO_ADMINS"));
  }
  {
    // The web's readers are anonymous: nobody there can be an admin.
    test::ScopedEnv admins("WHYGO_ADMINS", "slack:U1,web:someone");
    CHECK_THROWS_WITH(from_environment(),
                      Catch::Contains("WHYGO_ADMINS") && Catch::Contains("slack, discord or matrix"));
  }
  {
    test::ScopedEnv listen("WHYGO_LISTEN", "localhost");
    CHECK_THROWS_WITH(from_environment(), Catch::Contains("WHYGO_LISTEN"));
  }
  test::ScopedEnv listen("WHYGO_LISTEN", "[::1]:9090");
  const Config c = from_environment();
  CHECK(c.listen.host == "::1");
  CHECK(c.listen.port == 9090);
}
