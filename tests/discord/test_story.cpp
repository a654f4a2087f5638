// The daily story on Discord when a send was cut short by a crash: the scheduler repeats it after
// the claim's lease (10 minutes), longer ago than Discord remembers a nonce ("checked for
// uniqueness in the past few minutes", https://discord.com/developers/docs/resources/message,
// "Create Message"). The fake forgets nonces after 5 minutes.
#include <catch2/catch.hpp>

#include "adapters/discord/poster.hpp"
#include "bot/scheduler.hpp"
#include "bot/story.hpp"
#include "tests/discord/fake_discord.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

std::chrono::system_clock::time_point at(int hour, int minute) {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

struct Rig {
  test::TempDir dir;
  ManualClock clock{at(9, 0)};
  test::FakeDiscord fake{[this] { return clock.now(); }};
  OutboundClient outbound{[](std::chrono::milliseconds) {}};
  discord::DiscordConfig config;
  std::unique_ptr<App> app;
  std::int64_t today = 0;

  Rig() {
    fake.start();
    config.application_id = "123";
    config.bot_token = "fake-token";
    config.api_base = fake.base_url();
    Config settings;
    settings.db_path = dir.file("w.db");
    app = std::make_unique<App>(settings, clock);
    app->store().subscribe({"discord", "7", "42", 9 * 60, "UTC", "admin", 0});
    today = std::chrono::floor<std::chrono::days>(at(9, 0)).time_since_epoch().count();
  }

  // 09:00: a process claims the post and dies mid-send; `arrived` says whether Discord got it.
  void crash_mid_send(bool arrived) {
    const date::sys_days day{date::days{today}};
    const std::string key = "wg0000000000012026112";
    app->store().claim_post({"discord", "7", today, app->store().story_of(today, today)->id, PostStatus::claimed, key,
                             "dead", unix_seconds(clock), 0, ""});
    if (arrived) {
      Poster first = discord::story_poster(config, outbound, clock);
      REQUIRE(first.send(StoryPost{"discord", "42", "7", story_reply(app->store(), day, day), key}).sent);
    }
  }

  // 09:30: another process finds the stale claim and deals with it.
  void recover() {
    clock.set(at(9, 30));
    Scheduler scheduler(app->store(), clock, {{"discord", discord::story_poster(config, outbound, clock)}}, "p2");
    scheduler.tick();
    scheduler.wait_idle();
  }
};

}  // namespace

TEST_CASE("story: a post repeated after a crash is not posted twice though Discord forgot the nonce",
          "[discord][story]") {
  Rig rig;
  rig.crash_mid_send(true);
  REQUIRE(rig.fake.channel("7").size() == 1);
  rig.recover();
  CHECK(rig.fake.channel("7").size() == 1);
  CHECK(rig.app->store().post_claim("discord", "7", rig.today)->status == PostStatus::sent);
}

TEST_CASE("story: a post that never arrived before the crash is made once", "[discord][story]") {
  Rig rig;
  rig.crash_mid_send(false);
  rig.recover();
  const auto posted = rig.fake.channel("7");
  REQUIRE(posted.size() == 1);
  CHECK(posted[0].body.dump().find("Go story of the day, 27 Nov 2026") != std::string::npos);
  CHECK(rig.app->store().post_claim("discord", "7", rig.today)->status == PostStatus::sent);
}

TEST_CASE("story: other messages in the channel, even the bot's, are not taken for the story", "[discord][story]") {
  Rig rig;
  rig.crash_mid_send(false);
  // Yesterday's story by the bot, and today's heading quoted by someone else.
  const nlohmann::json yesterday = {{"content", "**Go story of the day, 26 Nov 2026**"}};
  rig.fake.seed("7", {"1", rig.fake.bot_user_id, yesterday, "", at(8, 0)});
  rig.fake.seed("7", {"2", "555", {{"content", "**Go story of the day, 27 Nov 2026**"}}, "", at(9, 1)});
  rig.recover();
  CHECK(rig.fake.channel("7").size() == 3);
}
