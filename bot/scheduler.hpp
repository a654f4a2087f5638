// The daily post. Each subscription's story goes out at its local time, once: a claim row keyed
// by (platform, channel, local date) is written before sending, so restarts, retries, a second
// process or `whygo post-story` never post twice. Sends run on one lane per platform, paced to
// its rate limits (the whole platform's, or each tenant's apart), so a slow platform holds up no
// other and no request thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "bot/clock.hpp"
#include "bot/reply.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

struct StoryPost {
  std::string platform;
  std::string tenant;
  std::string channel;
  Reply reply;
  std::string idempotency_key;  // the same on every retry, and after a crash (at most 25 characters)
  // A send cut short by a crash, made again after the claim's lease: the first may have arrived,
  // longer ago than a platform remembers its idempotency key.
  bool repeat = false;
};

struct PostResult {
  bool sent = false;
  int attempts = 1;
  std::string error;
};

// Whose rate limit a poster's spacing keeps: the bot's, one bucket for the whole platform, or
// each tenant's (a workspace's) apart, so sends to different tenants go out side by side.
enum class PaceScope { bot, tenant };

// How one platform posts the story; adapters provide it.
struct Poster {
  std::function<PostResult(const StoryPost&)> send;  // blocking; retries 429 and 5xx itself
  // Honours idempotency_key, or (on a repeat) looks for the first send, so a send cut short by a
  // crash may be made again.
  bool idempotent = false;
  std::chrono::milliseconds spacing{0};  // least time between two sends in one pace scope
  PaceScope pace_scope = PaceScope::bot;
  std::size_t workers = 4;  // sends in flight at once on this platform (all its tenants together)
};

struct PostCounts {
  std::size_t queued = 0;
  std::size_t sent = 0;
  std::size_t failed = 0;
  std::size_t abandoned = 0;
};

class Scheduler {
 public:
  Scheduler(StoreRoles& store, const Clock& clock, std::map<std::string, Poster> posters, std::string owner);
  ~Scheduler();

  // Claims and queues every post that is due now and was not made; deals with claims whose
  // process died mid-send. Returns how many posts were queued.
  std::size_t tick();
  // `whygo post-story`: every subscription's post for `day` (default: each one's local today)
  // that was not made yet, now, through the same claims.
  std::size_t post_now(std::optional<std::int64_t> day);
  // Waits until every queued send has finished.
  void wait_idle();
  PostCounts counts() const;

  // Ticks every `every` on a thread of its own until stop(); stop() then drains queued sends.
  void start(std::chrono::milliseconds every);
  void stop();

 private:
  struct Lane;
  bool queue(const Subscription& subscription, std::int64_t local_day);
  void recover_stale_claims();
  // Queues the send on the platform's lane and records its outcome on the claim.
  void send(const std::string& platform, StoryPost post, std::int64_t local_day);
  std::string key_for(const Subscription& subscription, std::int64_t local_day) const;

  StoreRoles& store_;
  const Clock& clock_;
  std::map<std::string, Poster> posters_;
  std::string owner_;
  std::map<std::string, std::unique_ptr<Lane>> lanes_;
  std::mutex mutex_;
  std::set<std::tuple<std::string, std::string, std::int64_t>> settled_;  // claims known taken
  std::set<std::string> warned_;
  std::atomic<std::size_t> queued_{0}, sent_{0}, failed_{0}, abandoned_{0};
  std::thread loop_;
  std::mutex loop_mutex_;
  std::condition_variable loop_wake_;
  bool stopping_ = false;
};

}  // namespace whygo
