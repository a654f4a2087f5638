// Inside the PostgreSQL store: rows read back as the roles' types, and the advisory locks
// that serialise read-then-write changes across replicas. Only pg_store*.cpp include it.
#pragma once
#include <pqxx/pqxx>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bot/catalog_import.hpp"
#include "bot/link.hpp"
#include "bot/store_roles.hpp"
#include "bot/store_rows.hpp"
#include "bot/tags.hpp"
#include "bot/url.hpp"

namespace whygo::pg_rows {

// Advisory lock keys (pg_advisory_lock): one for migrations (session), one for catalog changes
// and suggestions, one for the story rotation (both transaction-scoped).
inline constexpr std::int64_t migrate_lock = 0x7768796730303031;  // "whyg0001"
inline constexpr std::int64_t catalog_lock = 0x7768796730303032;
inline constexpr std::int64_t story_lock = 0x7768796730303033;

inline void lock(pqxx::transaction_base& tx, std::int64_t key) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", key);
}

// The columns read_link() expects, in order (the same as the SQLite store's).
inline constexpr const char* link_columns = store_rows::link_columns;

inline Link read_link(const pqxx::row& r) {
  Link link;
  link.id = r[0].as<std::int64_t>();
  link.title = r[1].as<std::string>();
  link.url = r[2].as<std::string>();
  link.author = r[3].as<std::string>();
  link.medium = r[4].as<std::string>();
  link.section = r[5].as<std::string>();
  link.subject = r[6].as<std::string>();
  link.tags = store_rows::split_tags(r[7].as<std::string>());
  const std::string origin = r[8].as<std::string>();
  link.origin = store_rows::stored(parse_link_origin(origin), "link origin", origin);
  link.added_at = r[9].as<std::int64_t>();
  return link;
}

// Runs sql with a link's content as $1..$10 (title, url, author, medium, section, subject,
// tags, host, extra, url_key), then `more` as $11 on.
template <typename... More>
pqxx::result exec_content(pqxx::transaction_base& tx, const std::string& sql, const Link& link, More&&... more) {
  return tx.exec_params(sql, link.title, link.url, link.author, link.medium, link.section, link.subject,
                        store_rows::join_tags(link.tags), tags::host_of(link.url), tags::index_extra(link),
                        url::key(link.url), std::forward<More>(more)...);
}
inline constexpr const char* content_columns =
    "title, url, author, medium, section, subject, tags, host, extra, url_key";

// The audit rows an import or sync keeps admins' changes by (store_rows::admin_edits).
std::vector<catalog_import::AdminEdit> admin_edits(pqxx::transaction_base& tx);

// Writes what an import or a sync planned, as store_rows::write_plan does on SQLite.
void write_plan(pqxx::transaction_base& tx, const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                const catalog_import::Plan& plan, std::int64_t now, bool revive,
                const store_rows::PlanWritten& written);

}  // namespace whygo::pg_rows
