// Time as a dependency: whatever depends on time takes a Clock, so tests move it by hours
// without sleeping.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>

namespace whygo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// Whole seconds since 1970-01-01 UTC: what the store records and platforms send.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline std::int64_t unix_seconds(const Clock& clock) {
  return unix_seconds(clock.now());
}

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  void advance(std::chrono::system_clock::duration by) { now_ += by.count(); }
  void set(std::chrono::system_clock::time_point to) { now_ = to.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::rep> now_;
};

}  // namespace whygo
