// Write allowances in the SQLite file (data/migrations/012_write_allowance.sql): one upsert per
// take, so `whygo serve` and anything else writing the file draw on one allowance per user.
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"

namespace whygo {
namespace {

// Every so many takes, rows whose bucket has filled up again are deleted.
constexpr std::size_t prune_every = 256;

// The bucket refilled to now (never past the burst; a clock behind the row's adds nothing).
constexpr const char* refilled = "min(?2, tokens + max(?3 - updated_ms, 0) / ?4)";

}  // namespace

std::chrono::milliseconds Store::take_write(const std::string& key, const WriteAllowance& allowance,
                                            std::int64_t now_ms) {
  const double refill_ms = static_cast<double>(allowance.refill.count());
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Statement take(*writer_, std::string("INSERT INTO write_allowance (key, tokens, updated_ms, allowed)"
                                                 " VALUES (?1, ?2 - 1, ?3, 1) ON CONFLICT (key) DO UPDATE SET"
                                                 " tokens = ") +
                                         refilled + " - (" + refilled + " >= 1), allowed = (" + refilled +
                                         " >= 1), updated_ms = max(updated_ms, ?3) RETURNING tokens, allowed");
    take.bind(1, key);
    take.bind(2, allowance.burst);
    take.bind(3, now_ms);
    take.bind(4, refill_ms);
    if (!take.executeStep()) throw StoreError("write allowance: the upsert returned no row");
    const double tokens = take.getColumn(0).getDouble();
    const bool allowed = take.getColumn(1).getInt() != 0;
    take.reset();
    if (++takes_since_prune_ >= prune_every) {
      takes_since_prune_ = 0;
      SQLite::Statement prune(*writer_, "DELETE FROM write_allowance WHERE updated_ms < ?");
      prune.bind(1, now_ms - static_cast<std::int64_t>(allowance.burst * refill_ms));
      prune.exec();
    }
    if (allowed) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<std::int64_t>((1 - tokens) * refill_ms) + 1);
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("cannot count the write: ") + e.what());
  }
}

}  // namespace whygo
