#include "bot/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace whygo {
namespace {
// Full buckets carry no information; they are dropped once this many keys are held.
constexpr std::size_t prune_above = 10'000;
}  // namespace

RateLimiter::RateLimiter(const Clock& clock, double burst, std::chrono::system_clock::duration refill_one)
    : clock_(clock), burst_(burst), refill_one_(refill_one) {}

RateLimiter::Bucket& RateLimiter::refill(const std::string& key, std::chrono::system_clock::time_point now) {
  if (buckets_.size() > prune_above) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
      const double per_token = std::chrono::duration<double>(refill_one_).count();
      it = it->second.tokens + elapsed / per_token >= burst_ ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.updated) {
    const double gained =
        std::chrono::duration<double>(now - bucket.updated) / std::chrono::duration<double>(refill_one_);
    bucket.tokens = std::min(burst_, bucket.tokens + gained);
    bucket.updated = now;
  }
  return bucket;
}

bool RateLimiter::allow(const std::string& key) {
  std::lock_guard lock(mutex_);
  Bucket& bucket = refill(key, clock_.now());
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

std::chrono::seconds RateLimiter::wait(const std::string& key) {
  std::lock_guard lock(mutex_);
  const Bucket& bucket = refill(key, clock_.now());
  if (bucket.tokens >= 1) return std::chrono::seconds(0);
  const double seconds = (1 - bucket.tokens) * std::chrono::duration<double>(refill_one_).count();
  return std::chrono::seconds(static_cast<long>(std::ceil(seconds)));
}

}  // namespace whygo
