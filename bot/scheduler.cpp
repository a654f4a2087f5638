#include "bot/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <random>

#include "bot/background.hpp"
#include "bot/limits.hpp"
#include "bot/local_time.hpp"
#include "bot/metrics.hpp"
#include "bot/story.hpp"

namespace whygo {

// One platform's sends: a few threads, spaced at least `spacing` apart within each pace scope (the
// whole platform, or one tenant of it), in this process and across every process posting
// through the same database (replicas, a cron `post-story`): a platform's rate limit is the
// bot's, or the workspace's, whichever replica sends.
struct Scheduler::Lane {
  struct Queued {
    StoryPost post;
    std::int64_t local_day = 0;
  };
  // One pace scope's posts waiting here, and its next free slot in this process.
  struct Pace {
    std::deque<Queued> waiting;
    std::chrono::steady_clock::time_point next_slot{};
  };

  Lane(const Poster& poster, WriteLimits& shared, std::string platform)
      : poster(poster), shared(shared), platform(std::move(platform)), work(poster.workers) {}
  const Poster& poster;
  WriteLimits& shared;
  const std::string platform;
  std::mutex pace_mutex;
  std::map<std::string, Pace> paces;  // by scope: the tenant, or "" for the whole platform
  std::atomic<bool> shared_failing{false};
  std::mutex days_mutex;
  std::set<std::int64_t> days;  // the local dates of the posts queued here
  Background work;              // last: its threads stop before what they touch goes

  std::string scope_of(const StoryPost& post) const {
    return poster.pace_scope == PaceScope::tenant ? post.tenant : std::string();
  }
  std::string pace_key(const std::string& scope) const {
    return poster.pace_scope == PaceScope::tenant ? "post:" + platform + ":" + scope : "post:" + platform;
  }

  // Called before each post's job is queued on `work`, so a job always finds a post.
  void hold(Queued queued) {
    const std::string scope = scope_of(queued.post);
    std::lock_guard lock(pace_mutex);
    paces[scope].waiting.push_back(std::move(queued));
  }

  // Takes the waiting post whose scope has the soonest slot, and returns it once both its slot
  // here and the shared pace allow. Posts are not taken in queue order: a thread waiting on one
  // busy workspace would hold up every other (the subscriptions come sorted by channel).
  std::optional<Queued> next() {
    for (;;) {
      std::string scope;
      Queued queued;
      std::chrono::steady_clock::time_point slot;
      {
        std::lock_guard lock(pace_mutex);
        const auto now = std::chrono::steady_clock::now();
        auto best = paces.end();
        for (auto it = paces.begin(); it != paces.end();) {
          if (it->second.waiting.empty()) {
            // A scope with nothing waiting is forgotten once its slot has passed.
            if (it->second.next_slot <= now) {
              it = paces.erase(it);
              continue;
            }
          } else if (best == paces.end() || it->second.next_slot < best->second.next_slot) {
            best = it;
          }
          ++it;
        }
        if (best == paces.end()) return std::nullopt;  // not reached: one job per post held
        scope = best->first;
        queued = std::move(best->second.waiting.front());
        best->second.waiting.pop_front();
        slot = std::max(best->second.next_slot, now);
        best->second.next_slot = slot + poster.spacing;
      }
      std::this_thread::sleep_until(slot);
      if (poster.spacing.count() <= 0 || take_shared(scope, queued)) return queued;
    }
  }

  // The shared pace: a bucket of one send per scope, refilled every `spacing` (the write
  // allowances' table, bot/store_roles.hpp), on the wall clock the processes share. True: send
  // now. False: another process has the scope's next slots and another scope is free sooner, so
  // the post went back to wait.
  bool take_shared(const std::string& scope, Queued& queued) {
    const std::string key = pace_key(scope);
    const WriteAllowance pace{1, std::chrono::duration_cast<std::chrono::milliseconds>(poster.spacing)};
    for (;;) {
      std::chrono::milliseconds wait{0};
      try {
        const auto now =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
        wait = shared.take_write(key, pace, now.count());
        if (shared_failing.exchange(false)) spdlog::info("post:{}: posts paced across processes again", platform);
      } catch (const std::exception& e) {
        // Paced in this process alone, rather than not posted.
        if (!shared_failing.exchange(true))
          spdlog::warn("post:{}: cannot pace posts across processes ({}); pacing this process alone", platform,
                       e.what());
        return true;
      }
      if (wait.count() == 0) return true;
      {
        std::lock_guard lock(pace_mutex);
        const auto retry_at = std::chrono::steady_clock::now() + wait;
        Pace& pace = paces[scope];
        pace.next_slot = std::max(pace.next_slot, retry_at);
        const bool other_sooner = std::any_of(paces.begin(), paces.end(), [&](const auto& entry) {
          return entry.first != scope && !entry.second.waiting.empty() && entry.second.next_slot < retry_at;
        });
        if (other_sooner) {
          pace.waiting.push_front(std::move(queued));
          return false;
        }
      }
      std::this_thread::sleep_for(wait);
    }
  }
};

namespace {

// FNV-1a: a short, stable name for a channel inside idempotency keys.
std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

Scheduler::Scheduler(StoreRoles& store, const Clock& clock, std::map<std::string, Poster> posters, std::string owner)
    : store_(store), clock_(clock), posters_(std::move(posters)), owner_(std::move(owner)) {
  // Here, before any worker thread: the lanes and the server's threads then only read the list.
  if (!local_time::load_zones()) spdlog::warn("no IANA time zones (install tzdata): subscriptions cannot be checked");
  for (const auto& [platform, poster] : posters_) lanes_[platform] = std::make_unique<Lane>(poster, store_, platform);
}

Scheduler::~Scheduler() {
  stop();
}

std::string Scheduler::key_for(const Subscription& s, std::int64_t local_day) const {
  // Discord allows nonces of at most 25 characters: "wg" + 12 hex digits + YYYYMMDD is 22.
  const date::year_month_day ymd{date::sys_days{date::days{local_day}}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "wg%012llx%04d%02u%02u",
                static_cast<unsigned long long>(fnv1a(s.platform + ":" + s.channel) & 0xFFFFFFFFFFFFULL),
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

bool Scheduler::queue(const Subscription& s, std::int64_t local_day) {
  if (!lanes_.count(s.platform)) return false;
  const auto settled_key = std::make_tuple(s.platform, s.channel, local_day);
  {
    std::lock_guard lock(mutex_);
    if (settled_.count(settled_key)) return false;
  }
  const date::sys_days day{date::days{local_day}};
  Reply reply = story_reply(store_, day, day);
  if (reply.links.empty()) return false;  // an empty catalog has nothing to post
  PostClaim claim;
  claim.platform = s.platform;
  claim.channel = s.channel;
  claim.local_date = local_day;
  claim.link_id = reply.links.front().id;
  claim.claim_key = key_for(s, local_day);
  claim.claimed_by = owner_;
  claim.claimed_at = unix_seconds(clock_.now());
  const bool mine = store_.claim_post(claim);
  {
    std::lock_guard lock(mutex_);
    settled_.insert(settled_key);
  }
  if (!mine) return false;
  send(s.platform, StoryPost{s.platform, s.tenant, s.channel, std::move(reply), claim.claim_key}, local_day);
  return true;
}

void Scheduler::send(const std::string& platform, StoryPost post, std::int64_t local_day) {
  ++queued_;
  Lane* lane = lanes_.at(platform).get();
  // Under the lock, so tick() never forgets a day whose post is about to be queued.
  std::lock_guard days_lock(lane->days_mutex);
  lane->days.insert(local_day);
  lane->hold({std::move(post), local_day});
  lane->work.post([this, lane] {
    // Not necessarily the post held just now: the one whose pace lets it go first.
    std::optional<Lane::Queued> next = lane->next();
    if (!next) return;
    const StoryPost& post = next->post;
    PostResult result;
    try {
      result = lane->poster.send(post);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    store_.finish_post(post.platform, post.channel, next->local_day,
                       result.sent ? PostStatus::sent : PostStatus::failed, result.error, result.attempts,
                       unix_seconds(clock_.now()));
    Metrics::global().count("whygo_story_posts_total",
                            {{"platform", post.platform}, {"outcome", result.sent ? "sent" : "failed"}});
    if (result.sent) {
      ++sent_;
    } else {
      ++failed_;
      spdlog::warn("story post to {} {} failed after {} attempt(s): {}", post.platform, post.channel, result.attempts,
                   result.error);
    }
  });
}

void Scheduler::recover_stale_claims() {
  const auto now = clock_.now();
  const auto lease = std::chrono::duration_cast<std::chrono::seconds>(limits::post_claim_lease).count();
  for (const PostClaim& stale : store_.stale_claims(unix_seconds(now) - lease)) {
    const auto poster = posters_.find(stale.platform);
    if (poster == posters_.end()) continue;
    std::optional<Subscription> subscription;
    for (const auto& s : store_.subscriptions(stale.platform))
      if (s.channel == stale.channel) subscription = s;
    const date::time_zone* zone = subscription ? local_time::find_zone(subscription->zone) : nullptr;
    const bool today = zone && local_time::local_day(zone, now) == stale.local_date;
    if (!today || !poster->second.idempotent) {
      // Without an idempotency key the platform may already show the post: a missed post is
      // better than a double one.
      store_.finish_post(stale.platform, stale.channel, stale.local_date, PostStatus::abandoned,
                         today ? "the sending process stopped mid-send; not repeated, to avoid a double post"
                               : "the sending process stopped mid-send on a day that is over",
                         0, unix_seconds(now));
      ++abandoned_;
      Metrics::global().count("whygo_story_posts_total", {{"platform", stale.platform}, {"outcome", "abandoned"}});
      spdlog::warn("story post to {} {} for day {} abandoned: its process stopped mid-send", stale.platform,
                   stale.channel, stale.local_date);
      continue;
    }
    if (!store_.take_over_claim(stale, owner_, unix_seconds(now))) continue;
    // Repeat the send with the same key, marked as a repeat: the poster makes sure the first
    // one did not arrive.
    const date::sys_days day{date::days{stale.local_date}};
    send(stale.platform,
         StoryPost{stale.platform, subscription->tenant, stale.channel, story_reply(store_, day, day), stale.claim_key,
                   true},
         stale.local_date);
  }
}

std::size_t Scheduler::tick() {
  // A morning's fan-out may keep posts queued longer than a claim's lease (10,000 channels of one
  // Slack workspace at 4 posts a second take 42 minutes): the claims still queued here are renewed at half the
  // lease, so no process (this one included) takes them for a dead process's and posts again.
  const std::int64_t renew_at = unix_seconds(clock_.now());
  const auto half_lease = std::chrono::duration_cast<std::chrono::seconds>(limits::post_claim_lease).count() / 2;
  for (const auto& [platform, lane] : lanes_) {
    std::set<std::int64_t> days;
    {
      std::lock_guard lock(lane->days_mutex);
      if (lane->work.pending() == 0) lane->days.clear();
      days = lane->days;
    }
    for (const std::int64_t day : days)
      for (const PostClaim& claim : store_.post_claims(day))
        if (claim.platform == platform && claim.claimed_by == owner_ && claim.status == PostStatus::claimed &&
            claim.claimed_at <= renew_at - half_lease)
          store_.take_over_claim(claim, owner_, renew_at);
  }
  recover_stale_claims();
  const auto now = clock_.now();
  std::size_t count = 0;
  std::map<std::string, const date::time_zone*> zones;
  std::vector<Subscription> subscriptions = store_.subscriptions();
  // Each process goes through the list in an order of its own: replicas ticking at once then
  // claim about half of every platform's and workspace's channels each, and share the sending,
  // instead of one trailing the other's claims and sending every post itself. The claims keep
  // each post once whatever the order.
  std::shuffle(subscriptions.begin(), subscriptions.end(), std::mt19937_64(fnv1a(owner_)));
  for (const Subscription& s : subscriptions) {
    if (s.paused) continue;
    if (!posters_.count(s.platform)) {
      std::lock_guard lock(mutex_);
      if (warned_.insert(s.platform).second)
        spdlog::warn("subscriptions on {} wait: that adapter is not configured", s.platform);
      continue;
    }
    auto [it, fresh] = zones.try_emplace(s.zone, nullptr);
    if (fresh) it->second = local_time::find_zone(s.zone);
    const date::time_zone* zone = it->second;
    if (!zone) continue;
    const std::int64_t day = local_time::local_day(zone, now);
    const auto due = local_time::due_instant(zone, day, s.minute);
    // Not before the local time; and a channel subscribed after today's time starts tomorrow.
    if (now < due || unix_seconds(due) < s.created_at) continue;
    if (queue(s, day)) ++count;
  }
  return count;
}

std::size_t Scheduler::post_now(std::optional<std::int64_t> day) {
  recover_stale_claims();
  std::size_t count = 0;
  for (const Subscription& s : store_.subscriptions()) {
    const date::time_zone* zone = local_time::find_zone(s.zone);
    if (s.paused || !zone || !posters_.count(s.platform)) continue;
    if (queue(s, day.value_or(local_time::local_day(zone, clock_.now())))) ++count;
  }
  return count;
}

void Scheduler::wait_idle() {
  for (;;) {
    std::size_t pending = 0;
    for (const auto& [platform, lane] : lanes_) pending += lane->work.pending();
    if (pending == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

PostCounts Scheduler::counts() const {
  return {queued_, sent_, failed_, abandoned_};
}

void Scheduler::start(std::chrono::milliseconds every) {
  loop_ = std::thread([this, every] {
    std::unique_lock lock(loop_mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        tick();
      } catch (const std::exception& e) {
        spdlog::error("scheduler: {}", e.what());
      }
      lock.lock();
      loop_wake_.wait_for(lock, every, [this] { return stopping_; });
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(loop_mutex_);
    stopping_ = true;
  }
  loop_wake_.notify_all();
  if (loop_.joinable()) loop_.join();
  for (auto& [platform, lane] : lanes_) lane->work.stop();
}

}  // namespace whygo
