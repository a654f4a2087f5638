// Store: the story rotation, subscriptions and post claims.
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"
#include "bot/story.hpp"

namespace whygo {
using namespace store_rows;
namespace {

std::optional<Link> any_link(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, sql({"SELECT ", link_columns, " FROM links WHERE id = ?"}));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_link(q);
}

std::vector<std::int64_t> active_ids(SQLite::Database& db) {
  // Dead links (link health, while their URL is the one found dead) are passed over: the rotation goes on with the next
  // live one.
  SQLite::Statement q(
      db,
      "SELECT id FROM links WHERE removed_at IS NULL"
      " AND id NOT IN (SELECT h.link_id FROM link_health h WHERE h.dead <> 0 AND h.url = links.url) ORDER BY id");
  std::vector<std::int64_t> ids;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  return ids;
}

PostClaim read_claim(SQLite::Statement& q) {
  PostClaim c;
  c.platform = q.getColumn(0).getString();
  c.channel = q.getColumn(1).getString();
  c.local_date = q.getColumn(2).getInt64();
  c.link_id = q.getColumn(3).getInt64();
  const std::string status = q.getColumn(4).getString();
  c.status = stored(parse_post_status(status), "post status", status);
  c.claim_key = q.getColumn(5).getString();
  c.claimed_by = q.getColumn(6).getString();
  c.claimed_at = q.getColumn(7).getInt64();
  c.attempts = q.getColumn(8).getInt();
  c.reason = q.getColumn(9).getString();
  return c;
}

constexpr const char* claim_columns =
    "platform, channel, local_date, link_id, status, claim_key, claimed_by, claimed_at, attempts, reason";

}  // namespace

std::optional<Link> Store::story_of(std::int64_t day, std::int64_t record_through) {
  std::lock_guard lock(write_mutex_);
  SQLite::Database& db = *writer_;
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    // A recorded day keeps its story, even if its link was removed since. Days are recorded
    // once they have come (for someone: the daily post records each channel's local date), so
    // a date's story never changes from then on; until then it is a forecast.
    SQLite::Statement recorded(db, "SELECT link_id FROM story_days WHERE day = ?");
    recorded.bind(1, day);
    if (recorded.executeStep()) return any_link(db, recorded.getColumn(0).getInt64());
    std::optional<StoryDay> last;
    {
      SQLite::Statement q(db, "SELECT day, link_id, cycle FROM story_days ORDER BY day DESC LIMIT 1");
      if (q.executeStep())
        last = StoryDay{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
    }
    const auto active = active_ids(db);
    if (last && day < last->day) {
      // Before the recorded rotation began: the record-free rotation answers, and a day that has
      // come is recorded (outside any cycle), so links added or removed later leave it as told.
      std::vector<Link> links;
      for (const auto id : active) links.push_back(*any_link(db, id));
      const auto link = story_for(std::move(links), date::sys_days{date::days{day}});
      if (link && day <= record_through) {
        SQLite::Statement record(db, "INSERT INTO story_days (day, link_id, cycle) VALUES (?, ?, -1)");
        record.bind(1, day);
        record.bind(2, link->id);
        record.exec();
        tx.commit();
      }
      return link;
    }
    std::vector<std::int64_t> shown;
    if (last) {
      SQLite::Statement q(db, "SELECT link_id FROM story_days WHERE cycle = ?");
      q.bind(1, last->cycle);
      while (q.executeStep()) shown.push_back(q.getColumn(0).getInt64());
    }
    const auto days = continue_rotation(last, shown, active, std::min(day, record_through), day);
    if (days.empty()) return std::nullopt;
    SQLite::Statement record(db, "INSERT INTO story_days (day, link_id, cycle) VALUES (?, ?, ?)");
    for (const auto& d : days) {
      if (d.day > record_through) break;
      record.bind(1, d.day);
      record.bind(2, d.link_id);
      record.bind(3, d.cycle);
      record.exec();
      record.reset();
    }
    tx.commit();
    return any_link(db, days.back().link_id);
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("story of the day: ") + e.what());
  }
}

bool Store::subscribe(const Subscription& s) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement exists(*writer_, "SELECT 1 FROM subscriptions WHERE platform = ? AND channel = ?");
    exists.bind(1, s.platform);
    exists.bind(2, s.channel);
    const bool is_new = !exists.executeStep();
    SQLite::Statement upsert(
        *writer_,
        "INSERT INTO subscriptions (platform, channel, tenant, minute, zone, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, channel) DO UPDATE SET"
        " tenant = excluded.tenant, minute = excluded.minute, zone = excluded.zone,"
        " created_by = excluded.created_by, created_at = excluded.created_at");
    upsert.bind(1, s.platform);
    upsert.bind(2, s.channel);
    upsert.bind(3, s.tenant);
    upsert.bind(4, s.minute);
    upsert.bind(5, s.zone);
    upsert.bind(6, s.created_by);
    upsert.bind(7, s.created_at);
    upsert.exec();
    tx.commit();
    return is_new;
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("subscription not saved: ") + e.what());
  }
}

bool Store::unsubscribe(const std::string& platform, const std::string& channel) {
  std::lock_guard lock(write_mutex_);
  SQLite::Statement q(*writer_, "DELETE FROM subscriptions WHERE platform = ? AND channel = ?");
  q.bind(1, platform);
  q.bind(2, channel);
  return q.exec() > 0;
}

std::vector<Subscription> Store::subscriptions(const std::string& platform) {
  auto db = reader();
  SQLite::Statement q(
      *db,
      "SELECT platform, channel, tenant, minute, zone, created_by, created_at, paused FROM subscriptions"
      " WHERE ? = '' OR platform = ? ORDER BY platform, channel");
  q.bind(1, platform);
  q.bind(2, platform);
  std::vector<Subscription> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getInt(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                   q.getColumn(6).getInt64(), q.getColumn(7).getInt() != 0});
  return out;
}

bool Store::claim_post(const PostClaim& c) {
  std::lock_guard lock(write_mutex_);
  SQLite::Statement q(*writer_,
                      "INSERT OR IGNORE INTO post_claims (platform, channel, local_date, link_id, status, claim_key,"
                      " claimed_by, claimed_at) VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?)");
  q.bind(1, c.platform);
  q.bind(2, c.channel);
  q.bind(3, c.local_date);
  q.bind(4, c.link_id);
  q.bind(5, c.claim_key);
  q.bind(6, c.claimed_by);
  q.bind(7, c.claimed_at);
  return q.exec() > 0;  // autocommit: the claim is durable before any send
}

std::optional<PostClaim> Store::post_claim(const std::string& platform, const std::string& channel,
                                           std::int64_t local_date) {
  auto db = reader();
  SQLite::Statement q(
      *db, sql({"SELECT ", claim_columns, " FROM post_claims WHERE platform = ? AND channel = ? AND local_date = ?"}));
  q.bind(1, platform);
  q.bind(2, channel);
  q.bind(3, local_date);
  if (!q.executeStep()) return std::nullopt;
  return read_claim(q);
}

std::optional<PostClaim> Store::last_post(const std::string& platform, const std::string& channel) {
  auto db = reader();
  // Prepared once per connection: every chat request asks it (Dispatcher::tell_failed_post), and
  // parsing it was most of its cost.
  auto& q = db.prepared(sql({"SELECT ", claim_columns,
                             " FROM post_claims WHERE platform = ? AND channel = ? ORDER BY local_date DESC LIMIT 1"}));
  q.bind(1, platform);
  q.bind(2, channel);
  if (!q.executeStep()) return std::nullopt;
  return read_claim(q);
}

void Store::finish_post(const std::string& platform, const std::string& channel, std::int64_t local_date,
                        PostStatus status, const std::string& reason, int attempts, std::int64_t now) {
  std::lock_guard lock(write_mutex_);
  SQLite::Statement q(*writer_,
                      "UPDATE post_claims SET status = ?, reason = ?, attempts = attempts + ?, done_at = ?"
                      " WHERE platform = ? AND channel = ? AND local_date = ?");
  q.bind(1, std::string(to_string(status)));
  q.bind(2, reason);
  q.bind(3, attempts);
  q.bind(4, now);
  q.bind(5, platform);
  q.bind(6, channel);
  q.bind(7, local_date);
  q.exec();
}

std::vector<PostClaim> Store::stale_claims(std::int64_t older_than) {
  auto db = reader();
  SQLite::Statement q(*db, sql({"SELECT ", claim_columns,
                                " FROM post_claims WHERE status = 'claimed' AND claimed_at < ? ORDER BY claimed_at"}));
  q.bind(1, older_than);
  std::vector<PostClaim> out;
  while (q.executeStep()) out.push_back(read_claim(q));
  return out;
}

bool Store::take_over_claim(const PostClaim& stale, const std::string& claimed_by, std::int64_t now) {
  std::lock_guard lock(write_mutex_);
  SQLite::Statement q(*writer_,
                      "UPDATE post_claims SET claimed_by = ?, claimed_at = ? WHERE platform = ? AND channel = ?"
                      " AND local_date = ? AND status = 'claimed' AND claimed_by = ? AND claimed_at = ?");
  q.bind(1, claimed_by);
  q.bind(2, now);
  q.bind(3, stale.platform);
  q.bind(4, stale.channel);
  q.bind(5, stale.local_date);
  q.bind(6, stale.claimed_by);
  q.bind(7, stale.claimed_at);
  return q.exec() > 0;
}

std::vector<PostClaim> Store::post_claims(std::int64_t local_date) {
  auto db = reader();
  SQLite::Statement q(
      *db, sql({"SELECT ", claim_columns, " FROM post_claims WHERE local_date = ? ORDER BY platform, channel"}));
  q.bind(1, local_date);
  std::vector<PostClaim> out;
  while (q.executeStep()) out.push_back(read_claim(q));
  return out;
}

}  // namespace whygo
