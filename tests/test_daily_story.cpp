// The Go story of the day: the rotation, subscriptions, and exactly one post per channel per
// local day, against a fake platform API on loopback.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <set>

#include "bot/dispatcher.hpp"
#include "bot/local_time.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"
#include "bot/story.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace std::chrono_literals;

namespace {

std::int64_t day_number(const char* ymd) {
  return parse_date(ymd)->time_since_epoch().count();
}

std::chrono::system_clock::time_point utc(const char* ymd, int hour, int minute = 0) {
  return *parse_date(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

Reply in_channel(test::Fixture& f, const std::string& channel, const std::string& text) {
  Request r;
  r.platform = "fake";
  r.tenant = "T1";
  r.channel = channel;
  r.user = "admin";
  r.is_admin = true;
  r.text = text;
  f.clock.advance(1s);
  return f.app->dispatcher().handle(r);
}

// A platform at the network boundary: posts go over HTTP to a FakePlatform, through the same
// OutboundClient the real adapters use (retries without real sleeping).
Poster fake_poster(const std::string& base_url, bool idempotent) {
  Poster p;
  p.idempotent = idempotent;
  p.send = [base_url](const StoryPost& post) {
    OutboundClient client([](std::chrono::milliseconds) {});
    OutboundRequest request;
    request.url = base_url + "/post";
    request.body = nlohmann::json{{"channel", post.channel},
                                  {"key", post.idempotency_key},
                                  {"title", post.reply.title},
                                  {"link", post.reply.links.at(0).id}}
                       .dump();
    const auto response = client.send(request);
    return PostResult{response.ok(), response.attempts, response.ok() ? "" : response.body + response.error};
  };
  return p;
}

struct Delivered {
  std::string channel;
  std::string key;
  std::string title;
  std::chrono::system_clock::time_point at;
};

// Answers 429 or 500 to some first attempts, and records what it accepted and when.
struct FakeApi {
  std::mutex mutex;
  std::vector<Delivered> delivered;
  int calls = 0;
  test::FakePlatform platform;  // last: stopped before what its handlers touch goes
  explicit FakeApi(const ManualClock& clock) {
    platform.routes().Post("/post", [this, &clock](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      ++calls;
      if (calls % 7 == 3) {
        res.status = 429;
        res.set_header("Retry-After", "0");
        return;
      }
      if (calls % 11 == 5) {
        res.status = 500;
        return;
      }
      const auto body = nlohmann::json::parse(req.body);
      delivered.push_back({body["channel"], body["key"], body["title"], clock.now()});
      res.set_content("{\"ok\":true}", "application/json");
    });
    platform.start();
  }
  std::vector<Delivered> all() {
    std::lock_guard lock(mutex);
    return delivered;
  }
};

}  // namespace

TEST_CASE("the rotation shows every link once before any repeats, and a shown day never changes", "[story]") {
  test::Fixture f;
  const std::int64_t first = day_number("2026-11-27");
  std::set<std::int64_t> seen;
  for (std::int64_t d = first; d < first + 63; ++d) seen.insert(f.app->store().story_of(d, d)->id);
  CHECK(seen.size() == 63);
  const auto again = f.app->store().story_of(first + 10, first + 62);
  CHECK(again->id == f.app->store().story_of(first + 10, first + 62)->id);
  // Day 64 starts a new cycle.
  CHECK(f.app->store().story_of(first + 63, first + 63).has_value());
}

TEST_CASE("a date's story is told in advance and comes true", "[story]") {
  test::Fixture f;
  const std::int64_t today = day_number("2026-11-27");
  const auto predicted = f.app->store().story_of(today + 20, today)->id;
  for (std::int64_t d = today; d <= today + 20; ++d) f.app->store().story_of(d, d);
  CHECK(f.app->store().story_of(today + 20, today + 20)->id == predicted);
}

TEST_CASE("removed links are skipped and additions join the rotation", "[story]") {
  test::Fixture f;
  const std::int64_t today = day_number("2026-11-27");
  const auto upcoming = f.app->store().story_of(today + 1, today)->id;
  Actor admin{"test", "admin", 0};
  f.app->store().remove_link(upcoming, admin);
  CHECK(f.app->store().story_of(today + 1, today)->id != upcoming);
  Link added;
  added.title = "Go at Example";
  added.url = "https://example.org/go";
  added.section = "Why Go";
  const auto id = f.app->store().add_link(added, admin).link.id;
  std::set<std::int64_t> cycle;
  for (std::int64_t d = today; d < today + 63; ++d) cycle.insert(f.app->store().story_of(d, d)->id);
  CHECK(cycle.size() == 63);  // 63 active links, each once
  CHECK(cycle.count(id) == 1);
  CHECK(cycle.count(upcoming) == 0);
}

TEST_CASE("local times across DST changes are deliberate", "[story][time]") {
  const auto* paris = local_time::find_zone("Europe/Paris");
  REQUIRE(paris);
  // 02:30 does not exist on 29 Mar 2026 in Paris: the post goes at 03:00 CEST (01:00 UTC).
  CHECK(local_time::due_instant(paris, day_number("2026-03-29"), 150) == utc("2026-03-29", 1));
  // 02:30 happens twice on 25 Oct 2026: the first, CEST (00:30 UTC).
  CHECK(local_time::due_instant(paris, day_number("2026-10-25"), 150) == utc("2026-10-25", 0, 30));
  CHECK(local_time::due_instant(paris, day_number("2026-11-27"), 9 * 60) == utc("2026-11-27", 8));
  const auto* la = local_time::find_zone("America/Los_Angeles");
  CHECK(local_time::local_day(la, utc("2026-11-27", 7)) == day_number("2026-11-26"));
  CHECK_FALSE(local_time::find_zone("Mars/Olympus_Mons"));
  CHECK(local_time::parse_hhmm("08:30") == 510);
  CHECK(local_time::parse_hhmm("8:05") == 485);
  for (const char* bad : {"24:00", "8:5", "08:60", "0830", "ab:cd", ":30", "08:30:00"})
    CHECK_FALSE(local_time::parse_hhmm(bad));
}

TEST_CASE("admins subscribe channels with a time and a zone", "[story][subscribe]") {
  test::Fixture f;
  Reply r = in_channel(f, "C1", "subscribe");
  CHECK(r.error == ErrorKind::none);
  CHECK(r.text.find("09:00 UTC") != std::string::npos);
  r = in_channel(f, "C2", "subscribe 08:30 Europe/Paris");
  CHECK(r.text.find("08:30 Europe/Paris") != std::string::npos);
  CHECK(r.text.find("28 Nov 2026 at 08:30 CET") != std::string::npos);  // 08:00 UTC now: 08:30 CET is past... no: ahead
  CHECK(in_channel(f, "C2", "subscribe 25:00").text.find("HH:MM") != std::string::npos);
  CHECK(in_channel(f, "C2", "subscribe 08:00 Mars/Base").text.find("IANA") != std::string::npos);
  CHECK(in_channel(f, "C1", "subscribe 07:15 America/New_York").text.find("Changed") != std::string::npos);
  const auto list = in_channel(f, "C1", "subscriptions").text;
  CHECK(list.find("C1: 07:15 America/New_York (this channel)") != std::string::npos);
  CHECK(list.find("C2: 08:30 Europe/Paris") != std::string::npos);
  CHECK(f.ask("subscribe").error == ErrorKind::forbidden);
  CHECK(in_channel(f, "C2", "unsubscribe").error == ErrorKind::none);
  CHECK(in_channel(f, "C2", "unsubscribe").error == ErrorKind::bad_request);
  Config config;
  config.db_path = test::database(f.dir, "whygo.db");
  f.app.reset();
  App restarted(config, f.clock);
  REQUIRE(restarted.store().subscriptions().size() == 1);
  CHECK(restarted.store().subscriptions()[0].zone == "America/New_York");
}

TEST_CASE("thirty days, two zones, a DST change, a restart, 429s and 500s: one post per channel per day",
          "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-10-15", 0));
  FakeApi api(clock);
  Config config;
  config.db_path = test::database(dir, "w.db");
  auto app = std::make_unique<App>(config, clock);
  // Subscribed at the start: LA's 14 Oct post time (14:30 UTC) is already past, so it starts on the 15th.
  const auto subscribed_at = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
  app->store().subscribe({"fake", "paris", "T1", 8 * 60, "Europe/Paris", "admin", subscribed_at});
  app->store().subscribe({"fake", "la", "T1", 7 * 60 + 30, "America/Los_Angeles", "admin", subscribed_at});
  auto scheduler = std::make_unique<Scheduler>(
      app->store(), clock, std::map<std::string, Poster>{{"fake", fake_poster(api.platform.base_url(), false)}}, "p1");

  const auto end = utc("2026-11-14", 0);
  for (; clock.now() < end; clock.advance(10min)) {
    if (clock.now() == utc("2026-10-29", 12)) {  // restart mid-way
      scheduler.reset();
      app = std::make_unique<App>(config, clock);
      scheduler = std::make_unique<Scheduler>(
          app->store(), clock, std::map<std::string, Poster>{{"fake", fake_poster(api.platform.base_url(), false)}},
          "p2");
    }
    scheduler->tick();
    scheduler->wait_idle();
  }
  const auto delivered = api.all();
  std::map<std::pair<std::string, std::int64_t>, int> per_day;
  const auto* paris = local_time::find_zone("Europe/Paris");
  const auto* la = local_time::find_zone("America/Los_Angeles");
  for (const auto& d : delivered) {
    const auto* zone = d.channel == "paris" ? paris : la;
    const int minute = d.channel == "paris" ? 8 * 60 : 7 * 60 + 30;
    const auto day = local_time::local_day(zone, d.at);
    ++per_day[{d.channel, day}];
    // Sent at the local time (the clock moves in 10-minute steps).
    const auto due = local_time::due_instant(zone, day, minute);
    CHECK(d.at >= due);
    CHECK(d.at < due + 10min);
  }
  CHECK(api.calls > static_cast<int>(delivered.size()));  // errors were injected and retried
  for (const auto& [key, count] : per_day) CHECK(count == 1);
  // Oct 15 .. Nov 13 local: 30 days in each zone.
  CHECK(std::count_if(per_day.begin(), per_day.end(), [](const auto& e) { return e.first.first == "paris"; }) == 30);
  CHECK(std::count_if(per_day.begin(), per_day.end(), [](const auto& e) { return e.first.first == "la"; }) == 30);
  // Everyone gets the same story on a given date.
  CHECK(app->store().post_claims(day_number("2026-11-01")).size() == 2);
  const auto claims = app->store().post_claims(day_number("2026-11-01"));
  CHECK(claims[0].link_id == claims[1].link_id);
  CHECK(claims[0].status == PostStatus::sent);
}

TEST_CASE("a service down at post time catches up once the same day, never for past days", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 6));
  FakeApi api(clock);
  Config config;
  config.db_path = test::database(dir, "w.db");
  App app(config, clock);
  app.store().subscribe({"fake", "C1", "T1", 9 * 60, "UTC", "admin", 0});
  Scheduler scheduler(app.store(), clock, {{"fake", fake_poster(api.platform.base_url(), false)}}, "p1");
  scheduler.tick();
  scheduler.wait_idle();
  CHECK(api.all().empty());          // before 09:00
  clock.set(utc("2026-11-28", 15));  // down all of the 27th's post time and the 28th's
  scheduler.tick();
  scheduler.wait_idle();
  REQUIRE(api.all().size() == 1);
  CHECK(api.all()[0].title == "Go story of the day, 28 Nov 2026");
  scheduler.tick();
  scheduler.wait_idle();
  CHECK(api.all().size() == 1);
}

TEST_CASE("post-story twice, alongside the scheduler and a second process, posts once", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  FakeApi api(clock);
  Config config;
  config.db_path = test::database(dir, "w.db");
  App first(config, clock);
  App second(config, clock);
  first.store().subscribe({"fake", "C1", "T1", 9 * 60, "UTC", "admin", 0});
  first.store().subscribe({"fake", "C2", "T1", 9 * 60, "Asia/Tokyo", "admin", 0});
  Scheduler a(first.store(), clock, {{"fake", fake_poster(api.platform.base_url(), false)}}, "a");
  Scheduler b(second.store(), clock, {{"fake", fake_poster(api.platform.base_url(), false)}}, "b");
  const auto today = day_number("2026-11-27");
  std::thread t1([&] { a.post_now(today); });
  std::thread t2([&] { b.post_now(today); });
  std::thread t3([&] { a.tick(); });
  t1.join();
  t2.join();
  t3.join();
  b.post_now(today);
  a.wait_idle();
  b.wait_idle();
  const auto delivered = api.all();
  std::map<std::string, int> per_channel;
  for (const auto& d : delivered)
    if (d.title == "Go story of the day, 27 Nov 2026") ++per_channel[d.channel];
  CHECK(per_channel["C1"] == 1);
  CHECK(per_channel["C2"] == 1);
}

TEST_CASE("a send cut short by a crash is repeated only with an idempotency key", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 9, 5));
  FakeApi api(clock);
  Config config;
  config.db_path = test::database(dir, "w.db");
  App app(config, clock);
  app.store().subscribe({"fake", "C1", "T1", 9 * 60, "UTC", "admin", 0});
  app.store().subscribe({"other", "C2", "T1", 9 * 60, "UTC", "admin", 0});
  // A process claimed both posts at 09:00 and died before finishing.
  const auto today = day_number("2026-11-27");
  const auto link = app.store().story_of(today, today)->id;
  const auto claimed_at =
      std::chrono::duration_cast<std::chrono::seconds>(utc("2026-11-27", 9).time_since_epoch()).count();
  app.store().claim_post({"fake", "C1", today, link, PostStatus::claimed, "wgkey-fake", "dead", claimed_at, 0, ""});
  app.store().claim_post({"other", "C2", today, link, PostStatus::claimed, "wgkey-other", "dead", claimed_at, 0, ""});
  clock.set(utc("2026-11-27", 9, 30));  // past the claim lease
  Scheduler scheduler(app.store(), clock,
                      {{"fake", fake_poster(api.platform.base_url(), true)},     // honours the key
                       {"other", fake_poster(api.platform.base_url(), false)}},  // no key: like Slack
                      "p2");
  scheduler.tick();
  scheduler.wait_idle();
  const auto delivered = api.all();
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].channel == "C1");
  CHECK(delivered[0].key == "wgkey-fake");  // the same key as the first try
  CHECK(app.store().post_claim("fake", "C1", today)->status == PostStatus::sent);
  CHECK(app.store().post_claim("other", "C2", today)->status == PostStatus::abandoned);
  CHECK(scheduler.counts().abandoned == 1);
}

TEST_CASE("a stuck platform holds up no other, and thousands of channels post once each", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  Config config;
  config.db_path = test::database(dir, "w.db");
  App app(config, clock);
  constexpr int fast_channels = 2000;
  for (int i = 0; i < fast_channels; ++i)
    app.store().subscribe({"fast", "F" + std::to_string(i), "T", 9 * 60, "UTC", "a", 0});
  for (int i = 0; i < 5; ++i) app.store().subscribe({"a-stuck", "S" + std::to_string(i), "T", 9 * 60, "UTC", "a", 0});

  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  std::atomic<int> fast_posts{0}, stuck_posts{0};
  std::set<std::string> fast_seen;
  Poster stuck;
  stuck.workers = 1;
  stuck.send = [&](const StoryPost&) {
    std::unique_lock lock(mutex);
    released_cv.wait(lock, [&] { return released; });
    ++stuck_posts;
    return PostResult{true, 1, ""};
  };
  Poster fast;
  fast.send = [&](const StoryPost& post) {
    std::lock_guard lock(mutex);
    fast_seen.insert(post.channel);
    ++fast_posts;
    return PostResult{true, 1, ""};
  };
  Scheduler scheduler(app.store(), clock, {{"a-stuck", stuck}, {"fast", fast}}, "p");
  CHECK(scheduler.tick() == fast_channels + 5);  // the stuck platform's too, among the fast ones
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (fast_posts < fast_channels && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(fast_posts == fast_channels);
  CHECK(stuck_posts == 0);
  {
    std::lock_guard lock(mutex);
    released = true;
    CHECK(fast_seen.size() == static_cast<std::size_t>(fast_channels));
  }
  released_cv.notify_all();
  scheduler.wait_idle();
  CHECK(stuck_posts == 5);
  CHECK(scheduler.tick() == 0);  // nothing twice
  CHECK(fast_posts == fast_channels);
}

TEST_CASE("a failed daily post is told once, in the channel's next reply, and listed by subscriptions",
          "[story][subscribe]") {
  test::Fixture f;
  f.app->store().subscribe({"test", "C1", "T1", 9 * 60, "UTC", "admin", 0});
  f.app->store().subscribe({"test", "C2", "T1", 9 * 60, "UTC", "admin", 0});
  const auto day = day_number("2026-11-27");
  f.app->store().claim_post({"test", "C1", day, 1, PostStatus::claimed, "k1", "p", 0, 0, ""});
  f.app->store().finish_post("test", "C1", day, PostStatus::failed,
                             "Slack said not_in_channel: whygo is not in this channel. Invite it with /invite @whygo",
                             1, 0);
  f.app->store().claim_post({"test", "C2", day, 1, PostStatus::claimed, "k2", "p", 0, 0, ""});
  f.app->store().finish_post("test", "C2", day, PostStatus::sent, "", 1, 0);

  const Reply next = f.ask("docker");  // in C1
  CHECK(next.note.find("The Go story of the day could not be posted here on 27 Nov 2026: Slack said not_in_channel: "
                       "whygo is not in this channel. Invite it with /invite @whygo.") != std::string::npos);
  CHECK(f.ask("docker").note.find("could not be posted") == std::string::npos);  // once

  const Reply listed = f.ask("subscriptions", true);
  CHECK(listed.text.find("C1: 09:00 UTC (this channel). The Go story of the day could not be posted there on 27 Nov "
                         "2026: Slack said not_in_channel") != std::string::npos);
  CHECK(listed.text.ends_with("\nC2: 09:00 UTC"));  // sent: nothing to say
}

// Every chat request looks for a failed post to tell; a busy channel must not make each of them
// a query (on PostgreSQL, a round trip), so the store is asked once per channel and
// limits::failed_post_recheck.
TEST_CASE("a busy channel's requests do not each read its last daily post from the store", "[story][dispatcher]") {
  test::Fixture f;
  struct Counting final : Subscriptions {
    explicit Counting(Subscriptions& s) : inner(s) {}
    bool subscribe(const Subscription& s) override { return inner.subscribe(s); }
    bool unsubscribe(const std::string& p, const std::string& c) override { return inner.unsubscribe(p, c); }
    std::vector<Subscription> subscriptions(const std::string& p) override { return inner.subscriptions(p); }
    std::optional<PostClaim> last_post(const std::string& p, const std::string& c) override {
      ++reads[c];
      return inner.last_post(p, c);
    }
    Subscriptions& inner;
    std::map<std::string, int> reads;
  } counting(f.app->store());
  const AdminList admins;
  Services services{f.app->store(), f.app->store(), f.app->store(), counting, f.app->search(), f.clock, admins};
  Dispatcher dispatcher(services, f.app->store(), f.app->store());
  for (const auto& command : f.app->dispatcher().commands()) dispatcher.add(command);
  const auto ask = [&](const std::string& channel) {
    Request request;
    request.platform = "test";
    request.tenant = "T1";
    request.channel = channel;
    request.user = "someone";
    request.text = "help";
    return dispatcher.handle(request);
  };
  for (int i = 0; i < 50; ++i) ask("C1");
  ask("C2");
  CHECK(counting.reads["C1"] == 1);
  CHECK(counting.reads["C2"] == 1);
}

TEST_CASE("two processes posting through one database keep the platform's pace between them", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  Config config;
  config.db_path = test::database(dir, "w.db");
  App first(config, clock);
  App second(config, clock);
  constexpr int channels = 12;
  // The platform's side of the wire: when each send arrived, whichever process made it.
  std::mutex mutex;
  std::vector<std::chrono::system_clock::time_point> arrivals;
  Poster poster;
  poster.spacing = 100ms;
  poster.send = [&](const StoryPost&) {
    std::lock_guard lock(mutex);
    arrivals.push_back(std::chrono::system_clock::now());
    return PostResult{true, 1, ""};
  };
  Scheduler a(first.store(), clock, {{"paced", poster}}, "a");
  Scheduler b(second.store(), clock, {{"paced", poster}}, "b");
  const auto today = day_number("2026-11-27");
  // Half the channels are queued in A, then the other half in B while A still sends (post_now
  // claims and queues; the lanes send in the background).
  const auto subscribe = [&](int from, int to) {
    for (int i = from; i < to; ++i)
      first.store().subscribe({"paced", "C" + std::to_string(i), "T1", 9 * 60, "UTC", "admin", 0});
  };
  subscribe(0, channels / 2);
  CHECK(a.post_now(today) == channels / 2);
  subscribe(channels / 2, channels);
  CHECK(b.post_now(today) == channels / 2);
  a.wait_idle();
  b.wait_idle();
  REQUIRE(arrivals.size() == channels);  // each channel once
  CHECK(a.counts().sent == channels / 2);
  CHECK(b.counts().sent == channels / 2);
  std::sort(arrivals.begin(), arrivals.end());
  // The slots are 100 ms apart; what the platform sees moves by each send's own latency after its
  // slot (a database round trip, a thread woken), so each gap may be a little shorter. Paced per
  // process alone, two sends would arrive together and the whole would take half as long.
  const auto jitter = 50ms;
  for (std::size_t i = 1; i < arrivals.size(); ++i) {
    INFO("send " << i);
    CHECK(arrivals[i] - arrivals[i - 1] >= 100ms - jitter);
  }
  CHECK(arrivals.back() - arrivals.front() >= (channels - 1) * 100ms - jitter);
}

TEST_CASE("posts queued longer than a claim's lease are neither repeated nor abandoned by another process",
          "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  Config config;
  config.db_path = test::database(dir, "w.db");
  App first(config, clock);
  App second(config, clock);
  for (const char* channel : {"C1", "C2", "C3"})
    first.store().subscribe({"slow", channel, "T1", 9 * 60, "UTC", "admin", 0});
  // A's platform answers only when let; B's would post at once (and, without an idempotency
  // key, abandons a claim it takes for a dead process's).
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  std::vector<std::string> posted;
  Poster held;
  held.workers = 1;
  held.send = [&](const StoryPost& post) {
    std::unique_lock lock(mutex);
    opened.wait(lock, [&] { return open; });
    posted.push_back(post.channel);
    return PostResult{true, 1, ""};
  };
  Poster quick;
  quick.send = [&](const StoryPost& post) {
    std::lock_guard lock(mutex);
    posted.push_back("B " + post.channel);
    return PostResult{true, 1, ""};
  };
  Scheduler a(first.store(), clock, {{"slow", held}}, "a");
  Scheduler b(second.store(), clock, {{"slow", quick}}, "b");
  CHECK(a.tick() == 3);  // claimed and queued; the first send waits on the platform
  clock.advance(6min);
  a.tick();  // renews the claims still queued
  clock.advance(5min);
  CHECK(b.tick() == 0);  // 11 minutes after the claims: not stale
  b.wait_idle();
  {
    std::lock_guard lock(mutex);
    open = true;
  }
  opened.notify_all();
  a.wait_idle();
  CHECK(b.counts().abandoned == 0);
  std::sort(posted.begin(), posted.end());
  CHECK(posted == std::vector<std::string>{"C1", "C2", "C3"});
  for (const auto& claim : first.store().post_claims(day_number("2026-11-27"))) CHECK(claim.status == PostStatus::sent);
}

// Slack's limits are per workspace (https://docs.slack.dev/apis/web-api/rate-limits: "per API
// method per workspace/team per app"): a poster paced per tenant keeps one pace per workspace
// across processes, and different workspaces go out side by side.
TEST_CASE("two processes keep each workspace's pace between them, and workspaces go out side by side",
          "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  Config config;
  config.db_path = test::database(dir, "w.db");
  App first(config, clock);
  App second(config, clock);
  constexpr auto spacing = 250ms;
  constexpr int per_workspace = 6;
  struct Arrival {
    std::string tenant;
    std::string channel;
    std::chrono::system_clock::time_point at;
  };
  std::mutex mutex;
  std::vector<Arrival> arrivals;
  Poster poster;
  poster.spacing = spacing;
  poster.pace_scope = PaceScope::tenant;
  poster.send = [&](const StoryPost& post) {
    std::lock_guard lock(mutex);
    arrivals.push_back({post.tenant, post.channel, std::chrono::system_clock::now()});
    return PostResult{true, 1, ""};
  };
  Scheduler a(first.store(), clock, {{"paced", poster}}, "a");
  Scheduler b(second.store(), clock, {{"paced", poster}}, "b");
  const auto today = day_number("2026-11-27");
  // Each process gets half of each workspace's channels; the channels come sorted, so each
  // process's queue holds the first workspace's posts before the second's.
  const auto subscribe = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      first.store().subscribe({"paced", "A" + std::to_string(i), "T1", 9 * 60, "UTC", "admin", 0});
      first.store().subscribe({"paced", "B" + std::to_string(i), "T2", 9 * 60, "UTC", "admin", 0});
    }
  };
  subscribe(0, per_workspace / 2);
  CHECK(a.post_now(today) == per_workspace);
  subscribe(per_workspace / 2, per_workspace);
  CHECK(b.post_now(today) == per_workspace);
  a.wait_idle();
  b.wait_idle();
  REQUIRE(arrivals.size() == 2 * per_workspace);
  std::set<std::string> channels;
  for (const auto& arrival : arrivals) channels.insert(arrival.channel);
  CHECK(channels.size() == 2 * per_workspace);  // each channel once
  CHECK(a.counts().sent + b.counts().sent == 2 * per_workspace);
  std::sort(arrivals.begin(), arrivals.end(), [](const Arrival& x, const Arrival& y) { return x.at < y.at; });
  // Within a workspace, slots are `spacing` apart whichever process sends (less each send's own
  // latency after its slot, as in the test above).
  const auto jitter = 50ms;
  for (const char* tenant : {"T1", "T2"}) {
    std::vector<std::chrono::system_clock::time_point> times;
    for (const auto& arrival : arrivals)
      if (arrival.tenant == tenant) times.push_back(arrival.at);
    REQUIRE(times.size() == per_workspace);
    for (std::size_t i = 1; i < times.size(); ++i) {
      INFO(tenant << " send " << i);
      CHECK(times[i] - times[i - 1] >= spacing - jitter);
    }
  }
  // The two workspaces overlap: the second's first post does not wait for the first's to end,
  // and the whole takes about one workspace's time (5 spacings), where one pace for the platform
  // would take 11.
  const auto first_of = [&](const char* tenant) {
    return std::find_if(arrivals.begin(), arrivals.end(), [&](const Arrival& x) { return x.tenant == tenant; })->at;
  };
  CHECK(std::max(first_of("T1"), first_of("T2")) - arrivals.front().at < spacing);
  CHECK(arrivals.back().at - arrivals.front().at < (2 * per_workspace - 2) * spacing);
}

TEST_CASE("a busy workspace holds up no other on the same platform", "[story][scheduler]") {
  test::TempDir dir;
  ManualClock clock(utc("2026-11-27", 10));
  Config config;
  config.db_path = test::database(dir, "w.db");
  App app(config, clock);
  // Eight channels of T1 come before T2's one (sorted by channel), and two threads send: taken in
  // queue order, both would wait on T1's pace and T2's post would go out last.
  for (int i = 0; i < 8; ++i)
    app.store().subscribe({"paced", "A" + std::to_string(i), "T1", 9 * 60, "UTC", "admin", 0});
  app.store().subscribe({"paced", "Z", "T2", 9 * 60, "UTC", "admin", 0});
  std::mutex mutex;
  std::vector<std::string> order;
  Poster poster;
  poster.spacing = 200ms;
  poster.pace_scope = PaceScope::tenant;
  poster.workers = 2;
  poster.send = [&](const StoryPost& post) {
    std::lock_guard lock(mutex);
    order.push_back(post.channel);
    return PostResult{true, 1, ""};
  };
  Scheduler scheduler(app.store(), clock, {{"paced", poster}}, "p");
  CHECK(scheduler.post_now(day_number("2026-11-27")) == 9);
  scheduler.wait_idle();
  REQUIRE(order.size() == 9);
  const auto z = std::find(order.begin(), order.end(), "Z") - order.begin();
  INFO("Z went out " << z + 1 << "th");
  CHECK(z <= 2);  // with T1's first post or the next; T1's second waits 200 ms
}
