// Two `whygo serve` replicas on one PostgreSQL database (the test cluster of tests/postgres.hpp),
// driven as Slack drives them: whichever replica a request reaches, the catalog is one, a
// retried event is answered once, and the daily post goes out once per channel and day even
// with both schedulers and a cron `post-story` racing for it; a replica killed mid-burst loses
// nothing it acknowledged.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "tests/slack/fake_slack.hpp"
#include "tests/slack/slack_requests.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace whygo::test::slack_requests;
using nlohmann::json;

namespace {

const std::vector<std::string> channels = {"C0REP1", "C0REP2", "C0REP3", "C0REP4"};

std::vector<std::string> replica_env(const test::FakeSlack& fake) {
  auto env = fake.env();
  env.push_back("WHYGO_ADMINS=slack:U0ADM1,slack:U0ADM2,slack:U0ADM3,slack:U0ADM4,slack:U0ADM5");
  return env;
}

json slash(const test::ServerProcess& replica, const test::FakeSlack& fake, const std::string& text,
           const std::string& user, const std::string& channel = "C0TEST") {
  httplib::Client client("127.0.0.1", replica.port());
  const std::string body = command_body(text, user, "T0TEST", channel, fake.base_url() + "/commands/T0TEST/1/x");
  const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

json mention(const std::string& event_id, const std::string& ts) {
  return {{"token", "deprecated-fake"},
          {"team_id", "T0TEST"},
          {"api_app_id", "A0TEST"},
          {"event",
           {{"type", "app_mention"},
            {"user", "U0TEST"},
            {"text", "<@U0BOT> docker"},
            {"ts", ts},
            {"channel", "C0TEST"},
            {"event_ts", ts}}},
          {"type", "event_callback"},
          {"event_id", event_id},
          {"event_time", 1700000000}};
}

}  // namespace

TEST_CASE("two replicas on one PostgreSQL: one catalog, events answered once, one post per channel and day",
          "[slack][server][postgresql]") {
  test::FakeSlack fake;
  const std::string db = test::new_postgres_database();
  const auto env = replica_env(fake);
  test::ServerProcess a(env, db);

  // Subscriptions made through replica A.
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const json reply = slash(a, fake, "subscribe 00:00 UTC", "U0ADM" + std::to_string(i + 1), channels[i]);
    CHECK(reply.dump().find("00:00 UTC") != std::string::npos);
  }
  {
    // As if they were made yesterday: today's post is due now (a channel subscribed after
    // today's time would start tomorrow).
    pqxx::connection c(db);
    pqxx::work tx(c);
    CHECK(tx.exec("UPDATE subscriptions SET created_at = created_at - 2 * 86400").affected_rows() == channels.size());
    tx.commit();
  }

  // Replica B starts (its scheduler ticks at once) while a cron post-story runs beside both.
  std::string cron_command = "WHYGO_DB='" + db + "'";
  for (const auto& e : env) cron_command += " " + e;  // no spaces in these values
  cron_command += std::string(" ") + WHYGO_BINARY + " post-story";
  std::thread cron([&] { test::run(cron_command); });
  test::ServerProcess b(env, db);
  cron.join();

  // An add through A is found through B within a second.
  const auto added_at = std::chrono::steady_clock::now();
  const json added =
      slash(a, fake, "add https://example.org/replicas-on-postgresql Replicas on PostgreSQL at Example", "U0ADM5");
  CHECK(added.dump().find("Added #") != std::string::npos);
  bool found = false;
  while (!found && std::chrono::steady_clock::now() - added_at < std::chrono::seconds(1))
    found = slash(b, fake, "replicas", "U0TEST").dump().find("Replicas on PostgreSQL at Example") != std::string::npos;
  CHECK(found);

  // A retried event that reaches the other replica is acknowledged and not answered again.
  const std::string event = mention("Ev0REPLICA", "1700000123.000100").dump();
  {
    httplib::Client to_a("127.0.0.1", a.port());
    REQUIRE(to_a.Post("/slack/events", signed_headers(event), event, "application/json")->status == 200);
    httplib::Client to_b("127.0.0.1", b.port());
    auto headers = signed_headers(event);
    headers.emplace("X-Slack-Retry-Num", "1");
    headers.emplace("X-Slack-Retry-Reason", "http_timeout");
    REQUIRE(to_b.Post("/slack/events", headers, event, "application/json")->status == 200);
  }

  // Both schedulers tick again (every 15 s) before the posts are counted.
  std::this_thread::sleep_for(std::chrono::seconds(17));
  CHECK(a.stop() == 0);
  CHECK(b.stop() == 0);
  std::map<std::string, int> per_channel;
  int answers = 0;
  for (const auto& post : fake.posts_to("/chat.postMessage")) {
    const json message = json::parse(post.body);
    if (message.contains("thread_ts") && message.at("thread_ts") == "1700000123.000100") ++answers;
    if (message.dump().find("Go story of the day") != std::string::npos) ++per_channel[message.at("channel")];
  }
  CHECK(answers == 1);
  REQUIRE(per_channel.size() == channels.size());
  for (const auto& [channel, posts] : per_channel) {
    INFO(channel);
    CHECK(posts == 1);
  }
}

TEST_CASE("SIGKILL of one replica mid-burst loses no acknowledged change", "[slack][server][postgresql]") {
  test::FakeSlack fake;
  const std::string db = test::new_postgres_database();
  const auto env = replica_env(fake);
  test::ServerProcess a(env, db);
  test::ServerProcess b(env, db);
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // URLs whose add replica A answered "Added"
  std::thread burst([&] {
    for (int i = 0; i < 300; ++i) {
      httplib::Client client("127.0.0.1", a.port());
      client.set_connection_timeout(std::chrono::seconds(1));
      const std::string url = "https://example.org/burst/" + std::to_string(i);
      const std::string body =
          command_body("add " + url + " Burst link number " + std::to_string(i), "U0ADM" + std::to_string(i % 5 + 1),
                       "T0TEST", "C0TEST", fake.base_url() + "/commands/T0TEST/1/x");
      const auto res = client.Post("/slack/commands", signed_headers(body), body, form_type);
      if (res && res->status == 200 && res->body.find("Added #") != std::string::npos) {
        std::lock_guard lock(mutex);
        acknowledged.push_back(url);
      }
    }
  });
  // Mid-burst: the process dies as the OOM killer would end it, between two writes or inside one.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 5 || std::chrono::steady_clock::now() > deadline) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(a.kill_now() == 9);
  burst.join();
  REQUIRE(acknowledged.size() >= 5);
  // Every acknowledged add is in the catalog, and the surviving replica finds it.
  const auto store = open_database(db);
  for (const auto& url : acknowledged) {
    INFO(url);
    CHECK(store->find_by_url(url));
  }
  const json found = slash(b, fake, "burst link number", "U0TEST");
  CHECK(found.dump().find("Burst link number") != std::string::npos);
  CHECK(b.stop() == 0);
}

TEST_CASE("two replicas on one PostgreSQL share each user's write limit", "[slack][server][postgresql]") {
  test::FakeSlack fake;
  const std::string db = test::new_postgres_database();
  const auto env = replica_env(fake);
  test::ServerProcess a(env, db);
  test::ServerProcess b(env, db);
  // One admin's adds, split between the replicas as a load balancer would: the burst
  // (limits::write_burst, 10) is one allowance, not one per replica.
  const auto started = std::chrono::steady_clock::now();
  int added = 0;
  int refused_by_a = 0;
  int refused_by_b = 0;
  for (int i = 0; i < 24; ++i) {
    const auto& replica = i % 2 == 0 ? a : b;
    const std::string text =
        slash(replica, fake,
              "add https://example.org/limited/" + std::to_string(i) + " Limited link " + std::to_string(i), "U0ADM1")
            .dump();
    if (text.find("Added #") != std::string::npos) {
      ++added;
    } else {
      CHECK(text.find("a lot of changes") != std::string::npos);
      ++(i % 2 == 0 ? refused_by_a : refused_by_b);
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // One more for every refill period (6 s) the loop took.
  const auto refilled = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count() / 6;
  CHECK(added >= 10);
  CHECK(added <= 10 + refilled);
  CHECK(refused_by_a > 0);
  CHECK(refused_by_b > 0);
  // Another admin still has a whole allowance, on either replica.
  CHECK(slash(b, fake, "add https://example.org/limited/other Other limited link", "U0ADM2").dump().find("Added #") !=
        std::string::npos);
  CHECK(a.stop() == 0);
  CHECK(b.stop() == 0);
}
