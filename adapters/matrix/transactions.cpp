#include "adapters/matrix/transactions.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "adapters/matrix/limits.hpp"
#include "adapters/matrix/render.hpp"
#include "bot/log_text.hpp"

namespace whygo::matrix {
namespace {

// Plain words for a room the bot cannot read: an application service receives only
// m.room.encrypted there (matrix-appservice-discord#687).
constexpr const char* encrypted_room_notice =
    "This room is end-to-end encrypted, so I cannot read the messages here and cannot answer "
    "!whygo commands in it. Ask me in a room without encryption.";

std::int64_t unix_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

bool SerialQueue::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    if (draining_) return true;  // the running drain picks it up
    draining_ = true;
  }
  if (background_.post([self = shared_from_this()] { self->drain(); })) return true;
  std::lock_guard lock(mutex_);
  jobs_.clear();
  draining_ = false;
  return false;
}

void SerialQueue::drain() {
  for (;;) {
    std::function<void()> job;
    {
      std::lock_guard lock(mutex_);
      if (jobs_.empty()) {
        draining_ = false;
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // One failing job must not stop the queue (exceptions never leave the adapter).
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("matrix: event handling failed: {}", e.what());
    } catch (...) {
      spdlog::error("matrix: event handling failed");
    }
  }
}

Transactions::Transactions(AdapterServices& services, Client client)
    : services_(services),
      client_(std::move(client)),
      queue_(std::make_shared<SerialQueue>(services.background)),
      room_answers_(services.clock, limits::matrix::room_answer_burst, limits::matrix::room_answer_refill) {}

bool Transactions::room_may_ask(const std::string& room_id) {
  if (room_answers_.allow(room_id)) {
    quiet_rooms_.erase(room_id);
    return true;
  }
  if (quiet_rooms_.insert(room_id).second)
    spdlog::warn(
        "matrix: {} asks faster than {} commands then one every {} s; skipping its commands until it slows "
        "down",
        log_text::field(room_id), limits::matrix::room_answer_burst, limits::matrix::room_answer_refill.count());
  return false;
}

void Transactions::answer(const Event& event, const Request& request, const Reply& reply) {
  const auto started = std::chrono::steady_clock::now();
  // Matrix has no message only the asker sees, so asker_only replies go to the room too, as a
  // reply to the question; except those that list people, which go to the admin alone.
  const ReplyTarget target{event.event_id, event.rel_type == "m.thread" ? event.relates_to_id : std::string(),
                           event.sender};
  std::string room = event.room_id;
  nlohmann::json content = render(reply, target);
  if (reply.names_people && request.is_admin) {
    const auto direct = direct_rooms_.room_with(event.sender);
    if (direct && *direct != event.room_id) {
      const CallResult sent =
          client_.send_message(*direct, render(reply, ReplyTarget{}), txn_id_for("direct", event.event_id));
      content = render(Reply::message(sent.ok ? "I sent you the answer in a direct message: it lists people."
                                              : "That answer lists people, so it goes to you alone in a direct "
                                                "message, and it could not be sent; try again later."),
                       target);
    } else if (!direct) {
      content = render(Reply::message("That answer lists people, so it goes to you alone in a direct message, and "
                                      "I could not open one; try again later."),
                       target);
    }
  }
  const CallResult r = client_.send_message(room, content, txn_id_for("reply", event.event_id));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (r.ok)
    spdlog::info("matrix: {} in {} command={} status={} sent in {} ms ({} attempt(s))", log_text::field(event.sender),
                 log_text::field(room), reply.command, to_string(reply.error), ms, r.attempts);
  else
    spdlog::warn("matrix: {} in {} command={}: reply not sent: {}", log_text::field(event.sender),
                 log_text::field(room), reply.command, r.describe());
}

void Transactions::start(std::function<bool()> listening) {
  queue_->post([self = shared_from_this()] {
    const CallResult r = self->client_.register_bot();
    if (r.ok)
      spdlog::info("matrix: bot user {} is registered", self->client_.config().bot_user);
    else
      spdlog::warn("matrix: registering {} failed ({}); sends may be refused until it exists",
                   self->client_.config().bot_user, r.describe());
  });
  // The homeserver answers the ping by calling us, so it waits until whygo listens. (Synapse also
  // retries its queued transactions at once after a ping, element-hq/synapse#18521.)
  queue_->post([self = shared_from_this(), listening = std::move(listening)] {
    const auto deadline = std::chrono::steady_clock::now() + limits::matrix::ping_wait_for_listening;
    while (listening && !listening() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const MatrixConfig& config = self->client_.config();
    const PingResult ping = self->client_.ping(txn_id_for("ping", std::to_string(unix_seconds(self->services_.clock))));
    if (ping.ok())
      spdlog::info("matrix: the homeserver reaches whygo as application service '{}' ({} ms)", config.as_id,
                   ping.duration_ms);
    else if (const std::string problem = ping_problem(ping, config); !problem.empty())
      spdlog::error("matrix: set-up problem: {}", problem);
    else
      spdlog::info("matrix: the homeserver cannot ping application services (spec v1.7); set-up not checked");
  });
}

bool Transactions::first_sighting(const char* kind, const std::string& id) {
  return services_.seen.first_sighting(kind, id, unix_seconds(services_.clock));
}

Accepted Transactions::accept(const std::string& txn_id, std::vector<Event> events) {
  // The txnId alone is not a safe key: Synapse on SQLite and Dendrite have restarted their
  // counters at 1 (synapse#14556, dendrite#1852), and a new transaction with an old id must not
  // be dropped. A retry carries the very same events (spec: homeservers "MUST NOT alter" them),
  // so the id plus a digest of the event ids tells a retry from a reused id.
  std::string event_ids;
  for (const Event& e : events) event_ids += e.event_id + "\n";
  const std::string key = txn_id.substr(0, 128) + "/" + txn_id_for("in", event_ids);
  try {
    if (!first_sighting("matrix-txn", key)) return Accepted::repeat;
  } catch (const std::exception& e) {
    spdlog::error("matrix: cannot record transaction {}: {}", txn_id, e.what());
    return Accepted::store_failed;
  }
  if (events.empty()) return Accepted::queued;
  const bool queued = queue_->post([self = shared_from_this(), events = std::move(events)] {
    for (const Event& event : events) {
      try {
        self->handle(event);
      } catch (const std::exception& e) {
        spdlog::error("matrix: event {} failed: {}", event.event_id, e.what());
      }
    }
  });
  if (!queued) spdlog::warn("matrix: stopping; transaction {} was recorded but not handled", txn_id);
  return queued ? Accepted::queued : Accepted::stopping;
}

void Transactions::handle(const Event& event) {
  const std::string& bot = client_.config().bot_user;
  const Decision decision = decide(event, bot, unix_millis(services_.clock.now()));
  if (decision.action == Action::ignore) return;
  // Said once per room, whatever the event: no record per encrypted message.
  if (decision.action == Action::say_encrypted) return say_encrypted(event.room_id);
  // Homeservers re-send events in new transactions (synapse#11447), so each event that leads to
  // an action is acted on once, by event_id, across restarts (the store bounds the record).
  if (!first_sighting("matrix", event.event_id)) {
    spdlog::info("matrix: event {} seen before, skipped", event.event_id);
    return;
  }
  switch (decision.action) {
    case Action::join:
      return accept_invite(event.room_id, event.sender, event.invite_says_encrypted);
    case Action::command: {
      if (!room_may_ask(event.room_id)) return;
      Request request;
      request.platform = "matrix";
      request.tenant = std::string(server_name(bot));  // the homeserver this bot belongs to
      request.channel = event.room_id;
      request.user = event.sender;  // the MXID, stable, never a display name
      request.text = decision.text;
      request.is_admin = services_.admins.listed("matrix", event.sender);
      request.manages_channel = request.is_admin;
      if (request.is_admin) request.admin_reason = "are listed in WHYGO_ADMINS";
      answer(event, request, services_.dispatcher.handle(request));
      return;
    }
    case Action::ignore:
    case Action::say_encrypted:
      return;
  }
}

void Transactions::accept_invite(const std::string& room_id, const std::string& inviter, bool encrypted) {
  const CallResult r = client_.join(room_id);
  if (r.ok)
    spdlog::info("matrix: joined {} on {}'s invite", log_text::field(room_id), log_text::field(inviter));
  else
    spdlog::warn("matrix: joining {} failed: {}", log_text::field(room_id), r.describe());
  if (r.ok && encrypted) say_encrypted(room_id);
}

void Transactions::say_encrypted(const std::string& room_id) {
  if (!first_sighting("matrix-encrypted", room_id)) return;
  const CallResult r = client_.send_message(room_id, notice(encrypted_room_notice), txn_id_for("encrypted", room_id));
  if (r.ok)
    spdlog::info("matrix: told {} that encrypted rooms cannot be read", room_id);
  else
    spdlog::warn("matrix: encrypted-room notice to {} not sent: {}", room_id, r.describe());
}

}  // namespace whygo::matrix
