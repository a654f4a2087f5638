// A fake Slack and Discord on loopback for the fan-out bench (issue 18, bench/fanout.sh): takes
// the daily story's posts, holds whygo to each platform's documented rate limits, answering 429
// with Retry-After as the platform does, and records every post it accepts.
//
//   whygo_bench_fanout_platform PORT [SLACK_PER_WORKSPACE_PER_MINUTE=300] [LATENCY_MS=0]
//
// LATENCY_MS holds every answer that long (outside the lock), as a platform far away would: on
// loopback a call takes about a millisecond, so without it the bench measures the pace alone.
//
// Slack chat.postMessage (https://docs.slack.dev/reference/methods/chat.postMessage,
// https://docs.slack.dev/apis/web-api/rate-limits): "1 message per second to a specific channel",
// and "several hundred messages per minute" per workspace, read here as a rolling minute of
// SLACK_PER_WORKSPACE_PER_MINUTE (300 by default, the low end of "several hundred"). Over either:
// HTTP 429, {"ok":false,"error":"ratelimited"} and a Retry-After header in seconds. Slack knows a
// post's workspace from its token; here every workspace shares SLACK_BOT_TOKEN, so the bench
// names channels C<workspace>N<number> and the workspace is read from the channel id.
//
// Discord Create Message (https://discord.com/developers/docs/topics/rate-limits): "All bots can
// make up to 50 requests per second to our API", counted here over a rolling second of every
// request the bot makes; over it: 429 with a JSON body {"message", "retry_after" (float seconds),
// "global": true}, the Retry-After header and X-RateLimit-Global: true. The per-route buckets are
// per channel, and the bench posts once per channel, so they are not modelled.
//
// GET /stats answers what was recorded (JSON); GET /healthz answers ok.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::system_clock;
using nlohmann::json;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// The most events in any window of `width` ms, from sorted times.
std::size_t busiest(const std::vector<std::int64_t>& times, std::int64_t width) {
  std::size_t best = 0;
  std::size_t from = 0;
  for (std::size_t to = 0; to < times.size(); ++to) {
    while (times[to] - times[from] >= width) ++from;
    best = std::max(best, to - from + 1);
  }
  return best;
}

struct Platform {
  std::map<std::string, int> posts_per_channel;  // accepted posts
  std::vector<std::int64_t> accepted_at;         // unix ms, in arrival order
  std::size_t rate_limited = 0;                  // 429s answered
  std::size_t requests = 0;

  json stats() const {
    std::size_t duplicates = 0;
    for (const auto& [channel, posts] : posts_per_channel) duplicates += static_cast<std::size_t>(posts - 1);
    std::vector<std::int64_t> times = accepted_at;
    std::sort(times.begin(), times.end());
    return {{"requests", requests},
            {"accepted", accepted_at.size()},
            {"channels", posts_per_channel.size()},
            {"duplicates", duplicates},
            {"rate_limited", rate_limited},
            {"first_ms", times.empty() ? 0 : times.front()},
            {"last_ms", times.empty() ? 0 : times.back()},
            {"busiest_second", busiest(times, 1000)},
            {"busiest_minute", busiest(times, 60'000)}};
  }
};

class Fake {
 public:
  explicit Fake(std::size_t slack_per_minute) : slack_per_minute_(slack_per_minute) {}

  void slack_post(const httplib::Request& req, httplib::Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    const std::string channel = body.is_object() ? body.value("channel", "") : "";
    const auto n = channel.find('N');
    if (channel.size() < 3 || channel[0] != 'C' || n == std::string::npos) {
      res.set_content(R"({"ok":false,"error":"channel_not_found"})", "application/json");
      return;
    }
    const std::string workspace = channel.substr(1, n - 1);
    const std::int64_t now = now_ms();
    std::lock_guard lock(mutex_);
    ++slack_.requests;
    // Per channel: one a second.
    std::int64_t retry_ms = 0;
    if (const auto last = slack_channel_last_.find(channel);
        last != slack_channel_last_.end() && now - last->second < 1000)
      retry_ms = 1000 - (now - last->second);
    // Per workspace: a rolling minute.
    std::deque<std::int64_t>& minute = slack_workspace_minute_[workspace];
    while (!minute.empty() && now - minute.front() >= 60'000) minute.pop_front();
    if (minute.size() >= slack_per_minute_) retry_ms = std::max(retry_ms, 60'000 - (now - minute.front()));
    if (retry_ms > 0) {
      ++slack_.rate_limited;
      ++slack_workspace_429_[workspace];
      res.status = 429;
      res.set_header("Retry-After", std::to_string((retry_ms + 999) / 1000));  // whole seconds
      res.set_content(R"({"ok":false,"error":"ratelimited"})", "application/json");
      return;
    }
    minute.push_back(now);
    slack_channel_last_[channel] = now;
    ++slack_.posts_per_channel[channel];
    slack_.accepted_at.push_back(now);
    slack_workspace_times_[workspace].push_back(now);
    const std::string ts =
        std::to_string(now / 1000) + "." + std::to_string(100000 + slack_.accepted_at.size() % 900000);
    res.set_content(json{{"ok", true}, {"channel", channel}, {"ts", ts}}.dump(), "application/json");
  }

  void discord_post(const httplib::Request& req, httplib::Response& res) {
    const std::string channel = req.matches[1];
    const std::int64_t now = now_ms();
    std::lock_guard lock(mutex_);
    if (!discord_global(now, res)) return;
    ++discord_.posts_per_channel[channel];
    discord_.accepted_at.push_back(now);
    const json body = json::parse(req.body, nullptr, false);
    json message = {{"id", std::to_string(1300000000000000000LL + static_cast<long long>(discord_.accepted_at.size()))},
                    {"channel_id", channel},
                    {"author", {{"id", "1100000000000000009"}}}};
    if (body.is_object() && body.contains("nonce")) message["nonce"] = body["nonce"];
    res.set_content(message.dump(), "application/json");
  }

  void discord_me(httplib::Response& res) {
    std::lock_guard lock(mutex_);
    if (!discord_global(now_ms(), res)) return;
    res.set_content(R"({"id":"1100000000000000009","username":"whygo","bot":true})", "application/json");
  }

  json stats() {
    std::lock_guard lock(mutex_);
    std::size_t busiest_workspace_minute = 0;
    std::size_t busiest_workspace_second = 0;
    std::size_t busiest_workspace_10s = 0;
    for (auto& [workspace, times] : slack_workspace_times_) {
      std::sort(times.begin(), times.end());
      busiest_workspace_minute = std::max(busiest_workspace_minute, busiest(times, 60'000));
      busiest_workspace_second = std::max(busiest_workspace_second, busiest(times, 1000));
      busiest_workspace_10s = std::max(busiest_workspace_10s, busiest(times, 10'000));
    }
    json slack = slack_.stats();
    slack["workspaces"] = slack_workspace_times_.size();
    slack["busiest_workspace_minute"] = busiest_workspace_minute;
    slack["busiest_workspace_second"] = busiest_workspace_second;
    slack["busiest_workspace_10s"] = busiest_workspace_10s;
    slack["workspaces_rate_limited"] = slack_workspace_429_.size();
    slack["limit_per_workspace_minute"] = slack_per_minute_;
    json discord = discord_.stats();
    discord["limit_per_second"] = discord_global_per_second;
    return {{"slack", slack}, {"discord", discord}};
  }

 private:
  static constexpr std::size_t discord_global_per_second = 50;

  // Counts the request against the bot's global limit; false (and a 429 answered) when over.
  bool discord_global(std::int64_t now, httplib::Response& res) {
    ++discord_.requests;
    while (!discord_second_.empty() && now - discord_second_.front() >= 1000) discord_second_.pop_front();
    const bool over = discord_second_.size() >= discord_global_per_second;
    discord_second_.push_back(now);
    if (!over) return true;
    ++discord_.rate_limited;
    const double retry = std::max<std::int64_t>(1, 1000 - (now - discord_second_.front())) / 1000.0;
    res.status = 429;
    res.set_header("Retry-After", std::to_string(static_cast<int>(std::ceil(retry))));
    res.set_header("X-RateLimit-Global", "true");
    res.set_header("X-RateLimit-Scope", "global");
    res.set_content(json{{"message", "You are being rate limited."}, {"retry_after", retry}, {"global", true}}.dump(),
                    "application/json");
    return false;
  }

  const std::size_t slack_per_minute_;
  std::mutex mutex_;
  Platform slack_, discord_;
  std::map<std::string, std::int64_t> slack_channel_last_;
  std::map<std::string, std::deque<std::int64_t>> slack_workspace_minute_;
  std::map<std::string, std::vector<std::int64_t>> slack_workspace_times_;
  std::map<std::string, std::size_t> slack_workspace_429_;
  std::deque<std::int64_t> discord_second_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: whygo_bench_fanout_platform PORT [SLACK_PER_WORKSPACE_PER_MINUTE] [LATENCY_MS]\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::size_t slack_per_minute = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 300;
  const std::chrono::milliseconds latency(argc > 3 ? std::atol(argv[3]) : 0);
  Fake fake(slack_per_minute);
  httplib::Server server;
  // Counted on arrival, answered after the latency, as a distant platform would.
  server.set_post_routing_handler([latency](const httplib::Request& req, httplib::Response&) {
    if (latency.count() > 0 && req.path != "/stats" && req.path != "/healthz") std::this_thread::sleep_for(latency);
  });
  // whygo opens a connection per call; 2 replicas x (8 Slack + 4 Discord) senders at most.
  server.new_task_queue = [] { return new httplib::ThreadPool(48); };
  server.Post("/chat.postMessage",
              [&fake](const httplib::Request& req, httplib::Response& res) { fake.slack_post(req, res); });
  server.Post(R"(/channels/(\d+)/messages)",
              [&fake](const httplib::Request& req, httplib::Response& res) { fake.discord_post(req, res); });
  server.Get("/users/@me", [&fake](const httplib::Request&, httplib::Response& res) { fake.discord_me(res); });
  server.Get("/stats", [&fake](const httplib::Request&, httplib::Response& res) {
    res.set_content(fake.stats().dump(), "application/json");
  });
  server.Get("/healthz",
             [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
