// The PostgreSQL store: every role over one database that several whygo replicas share. The
// schema is versioned (whygo_schema) and migrated at open under an advisory lock, so replicas
// starting together migrate once. Writes that read before they write (curation, the story
// rotation) hold a transaction-scoped advisory lock; claims and sightings are one
// INSERT ... ON CONFLICT DO NOTHING each, so the first replica to insert owns the row.
// Safe to share between threads: each call leases a connection from a pool.
#pragma once
#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bot/database.hpp"

namespace whygo {

class PgStore final : public Database {
 public:
  // Connects to uri (a libpq connection URI) and migrates; throws StoreError saying why not.
  explicit PgStore(std::string uri);
  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  int schema_version() override;
  int latest_schema_version() const override;
  std::string describe() const override;
  bool seeded() override;
  ImportCounts import_links(const std::vector<std::string>& sections, const std::vector<Link>& links,
                            std::int64_t now) override;
  UpstreamApplied apply_upstream(const std::vector<std::string>& sections, const std::vector<Link>& links,
                                 const Actor& upstream, double max_removed_share) override;
  std::optional<Problem> write_problem() override;
  void backup_to(const std::string& path) override;  // throws: pg_dump is the tool

  std::vector<TableRows> copy_out() override;
  void copy_in(const std::vector<TableRows>& tables) override;
  std::size_t row_count(const std::string& table) override;

  std::vector<Link> links() override;
  std::optional<Link> link(std::int64_t id) override;
  std::optional<Link> find_by_url(const std::string& url) override;
  std::vector<std::string> section_names() override;
  std::vector<SectionCount> sections() override;
  std::size_t link_count() override;
  std::int64_t catalog_version() override;
  CatalogChanges changes_since(std::int64_t version) override;
  std::string index_location() override;  // "": each replica keeps its index in a temporary folder

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

  std::optional<Link> story_of(std::int64_t day, std::int64_t record_through) override;

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

  bool first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix) override;

  void save_installation(const Installation& installation) override;
  std::optional<Installation> installation(const std::string& platform, const std::string& tenant) override;
  bool remove_installation(const std::string& platform, const std::string& tenant) override;
  std::vector<Installation> installations(const std::string& platform) override;

  std::optional<std::string> sync_position(const std::string& platform, const std::string& account) override;
  void save_sync_position(const std::string& platform, const std::string& account, const std::string& position,
                          std::int64_t now) override;

  std::chrono::milliseconds take_write(const std::string& key, const WriteAllowance& allowance,
                                       std::int64_t now_ms) override;

  // Link health (pg_store_health.cpp)
  std::optional<LinkHealth> link_health(std::int64_t link_id) override;
  std::vector<LinkHealth> link_healths(bool fixes_only = false) override;
  void save_link_health(const LinkHealth& health) override;
  HealthCounts health_counts() override;
  std::vector<Link> links_to_check(std::int64_t checked_before, std::size_t count) override;

  // Upstream sync state and claims (pg_store.cpp)
  std::optional<UpstreamState> upstream_state(const std::string& url) override;
  void save_upstream_state(const UpstreamState& state) override;
  bool claim_upstream_sync(std::int64_t period, const std::string& claimed_by, std::int64_t now) override;

  // Runs body on a pooled connection; database errors become StoreError (prefixed with `what`).
  // A connection that broke is dropped, not pooled again.
  void run(const char* what, const std::function<void(pqxx::connection&)>& body);

 protected:
  std::unique_ptr<CatalogWatcher> watch_other_processes(std::function<void()> changed) override;

 private:
  std::unique_ptr<pqxx::connection> connect();
  void migrate();

  std::string uri_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::mutex prune_mutex_;
  std::size_t sightings_since_prune_ = 0;
  std::size_t takes_since_prune_ = 0;
};

}  // namespace whygo
