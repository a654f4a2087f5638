// Work that must not hold up a platform's 3-second answer (replies sent through the platform's
// API, event handling) runs here, on a few threads, in the order it was queued per thread.
// stop() finishes what was queued, then joins.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace whygo {

class Background {
 public:
  explicit Background(std::size_t threads = 2);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // False once stopping: the job is not run.
  bool post(std::function<void()> job);
  // Runs every queued job, then stops the threads. Safe to call twice.
  void stop();
  std::size_t pending() const;

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace whygo
