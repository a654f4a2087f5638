// A fake Slack on loopback for the tests: chat.postMessage (optionally rate-limited first) and
// response_url endpoints (/actions/..., /commands/...); FakePlatform records every request.
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support.hpp"

namespace whygo::test {

class FakeSlack {
 public:
  using Recorded = FakePlatform::Recorded;

  std::atomic<int> rate_limited_left{0};  // answer this many chat.postMessage calls with 429 first
  std::string retry_after = "1";          // set before any request is sent

  // What chat.postMessage answers; tests change it while the fake runs, so under the lock.
  void answer_post_message(std::string body) {
    std::lock_guard lock(mutex_);
    post_message_answer_ = std::move(body);
  }

  FakeSlack() {
    platform_.routes().Post("/chat.postMessage", [this](const httplib::Request&, httplib::Response& res) {
      if (rate_limited_left > 0) {
        --rate_limited_left;
        res.status = 429;
        res.set_header("Retry-After", retry_after);
        res.set_content(R"({"ok":false,"error":"ratelimited"})", "application/json");
        return;
      }
      std::lock_guard lock(mutex_);
      res.set_content(post_message_answer_, "application/json");
    });
    platform_.routes().Post(R"(/(actions|commands)/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    platform_.start();
  }

  std::string base_url() const { return platform_.base_url(); }

  std::vector<std::string> env() const {
    return {"SLACK_SIGNING_SECRET=whygo-test-signing-secret-not-real", "SLACK_BOT_TOKEN=xoxb-test-fake",
            "SLACK_API_BASE=" + base_url()};
  }

  std::vector<Recorded> requests() const { return platform_.requests(); }

  std::vector<Recorded> posts_to(const std::string& path_prefix) const {
    std::vector<Recorded> out;
    for (auto& r : requests())
      if (r.path.starts_with(path_prefix)) out.push_back(r);
    return out;
  }

  bool wait_for(std::size_t n, std::chrono::milliseconds within = std::chrono::seconds(10)) const {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (requests().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::string post_message_answer_ = R"({"ok":true,"channel":"C0TEST","ts":"1700000001.000200"})";
  FakePlatform platform_;  // last: stopped first, while what its handlers use still lives
};

}  // namespace whygo::test
