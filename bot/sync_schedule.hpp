// The upstream sync on a schedule, inside `whygo serve`: once per period (daily by default), by
// one process of all replicas: the period's row in the store (UpstreamSyncs::claim_upstream_sync)
// goes to whoever inserts it first, as the daily post's claims do. Runs on its own thread, so a
// slow upstream holds up no request.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "bot/clock.hpp"
#include "bot/store_roles.hpp"
#include "bot/upstream_sync.hpp"

namespace whygo {

class SyncSchedule {
 public:
  // `every` is the period (Config::sync_every); claims name `process`.
  SyncSchedule(UpstreamSyncs& claims, upstream::Syncer& syncer, const Clock& clock, std::chrono::seconds every,
               std::string process);
  ~SyncSchedule();
  SyncSchedule(const SyncSchedule&) = delete;
  SyncSchedule& operator=(const SyncSchedule&) = delete;

  // The start of the period `unix_time` falls in.
  std::int64_t period_of(std::int64_t unix_time) const;
  // Syncs when this period's claim is this process's; true when it synced.
  bool tick();
  // Ticks now, then every `interval`, on a thread of its own, until stop().
  void start(std::chrono::milliseconds interval);
  void stop();

 private:
  UpstreamSyncs& claims_;
  upstream::Syncer& syncer_;
  const Clock& clock_;
  std::chrono::seconds every_;
  std::string process_;
  std::int64_t last_period_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace whygo
