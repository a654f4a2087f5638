// Inside the store: how a Link maps to rows, bindings and audit JSON. Only store*.cpp include it.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "link.hpp"
#include "store.hpp"

namespace whygo::store_rows {

std::int64_t unix_now();

// Joins pieces of a statement. (Building SQL with std::string's operator+ trips GCC 12's false
// -Warray-bounds at -O2.)
std::string sql(std::initializer_list<std::string_view> parts);
std::string join_tags(const std::vector<std::string>& tags);
std::vector<std::string> split_tags(const std::string& joined);

// The columns read_link() expects, in order; prefix with "links." where joins need it.
inline constexpr const char* link_columns = "id, title, url, author, medium, section, subject, tags, origin";
inline constexpr const char* link_columns_qualified =
    "links.id, links.title, links.url, links.author, links.medium, links.section, links.subject, links.tags, "
    "links.origin";
Link read_link(SQLite::Statement& q);

bool same_content(const Link& a, const Link& b);
// Binds :title :url :author :medium :section :subject :tags :host :extra :url_key.
void bind_content(SQLite::Statement& q, const Link& link);

// The audit trail's picture of a link.
std::string to_audit_json(const Link& link);
Link from_audit_json(const std::string& json);

}  // namespace whygo::store_rows

namespace whygo {

// A pooled read connection, returned to the pool when it goes out of scope.
class Store::Lease {
 public:
  Lease(Store& store, std::unique_ptr<SQLite::Database> db) : store_(store), db_(std::move(db)) {}
  Lease(Lease&&) = default;
  ~Lease() {
    if (!db_) return;
    std::lock_guard lock(store_.pool_mutex_);
    store_.idle_.push_back(std::move(db_));
  }
  SQLite::Database& operator*() { return *db_; }

 private:
  Store& store_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace whygo
