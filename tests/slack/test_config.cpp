#include <catch2/catch.hpp>

#include <cstdlib>

#include "adapters/slack/config.hpp"
#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("adapters are on only with their secrets, API bases lose trailing slashes", "[config]") {
  test::ScopedEnv base("SLACK_API_BASE", "http://127.0.0.1:9/api/");
  slack::SlackConfig c = slack::SlackConfig::load(nullptr);
  CHECK_FALSE(c.enabled());
  CHECK(c.api_base == "http://127.0.0.1:9/api");
  test::ScopedEnv secret("SLACK_SIGNING_SECRET", "s");
  c = slack::SlackConfig::load(nullptr);
  CHECK(c.enabled());
}
