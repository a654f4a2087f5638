#include <catch2/catch.hpp>

#include <cstdlib>

#include "adapters/slack/config.hpp"

using namespace whygo;

namespace {
// Sets an environment variable for one test and restores it after.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { setenv(name.c_str(), value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name.c_str()); }
};
}  // namespace

TEST_CASE("adapters are on only with their secrets; API bases lose trailing slashes", "[config]") {
  ScopedEnv base("SLACK_API_BASE", "http://127.0.0.1:9/api/");
  slack::SlackConfig c = slack::SlackConfig::load(nullptr);
  CHECK_FALSE(c.enabled());
  CHECK(c.api_base == "http://127.0.0.1:9/api");
  ScopedEnv secret("SLACK_SIGNING_SECRET", "s");
  c = slack::SlackConfig::load(nullptr);
  CHECK(c.enabled());
}
