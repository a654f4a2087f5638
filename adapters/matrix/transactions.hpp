// What happens to a pushed transaction after it was accepted: each event, in order, on the
// background pool but one at a time (a per-adapter serial queue), so the homeserver gets its
// 200 at once (Synapse sends one transaction at a time and a slow answer stalls every room,
// matrix-org/synapse#8082) while events are still handled as they were linearised.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "adapters/matrix/client.hpp"
#include "adapters/matrix/direct_rooms.hpp"
#include "adapters/matrix/events.hpp"
#include "bot/adapter.hpp"
#include "bot/background.hpp"
#include "bot/rate_limiter.hpp"

namespace whygo::matrix {

// Runs jobs one after another on a shared Background, never two at once.
class SerialQueue : public std::enable_shared_from_this<SerialQueue> {
 public:
  explicit SerialQueue(Background& background) : background_(background) {}
  // False when the background pool is stopping and the job will not run.
  bool post(std::function<void()> job);

 private:
  void drain();

  Background& background_;
  std::mutex mutex_;
  std::deque<std::function<void()>> jobs_;
  bool draining_ = false;
};

enum class Accepted {
  queued,
  repeat,        // this transaction was handled before: a no-op 200 (spec "Pushing events")
  store_failed,  // cannot tell: answer 500 so the homeserver retries
  stopping,      // shutting down: answer 503 so the homeserver retries
};

class Transactions : public std::enable_shared_from_this<Transactions> {
 public:
  Transactions(AdapterServices& services, Client client);

  // On the request thread: de-duplicates the transaction and queues its events.
  Accepted accept(const std::string& txn_id, std::vector<Event> events);
  // Queues the bot user's registration, ahead of any event; then, once `listening` says whygo
  // answers HTTP, the ping that proves the homeserver reaches it with the right tokens (logged:
  // a wrong url or token is named, not found out from silence).
  void start(std::function<bool()> listening);

  const Client& client() const { return client_; }

  // What one event asks of the bot, done now: a command answered, an invite accepted, an
  // encrypted room told once. Each event acted on once, by event_id, across restarts. As an
  // application service it runs on the serial queue; as a user, on the sync loop's one thread.
  void handle(const Event& event);
  // Joins a room the bot was invited to (POST /rooms/{roomId}/join), and says once in it that
  // it cannot read there when it is encrypted. Joining twice is harmless.
  void accept_invite(const std::string& room_id, const std::string& inviter, bool encrypted);

 private:
  void say_encrypted(const std::string& room_id);
  bool first_sighting(const char* kind, const std::string& id);
  // False when the room is over its answer budget (limits.hpp): the command is skipped.
  bool room_may_ask(const std::string& room_id);
  // Sends a reply: to the asking admin's direct room when it lists people, with a pointer here.
  void answer(const Event& event, const Request& request, const Reply& reply);

  AdapterServices& services_;
  Client client_;
  std::shared_ptr<SerialQueue> queue_;
  DirectRooms direct_rooms_{client_};
  // Touched only by the serial queue's one job at a time.
  RateLimiter room_answers_;
  std::unordered_set<std::string> quiet_rooms_;  // over budget, said once in the log
};

}  // namespace whygo::matrix
