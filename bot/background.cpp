#include "bot/background.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace whygo {

Background::Background(std::size_t threads) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) threads_.emplace_back([this] { work(); });
}

Background::~Background() {
  stop();
}

bool Background::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void Background::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::size_t Background::pending() const {
  std::lock_guard lock(mutex_);
  return jobs_.size() + running_;
}

void Background::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping and drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("background job failed: {}", e.what());
    }
    std::lock_guard lock(mutex_);
    --running_;
  }
}

}  // namespace whygo
