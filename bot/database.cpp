#include "bot/database.hpp"

#include "bot/pg_store.hpp"
#include "bot/store.hpp"

namespace whygo {

bool is_postgres_uri(const std::string& where) {
  return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0;
}

std::string redact_uri(const std::string& uri) {
  // scheme://user:password@host...: the password is what lies between the first ':' after the
  // scheme and the '@' that ends the user information.
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) return uri;
  const auto start = scheme_end + 3;
  const auto at = uri.find('@', start);
  const auto slash = uri.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return uri;
  const auto colon = uri.find(':', start);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

const std::vector<CopiedTable>& copied_tables() {
  static const std::vector<CopiedTable> tables = {
      {"sections", {"name", "position"}},
      {"links",
       {"id", "title", "url", "author", "medium", "section", "subject", "tags", "host", "extra", "origin", "position",
        "created_at", "updated_at", "removed_at", "url_key"}},
      {"audit",
       {"id", "at", "platform", "user_id", "action", "link_id", "suggestion_id", "before", "after", "detail", "undo_of",
        "undone_by"}},
      {"suggestions",
       {"id", "url", "title", "platform", "user_id", "created_at", "status", "decided_by", "decided_at", "reason",
        "link_id", "tenant", "channel", "decided_audit"}},
      {"story_days", {"day", "link_id", "cycle"}},
      {"subscriptions",
       {"platform", "channel", "tenant", "minute", "zone", "thread", "created_by", "created_at", "paused"}},
      {"post_claims",
       {"platform", "channel", "local_date", "link_id", "status", "claim_key", "claimed_by", "claimed_at", "done_at",
        "attempts", "reason"}},
      {"seen_events", {"platform", "event_id", "seen_at"}},
      {"installations", {"platform", "tenant", "enterprise", "bot_user", "sealed_token", "installed_at"}},
      {"sync_positions", {"platform", "account", "position", "updated_at"}},
      {"link_health",
       {"link_id", "url", "status", "final_url", "error", "checked_at", "last_success", "failures", "failing_since",
        "dead", "fix_url", "archive_url", "archive_checked_at"}},
      {"upstream_state", {"url", "etag", "last_modified", "checked_at", "changed_at", "outcome"}},
      {"upstream_claims", {"period", "claimed_by", "claimed_at"}}};
  return tables;
}

std::unique_ptr<Database> open_database(const std::string& where) {
  if (is_postgres_uri(where)) return std::make_unique<PgStore>(where);
  return std::make_unique<Store>(where);
}

// An in-process listener, and the store's watcher of other processes.
class Database::Listening final : public CatalogWatcher {
 public:
  Listening(Database& db, std::list<std::function<void()>>::iterator at) : db_(db), at_(at) {}
  ~Listening() override {
    others_.reset();  // its thread stops first: it calls the listener too
    std::lock_guard lock(db_.listeners_mutex_);
    db_.listeners_.erase(at_);
  }
  std::unique_ptr<CatalogWatcher> others_;

 private:
  Database& db_;
  std::list<std::function<void()>>::iterator at_;
};

std::unique_ptr<CatalogWatcher> Database::watch_catalog(std::function<void()> changed) {
  std::list<std::function<void()>>::iterator at;
  {
    std::lock_guard lock(listeners_mutex_);
    at = listeners_.insert(listeners_.end(), changed);
  }
  auto listening = std::make_unique<Listening>(*this, at);
  listening->others_ = watch_other_processes(std::move(changed));
  return listening;
}

void Database::catalog_written() {
  // Under the lock, so a listener is never called after its watcher is gone.
  std::lock_guard lock(listeners_mutex_);
  for (const auto& listener : listeners_) listener();
}

}  // namespace whygo
