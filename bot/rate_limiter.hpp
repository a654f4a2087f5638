// Token buckets per key (a user's writes): a burst, then a steady refill, on the injected clock.
#pragma once
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bot/clock.hpp"

namespace whygo {

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, double burst, std::chrono::system_clock::duration refill_one);

  // Takes a token for key; false when its bucket is empty.
  bool allow(const std::string& key);
  // How long until key has a token again (zero when it has one).
  std::chrono::seconds wait(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::system_clock::time_point updated;
  };
  Bucket& refill(const std::string& key, std::chrono::system_clock::time_point now);

  const Clock& clock_;
  double burst_;
  std::chrono::system_clock::duration refill_one_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace whygo
