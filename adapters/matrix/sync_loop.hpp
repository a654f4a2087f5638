// Matrix as an ordinary user: no homeserver administrator needed. One thread long-polls
// GET /_matrix/client/v3/sync (https://spec.matrix.org/latest/client-server-api/#syncing) and
// hands what comes to the same handling as the application service's pushes (Transactions):
// invites accepted, `!whygo` answered through the dispatcher and renderer. The batch token is
// stored after each batch is handled, so a restart goes on where the last run stopped: nothing
// missed, and what a crash mid-batch brings again is known by event_id and not answered twice.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/matrix/client.hpp"
#include "adapters/matrix/config.hpp"
#include "adapters/matrix/sync.hpp"
#include "bot/adapter.hpp"

namespace whygo::matrix {

class Transactions;

// What keeps the client from working, for /readyz (e.g. a token the homeserver no longer knows).
class ClientHealth {
 public:
  void set(std::string problem);
  void clear();
  std::vector<std::string> problems() const;

 private:
  mutable std::mutex mutex_;
  std::string problem_;
};

class SyncLoop {
 public:
  SyncLoop(AdapterServices& services, MatrixConfig config, std::shared_ptr<ClientHealth> health);
  ~SyncLoop();
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  void start();
  // Ends the long poll in flight and joins; the batch being handled is finished first.
  void stop();

 private:
  void run();
  // Who the token belongs to; false when stopping.
  bool identify();
  // One sync and its handling; the wait before the next attempt (zero after success).
  std::chrono::milliseconds sync_once();
  // The events a limited timeline left out, oldest first.
  std::vector<Event> backfill(const Gap& gap);
  // Sleeps unless stopping; false when stopping.
  bool pause(std::chrono::milliseconds wait);
  bool stopping() const;
  std::chrono::milliseconds failed(const std::string& what, const CallResult& r);

  AdapterServices& services_;
  MatrixConfig config_;
  std::shared_ptr<ClientHealth> health_;
  std::shared_ptr<Cancellation> cancellation_ = std::make_shared<Cancellation>();
  std::shared_ptr<Transactions> handler_;
  std::string since_;
  bool caught_up_ = false;  // a batch was read since the start (the first, without a token, is history)
  std::chrono::milliseconds backoff_{0};
  int failures_ = 0;
  const std::string filter_;
  const std::string room_filter_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace whygo::matrix
