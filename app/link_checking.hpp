// Link health for the operator: `whygo check-links [--id N]` now, and serve's slow background
// rounds (WHYGO_LINK_CHECK), both with the fetcher and checker the settings describe.
#pragma once
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "bot/fetch.hpp"
#include "bot/limits.hpp"
#include "bot/link_check.hpp"

namespace whygo {

FetchSettings fetch_settings(const Config& config);
LinkCheckSettings link_check_settings(const Config& config);

// `whygo check-links [--id N]`: every link (or link N) visited now; a line per link, a summary.
int check_links(App& app, const std::vector<std::string>& args);

// serve's background checks: every link about once per WHYGO_LINK_CHECK period, spread out in
// small batches, the least recently checked first. Off when the period is zero ("never").
// How many links each tick checks so that `links` come round once a `period`, at least one.
std::size_t link_check_batch(std::size_t links, std::chrono::seconds period, std::chrono::milliseconds tick);

class LinkCheckLoop {
 public:
  // `tick`: how often it wakes to check a batch (tests make it short).
  LinkCheckLoop(
      App& app, std::chrono::seconds period,
      std::chrono::milliseconds tick = std::chrono::duration_cast<std::chrono::milliseconds>(limits::link_check_tick));
  ~LinkCheckLoop();
  void start();
  void stop();

 private:
  void run();

  App& app_;
  std::chrono::seconds period_;
  std::chrono::milliseconds tick_;
  Fetcher fetcher_;
  LinkChecker checker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace whygo
