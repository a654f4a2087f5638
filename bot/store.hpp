// The one place SQL lives: catalog and counters in a SQLite file (WAL mode, schema versioned
// with PRAGMA user_version and migrated at open). Safe to share between threads: reads use
// pooled connections, writes are serialised. It feeds the search index (CatalogFeed), which is
// kept beside the file.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/database.hpp"
#include "bot/link.hpp"
#include "bot/problem.hpp"
#include "bot/store_roles.hpp"

namespace SQLite {
class Database;
}

namespace whygo {

// The SQLite store: every role, over one file.
class Store final : public Database {
 public:
  // Opens (creating if needed), checks (PRAGMA quick_check, within limits::startup_check_budget)
  // and migrates the database; throws StoreError, naming the damage for a corrupt file.
  explicit Store(std::string path);
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() override;
  std::string describe() const override;  // the file

  // nullopt when a new connection can write to the database (a write is begun and rolled
  // back) and its disk has room (limits::disk_free_min_bytes); otherwise why not. For /readyz.
  std::optional<Problem> write_problem() override;
  // Copies the live database to path, consistently (SQLite's online backup), then checks the copy
  // (PRAGMA integrity_check); a damaged copy is removed and StoreError thrown.
  void backup_to(const std::string& path) override;
  int latest_schema_version() const override;

  // copy-store (store_copy.cpp)
  std::vector<TableRows> copy_out() override;
  void copy_in(const std::vector<TableRows>& tables) override;
  std::size_t row_count(const std::string& table) override;

  // Catalog
  bool seeded() override;
  // Adds new links and updates changed ones, matching by (url, title), then by url alone, by a
  // URL an admin changed away from, then by url::key; never deletes. What admins changed (the
  // audit trail's changes not undone) and links admins added keep the admins' title, url,
  // author and tags. One transaction, dated `now` (unix seconds); marks the catalog seeded.
  ImportCounts import_links(const std::vector<std::string>& sections, const std::vector<Link>& links,
                            std::int64_t now) override;
  // A sync of the upstream page (store_curation.cpp): the import's matching, the vanished links
  // planned out, audited as `upstream`; refused whole past max_removed_share.
  UpstreamApplied apply_upstream(const std::vector<std::string>& sections, const std::vector<Link>& links,
                                 const Actor& upstream, double max_removed_share) override;
  std::vector<Link> links() override;
  std::optional<Link> link(std::int64_t id) override;
  std::optional<Link> find_by_url(const std::string& url) override;
  std::vector<std::string> section_names() override;
  std::vector<SectionCount> sections() override;
  std::size_t link_count() override;
  std::int64_t catalog_version() override;

  // Search support (CatalogFeed): every link row carries the catalog version that last wrote it.
  CatalogChanges changes_since(std::int64_t version) override;
  std::string index_location() override;  // "<database file>-search"

  // Curation
  WriteResult add_link(Link link, const Actor& actor) override;
  WriteResult remove_link(std::int64_t id, const Actor& actor) override;
  WriteResult update_link(const Link& changed, AuditAction action, const Actor& actor) override;
  WriteResult undo_last(const Actor& actor) override;
  std::vector<AuditEntry> history(std::size_t count) override;
  WriteResult add_suggestion(const std::string& url, const std::string& title, const Actor& actor,
                             const SuggestionPlace& place, const PendingCaps& caps) override;
  std::vector<Suggestion> pending_suggestions(std::size_t count) override;
  std::optional<Suggestion> suggestion(std::int64_t id) override;
  WriteResult approve_suggestion(std::int64_t id, Link link, const Actor& actor) override;
  WriteResult reject_suggestion(std::int64_t id, const std::string& reason, const Actor& actor) override;
  WriteResult reject_suggestions(const SuggestionSelection& which, const std::string& reason,
                                 const Actor& actor) override;

  // The story of the day: the rotation is kept in story_days.
  std::optional<Link> story_of(std::int64_t day, std::int64_t record_through) override;

  // Subscriptions and post claims
  bool subscribe(const Subscription& subscription) override;
  bool unsubscribe(const std::string& platform, const std::string& channel) override;
  std::vector<Subscription> subscriptions(const std::string& platform = {}) override;
  std::optional<PostClaim> last_post(const std::string& platform, const std::string& channel) override;
  bool claim_post(const PostClaim& claim) override;
  std::optional<PostClaim> post_claim(const std::string& platform, const std::string& channel,
                                      std::int64_t local_date) override;
  void finish_post(const std::string& platform, const std::string& channel, std::int64_t local_date, PostStatus status,
                   const std::string& reason, int attempts, std::int64_t now) override;
  std::vector<PostClaim> stale_claims(std::int64_t older_than) override;
  bool take_over_claim(const PostClaim& stale, const std::string& claimed_by, std::int64_t now) override;
  std::vector<PostClaim> post_claims(std::int64_t local_date) override;

  // Prunes ids older than the retention, and the oldest past the cap.
  bool first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix) override;

  // Installations (store_installations.cpp)
  void save_installation(const Installation& installation) override;
  std::optional<Installation> installation(const std::string& platform, const std::string& tenant) override;
  bool remove_installation(const std::string& platform, const std::string& tenant) override;
  std::vector<Installation> installations(const std::string& platform) override;

  // Write allowances (store_limits.cpp)
  std::chrono::milliseconds take_write(const std::string& key, const WriteAllowance& allowance,
                                       std::int64_t now_ms) override;

  // Sync positions (store_sync.cpp)
  std::optional<std::string> sync_position(const std::string& platform, const std::string& account) override;
  void save_sync_position(const std::string& platform, const std::string& account, const std::string& position,
                          std::int64_t now) override;

  // Link health (store_health.cpp)
  std::optional<LinkHealth> link_health(std::int64_t link_id) override;
  std::vector<LinkHealth> link_healths(bool fixes_only = false) override;
  void save_link_health(const LinkHealth& health) override;
  HealthCounts health_counts() override;
  std::vector<Link> links_to_check(std::int64_t checked_before, std::size_t count) override;
  // Upstream sync state and claims (store_upstream.cpp)
  std::optional<UpstreamState> upstream_state(const std::string& url) override;
  void save_upstream_state(const UpstreamState& state) override;
  bool claim_upstream_sync(std::int64_t period, const std::string& claimed_by, std::int64_t now) override;

 protected:
  std::unique_ptr<CatalogWatcher> watch_other_processes(std::function<void()> changed) override;

 private:
  class Lease;
  struct Connection;
  Lease reader();
  std::unique_ptr<SQLite::Database> connect();
  void check_integrity();
  void migrate();
  void fill_url_keys();

  std::string path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex write_mutex_;
  std::unique_ptr<SQLite::Database> writer_;
  std::size_t sightings_since_prune_ = 0;
  std::size_t takes_since_prune_ = 0;  // guarded by write_mutex_
};

}  // namespace whygo
