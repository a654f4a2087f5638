// Write allowances in PostgreSQL (data/migrations/postgresql/004_write_allowance.sql), shared
// by every replica: one INSERT ... ON CONFLICT DO UPDATE ... RETURNING per take. Two replicas
// taking for one user at once queue on the row's lock, so the allowance is never overdrawn.
#include <pqxx/transaction>

#include "bot/pg_store.hpp"

namespace whygo {
namespace {

constexpr std::size_t prune_every = 256;

// The bucket refilled to now (never past the burst; a clock behind the row's adds nothing).
// (The parameters are cast: PostgreSQL would otherwise read $4 as a bigint, as its neighbour.)
constexpr const char* refilled = "LEAST($2::float8, w.tokens + GREATEST($3::bigint - w.updated_ms, 0) / $4::float8)";

}  // namespace

std::chrono::milliseconds PgStore::take_write(const std::string& key, const WriteAllowance& allowance,
                                              std::int64_t now_ms) {
  const double refill_ms = static_cast<double>(allowance.refill.count());
  const double burst = allowance.burst;
  double tokens = 0;
  bool allowed = false;
  run("cannot count the write", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto row = tx.exec_params(
        std::string("INSERT INTO write_allowance AS w (key, tokens, updated_ms, allowed)"
                    " VALUES ($1, $2::float8 - 1, $3::bigint, true) ON CONFLICT (key) DO UPDATE SET tokens = ") +
            refilled + " - CASE WHEN " + refilled + " >= 1 THEN 1 ELSE 0 END, allowed = " + refilled +
            " >= 1, updated_ms = GREATEST(w.updated_ms, $3::bigint) RETURNING tokens, allowed",
        key, burst, now_ms, refill_ms)[0];
    tokens = row[0].as<double>();
    allowed = row[1].as<bool>();
    tx.commit();
  });
  bool prune = false;
  {
    std::lock_guard lock(prune_mutex_);
    if (++takes_since_prune_ >= prune_every) {
      takes_since_prune_ = 0;
      prune = true;
    }
  }
  if (prune)
    run("cannot prune write allowances", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec_params("DELETE FROM write_allowance WHERE updated_ms < $1",
                     now_ms - static_cast<std::int64_t>(burst * refill_ms));
      tx.commit();
    });
  if (allowed) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<std::int64_t>((1 - tokens) * refill_ms) + 1);
}

}  // namespace whygo
