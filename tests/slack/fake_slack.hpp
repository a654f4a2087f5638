// A fake Slack on loopback for the tests: chat.postMessage (optionally rate-limited first),
// chat.postEphemeral and response_url endpoints (/actions/..., /commands/...); FakePlatform
// records every request.
//
// Posting follows Slack's rules (https://docs.slack.dev/reference/methods/chat.postMessage,
// https://docs.slack.dev/reference/scopes/chat.write.public): the bot token has the bot scopes of
// deploy/slack/manifest.yml; a public channel the bot was not invited to takes a post only with
// chat:write.public ("not_in_channel" otherwise), and a private one it is not in answers
// "channel_not_found". C0TEST is a public channel the bot was invited to.
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/schema.hpp"
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

  // The bot scopes the workspace granted at install: the manifest's.
  static std::set<std::string> manifest_scopes() {
    const auto manifest = yaml_file_to_json(std::string(WHYGO_SOURCE_DIR) + "/deploy/slack/manifest.yml");
    std::set<std::string> scopes;
    for (const auto& scope : manifest["oauth_config"]["scopes"]["bot"]) scopes.insert(scope.get<std::string>());
    return scopes;
  }

  void private_channel(const std::string& id) {
    std::lock_guard lock(mutex_);
    private_.insert(id);
  }
  void invite_bot(const std::string& id) {
    std::lock_guard lock(mutex_);
    member_of_.insert(id);
  }

  FakeSlack() {
    platform_.routes().Post("/chat.postMessage", [this](const httplib::Request& req, httplib::Response& res) {
      if (rate_limited_left > 0) {
        --rate_limited_left;
        res.status = 429;
        res.set_header("Retry-After", retry_after);
        res.set_content(R"({"ok":false,"error":"ratelimited"})", "application/json");
        return;
      }
      std::lock_guard lock(mutex_);
      if (const std::string refusal = refusal_for(req.body); !refusal.empty())
        return res.set_content(R"({"ok":false,"error":")" + refusal + R"("})", "application/json");
      res.set_content(post_message_answer_, "application/json");
    });
    platform_.routes().Post("/chat.postEphemeral", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      const std::string channel = body.is_object() ? body.value("channel", "") : "";
      if (private_.count(channel) && !member_of_.count(channel))
        return res.set_content(R"({"ok":false,"error":"channel_not_found"})", "application/json");
      res.set_content(R"({"ok":true,"message_ts":"1700000002.000300"})", "application/json");
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
  // Why chat.postMessage refuses this post, as Slack would say it; "" when it goes through.
  std::string refusal_for(const std::string& raw) const {
    const auto body = nlohmann::json::parse(raw, nullptr, false);
    const std::string channel = body.is_object() ? body.value("channel", "") : "";
    if (member_of_.count(channel)) return {};
    if (private_.count(channel)) return "channel_not_found";
    return scopes_.count("chat:write.public") ? "" : "not_in_channel";
  }

  mutable std::mutex mutex_;
  std::string post_message_answer_ = R"({"ok":true,"channel":"C0TEST","ts":"1700000001.000200"})";
  std::set<std::string> scopes_ = manifest_scopes();
  std::set<std::string> private_;
  std::set<std::string> member_of_{"C0TEST"};
  FakePlatform platform_;  // last: stopped first, while what its handlers use still lives
};

}  // namespace whygo::test
