#include "bot/sync_schedule.hpp"

#include <spdlog/spdlog.h>

namespace whygo {

SyncSchedule::SyncSchedule(UpstreamSyncs& claims, upstream::Syncer& syncer, const Clock& clock,
                           std::chrono::seconds every, std::string process)
    : claims_(claims), syncer_(syncer), clock_(clock), every_(every), process_(std::move(process)) {}

SyncSchedule::~SyncSchedule() {
  stop();
}

std::int64_t SyncSchedule::period_of(std::int64_t unix_time) const {
  const std::int64_t every = every_.count();
  return every > 0 ? unix_time - ((unix_time % every) + every) % every : 0;
}

bool SyncSchedule::tick() {
  if (every_.count() <= 0) return false;
  const std::int64_t now = unix_seconds(clock_);
  const std::int64_t period = period_of(now);
  if (period == last_period_) return false;  // this process has looked at this period already
  try {
    last_period_ = period;
    if (!claims_.claim_upstream_sync(period, process_, now)) return false;  // another replica has it
  } catch (const StoreError& e) {
    last_period_ = -1;  // try again next tick
    spdlog::warn("scheduled sync: cannot claim the period: {}", e.what());
    return false;
  }
  syncer_.run("schedule");
  return true;
}

void SyncSchedule::start(std::chrono::milliseconds interval) {
  if (every_.count() <= 0) {
    spdlog::info("upstream sync: off (sync_every is never)");
    return;
  }
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick();
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void SyncSchedule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace whygo
