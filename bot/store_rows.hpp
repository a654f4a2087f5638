// Inside the store: how a Link maps to rows, bindings and audit JSON. Only store*.cpp include it.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/catalog_import.hpp"
#include "bot/link.hpp"
#include "bot/store.hpp"

namespace whygo::store_rows {

// Joins pieces of a statement. (Building SQL with std::string's operator+ trips GCC 12's false
// -Warray-bounds at -O2.)
std::string sql(std::initializer_list<std::string_view> parts);
std::string join_tags(const std::vector<std::string>& tags);
std::vector<std::string> split_tags(const std::string& joined);

// The columns read_link() expects, in order; prefix with "links." where joins need it.
inline constexpr const char* link_columns =
    "id, title, url, author, medium, section, subject, tags, origin, created_at";
inline constexpr const char* link_columns_qualified =
    "links.id, links.title, links.url, links.author, links.medium, links.section, links.subject, links.tags, "
    "links.origin, links.created_at";
Link read_link(SQLite::Statement& q);

bool same_content(const Link& a, const Link& b);
// Binds :title :url :author :medium :section :subject :tags :host :extra :url_key.
void bind_content(SQLite::Statement& q, const Link& link);

// A stored name read back as its enum; a name this build does not know means a damaged
// database (or one from a newer whygo), never a silent default.
template <typename Enum>
Enum stored(std::optional<Enum> parsed, std::string_view what, std::string_view text) {
  if (!parsed) throw StoreError("unknown " + std::string(what) + " \"" + std::string(text) + "\" in the database");
  return *parsed;
}

// The audit rows an import or sync keeps admins' changes by: those that changed a link, are
// neither an undo nor undone, and are not the upstream's.
std::vector<catalog_import::AdminEdit> admin_edits(SQLite::Database& db);

// Writes what an import or a sync planned: the sections (`sections` in order, then any a link
// names) and each write, inserted or updated at `now`. With `revive`, an update also brings back
// a link that was removed (a sync restoring it). `written` hears each write with its row's id.
using PlanWritten = std::function<void(const catalog_import::Write& write, std::int64_t id)>;
void write_plan(SQLite::Database& db, const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                const catalog_import::Plan& plan, std::int64_t now, bool revive, const PlanWritten& written);

// The audit trail's picture of a link.
std::string to_audit_json(const Link& link);
Link from_audit_json(const std::string& json);

}  // namespace whygo::store_rows

namespace whygo {

// A read connection of the pool, with the statements prepared on it for the hot paths (search
// runs the same few on every query; parsing them again cost a third of a small catalog's search).
struct Store::Connection {
  std::unique_ptr<SQLite::Database> db;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;  // by SQL text
};

// A pooled read connection, returned to the pool when it goes out of scope.
class Store::Lease {
 public:
  Lease(Store& store, std::unique_ptr<Connection> connection) : store_(store), connection_(std::move(connection)) {}
  Lease(Lease&&) = default;
  ~Lease() {
    if (!connection_) return;
    // A statement left mid-way would hold its read snapshot (and stale data) until next used.
    for (auto* statement : used_) {
      try {
        statement->reset();
        statement->clearBindings();
      } catch (const SQLite::Exception&) {
        // reset() reports the statement's last error again; it is reset all the same.
      }
    }
    std::lock_guard lock(store_.pool_mutex_);
    store_.idle_.push_back(std::move(connection_));
  }
  SQLite::Database& operator*() { return *connection_->db; }
  // The statement for sql, prepared on first use on this connection; reset when the lease ends.
  SQLite::Statement& prepared(const std::string& sql) {
    auto& slot = connection_->statements[sql];
    if (!slot) slot = std::make_unique<SQLite::Statement>(*connection_->db, sql);
    used_.push_back(slot.get());
    return *slot;
  }

 private:
  Store& store_;
  std::unique_ptr<Connection> connection_;
  std::vector<SQLite::Statement*> used_;
};

}  // namespace whygo
