// The one place SQL lives: catalog and counters in a SQLite file (WAL mode, schema versioned
// with PRAGMA user_version and migrated at open). Safe to share between threads: reads use
// pooled connections, writes are serialised. It feeds the search index (CatalogFeed), which is
// kept beside the file.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog_feed.hpp"
#include "link.hpp"

namespace SQLite {
class Database;
}

namespace whygo {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SectionCount {
  std::string name;
  std::size_t links = 0;
};

struct ImportCounts {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
};

// Who makes a change, and when (unix seconds, from the caller's clock).
struct Actor {
  std::string platform;
  std::string user;
  std::int64_t at = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string platform;
  std::string user;
  std::string action;              // add, remove, edit, tag, untag, approve, reject, undo
  std::int64_t link_id = 0;        // 0: none
  std::int64_t suggestion_id = 0;  // 0: none
  std::optional<Link> before;
  std::optional<Link> after;
  std::string detail;
  bool undone = false;
};

struct Suggestion {
  std::int64_t id = 0;
  std::string url;
  std::string title;
  std::string platform;
  std::string user;
  std::int64_t created_at = 0;
  std::string status;  // pending, approved, rejected
  std::string reason;
  std::int64_t link_id = 0;
};

enum class WriteStatus {
  done,
  duplicate,  // other_id: the link (or suggestion) that already has this URL
  not_found,  // no such link or suggestion
  conflict,   // undo: the link changed since; detail says how
  nothing_to_undo,
  not_pending,  // approve/reject of a suggestion already decided
};

struct WriteResult {
  WriteStatus status = WriteStatus::done;
  Link link;  // the link as it is now (or was, for a remove)
  std::int64_t other_id = 0;
  std::int64_t audit_id = 0;
  std::string action;  // for undo: which action was reverted
  std::string detail;
};

struct Subscription {
  std::string platform;
  std::string channel;
  std::string tenant;
  int minute = 9 * 60;       // local time of day, minutes after midnight
  std::string zone = "UTC";  // IANA name
  std::string created_by;
  std::int64_t created_at = 0;
};

struct PostClaim {
  std::string platform;
  std::string channel;
  std::int64_t local_date = 0;  // days since 1970-01-01 in the subscription's zone
  std::int64_t link_id = 0;
  std::string status;     // claimed, sent, failed, abandoned
  std::string claim_key;  // idempotency key sent to platforms that honour one
  std::string claimed_by;
  std::int64_t claimed_at = 0;
  int attempts = 0;
  std::string reason;
};

class Store : public CatalogFeed {
 public:
  // Opens (creating if needed) and migrates the database; throws StoreError.
  explicit Store(std::string path);
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version();

  // "" when a new connection can write to the database (a write is begun and rolled back);
  // otherwise why not. For /readyz.
  std::string write_problem();
  // Copies the live database to path, consistently (SQLite's online backup).
  void backup_to(const std::string& path);
  int latest_schema_version() const;

  // Catalog
  bool seeded();
  // Adds new links and updates changed ones, matching by (url, title), then by url alone; never
  // deletes. One transaction; marks the catalog seeded.
  ImportCounts import_links(const std::vector<std::string>& sections, const std::vector<Link>& links);
  std::vector<Link> links();  // in catalog order: section, then position
  std::optional<Link> link(std::int64_t id);
  std::vector<std::string> section_names();
  std::vector<SectionCount> sections();
  std::size_t link_count();

  // Search support (CatalogFeed): every link row carries the catalog version that last wrote it.
  std::int64_t catalog_version() override;
  CatalogChanges changes_since(std::int64_t version) override;
  std::string index_location() override;  // "<database file>-search"

  // Curation. Each call is one transaction with its audit row, committed before it returns.
  std::optional<Link> find_by_url(const std::string& url);  // same link: url::key
  WriteResult add_link(Link link, const Actor& actor);
  WriteResult remove_link(std::int64_t id, const Actor& actor);
  // Replaces title, url, author and tags of link `changed.id`; action names the change.
  WriteResult update_link(const Link& changed, const std::string& action, const Actor& actor);
  // Reverts the actor's own last change that is not undone yet.
  WriteResult undo_last(const Actor& actor);
  std::vector<AuditEntry> history(std::size_t count);

  WriteResult add_suggestion(const std::string& url, const std::string& title, const Actor& actor);
  std::vector<Suggestion> pending_suggestions(std::size_t count);
  // Approving adds the link (derived by the caller into `link`) and marks the suggestion.
  WriteResult approve_suggestion(std::int64_t id, Link link, const Actor& actor);
  WriteResult reject_suggestion(std::int64_t id, const std::string& reason, const Actor& actor);
  std::optional<Suggestion> suggestion(std::int64_t id);

  // The story of the day. The rotation is kept in story_days, so a date's story never changes
  // once shown; days through record_through are recorded, later ones are computed in advance.
  std::optional<Link> story_of(std::int64_t day, std::int64_t record_through);

  // Daily-post subscriptions, one per (platform, channel). Returns true when it is new.
  bool subscribe(const Subscription& subscription);
  bool unsubscribe(const std::string& platform, const std::string& channel);
  std::vector<Subscription> subscriptions(const std::string& platform = {});

  // Exactly-once posting: the first to insert the (platform, channel, local_date) row owns it.
  bool claim_post(const PostClaim& claim);
  std::optional<PostClaim> post_claim(const std::string& platform, const std::string& channel, std::int64_t local_date);
  void finish_post(const std::string& platform, const std::string& channel, std::int64_t local_date,
                   const std::string& status, const std::string& reason, int attempts, std::int64_t now);
  // Claims left 'claimed' before `older_than` (their process died mid-send).
  std::vector<PostClaim> stale_claims(std::int64_t older_than);
  // Takes over a stale claim if it is still stale; true when this process now owns it.
  bool take_over_claim(const PostClaim& stale, const std::string& claimed_by, std::int64_t now);
  std::vector<PostClaim> post_claims(std::int64_t local_date);

  // Inbound de-duplication: records (platform, id) and returns true the first time it is seen,
  // false for a repeat. Prunes ids older than the retention, and the oldest past the cap.
  bool first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix);

 private:
  class Lease;
  struct Connection;
  Lease reader();
  std::unique_ptr<SQLite::Database> connect();
  void migrate();
  void fill_url_keys();

  std::string path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex write_mutex_;
  std::unique_ptr<SQLite::Database> writer_;
  std::size_t sightings_since_prune_ = 0;
};

}  // namespace whygo
