#include "adapters/matrix/sync_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "adapters/matrix/limits.hpp"
#include "adapters/matrix/sync.hpp"
#include "adapters/matrix/transactions.hpp"
#include "bot/log_text.hpp"

namespace whygo::matrix {

void ClientHealth::set(std::string problem) {
  std::lock_guard lock(mutex_);
  problem_ = std::move(problem);
}

void ClientHealth::clear() {
  std::lock_guard lock(mutex_);
  problem_.clear();
}

std::vector<std::string> ClientHealth::problems() const {
  std::lock_guard lock(mutex_);
  if (problem_.empty()) return {};
  return {problem_};
}

SyncLoop::SyncLoop(AdapterServices& services, MatrixConfig config, std::shared_ptr<ClientHealth> health)
    : services_(services),
      config_(std::move(config)),
      health_(std::move(health)),
      filter_(sync_filter()),
      room_filter_(room_event_filter()) {}

SyncLoop::~SyncLoop() {
  stop();
}

void SyncLoop::start() {
  thread_ = std::thread([this] {
    try {
      run();
    } catch (const std::exception& e) {
      spdlog::error("matrix: the sync loop stopped: {}", e.what());
      health_->set(std::string("the sync loop stopped: ") + e.what());
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    wake_.notify_all();
  });
}

void SyncLoop::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // A long poll that started just as the first cancel came is ended by a later one.
  for (;;) {
    cancellation_->cancel();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return finished_; })) break;
  }
  thread_.join();
}

bool SyncLoop::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool SyncLoop::pause(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, wait, [this] { return stopping_; });
}

std::chrono::milliseconds SyncLoop::failed(const std::string& what, const CallResult& r) {
  ++failures_;
  // https://spec.matrix.org/latest/client-server-api/#using-access-tokens: M_UNKNOWN_TOKEN, the
  // token was logged out or never existed; no retry brings it back, an operator must act.
  if (r.errcode == "M_UNKNOWN_TOKEN" || r.errcode == "M_MISSING_TOKEN" || r.status == 401) {
    health_->set("the homeserver at " + config_.homeserver_url + " refuses MATRIX_ACCESS_TOKEN (" + r.describe() +
                 "): it was logged out or is wrong; make a new one with `whygo matrix login --user " +
                 (config_.bot_user.empty() ? std::string("@bot:server") : config_.bot_user) + "` and restart whygo");
  }
  backoff_ = backoff_.count() == 0 ? limits::matrix::sync_first_backoff
                                   : std::min(backoff_ * 2, limits::matrix::sync_max_backoff);
  const auto wait = std::max(backoff_, r.retry_after);
  // Said on the first failure and then now and again, not on every retry of an outage.
  if (failures_ == 1 || failures_ % 10 == 0)
    spdlog::warn("matrix: {} failed ({}, {} time(s) in a row); trying again in {} ms", what, r.describe(), failures_,
                 wait.count());
  return wait;
}

bool SyncLoop::identify() {
  const Client client(config_, services_.outbound);
  while (!stopping()) {
    const CallResult r = client.whoami();
    std::string user;
    if (r.ok && r.answer.contains("user_id") && r.answer["user_id"].is_string())
      user = r.answer["user_id"].get<std::string>();
    if (!user.empty() && !config_.bot_user.empty() && user != config_.bot_user) {
      const std::string problem = "MATRIX_ACCESS_TOKEN belongs to " + user + ", not to MATRIX_BOT_USER " +
                                  config_.bot_user + ": correct one of them and restart whygo";
      spdlog::error("matrix: {}", log_text::field(problem));
      health_->set(problem);
      if (!pause(limits::matrix::sync_max_backoff)) return false;
      continue;
    }
    if (!user.empty()) {
      config_.bot_user = user;
      health_->clear();
      failures_ = 0;
      backoff_ = {};
      handler_ = std::make_shared<Transactions>(services_, Client(config_, services_.outbound));
      spdlog::info("Matrix is on: {} on {}, as a user (/sync)", log_text::field(user), config_.homeserver_url);
      return true;
    }
    if (!pause(failed("whoami", r))) return false;
  }
  return false;
}

void SyncLoop::run() {
  if (!identify()) return;
  since_ = services_.sync_positions.sync_position("matrix", config_.bot_user).value_or("");
  caught_up_ = !since_.empty();
  while (!stopping()) {
    const auto wait = sync_once();
    if (wait.count() > 0 && !pause(wait)) return;
  }
}

std::vector<Event> SyncLoop::backfill(const Gap& gap) {
  std::vector<Event> older;  // newest first, as /messages gives them with dir=b
  std::string from = gap.prev_batch;
  int pages = 0;
  for (; pages < limits::matrix::backfill_max_pages && !from.empty() && !stopping(); ++pages) {
    const CallResult r =
        handler_->client().messages(gap.room_id, from, since_, room_filter_, limits::matrix::sync_timeline_limit);
    const auto page = r.ok ? parse_messages(r.answer, gap.room_id, config_.bot_user) : std::nullopt;
    if (!page) {
      spdlog::warn("matrix: reading back what {} said since the last sync failed ({}); the older events are skipped",
                   log_text::field(gap.room_id), r.describe());
      break;
    }
    older.insert(older.end(), page->events.begin(), page->events.end());
    if (page->events.empty() || page->end == from) break;
    from = page->end;
  }
  if (pages == limits::matrix::backfill_max_pages)
    spdlog::warn("matrix: {} had more than {} events since the last sync; the older ones were not read",
                 log_text::field(gap.room_id), older.size());
  std::reverse(older.begin(), older.end());
  return older;
}

std::chrono::milliseconds SyncLoop::sync_once() {
  // The first sync of a new bot answers at once with where the rooms stand; later ones wait for news.
  const auto timeout = caught_up_ ? limits::matrix::sync_timeout : std::chrono::milliseconds(0);
  const CallResult r = handler_->client().sync(since_, filter_, timeout, cancellation_);
  if (stopping()) return {};
  if (!r.ok) return failed("sync", r);
  const auto batch = parse_sync(r.answer, config_.bot_user);
  if (!batch) return failed("sync (an answer without next_batch)", r);
  health_->clear();
  failures_ = 0;
  backoff_ = {};
  for (const Invite& invite : batch->invites) handler_->accept_invite(invite.room_id, invite.inviter, invite.encrypted);
  if (caught_up_) {
    // What a limited timeline left out comes first: it is older than the batch.
    std::vector<Event> events;
    for (const Gap& gap : batch->gaps) {
      std::vector<Event> older = backfill(gap);
      events.insert(events.end(), std::make_move_iterator(older.begin()), std::make_move_iterator(older.end()));
    }
    events.insert(events.end(), batch->events.begin(), batch->events.end());
    for (const Event& event : events) {
      try {
        handler_->handle(event);
      } catch (const std::exception& e) {
        spdlog::error("matrix: event {} failed: {}", log_text::field(event.event_id), e.what());
      }
    }
  } else if (!batch->events.empty()) {
    // A bot that starts for the first time does not answer what was asked before it was there.
    spdlog::info("matrix: first sync: {} earlier event(s) in joined rooms left as history", batch->events.size());
  }
  try {
    services_.sync_positions.save_sync_position("matrix", config_.bot_user, batch->next_batch,
                                                unix_seconds(services_.clock));
  } catch (const std::exception& e) {
    // Not moving on: the batch comes again, and what was done in it is known by event_id.
    spdlog::error("matrix: cannot store the sync position: {}", e.what());
    return limits::matrix::sync_first_backoff;
  }
  since_ = batch->next_batch;
  caught_up_ = true;
  return {};
}

}  // namespace whygo::matrix
