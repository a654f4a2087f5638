// What the rest of the service may ask of the store, one role at a time: commands read and
// curate the catalog and manage subscriptions, the scheduler claims posts, adapters de-duplicate
// inbound events. Each role is an interface, so a part is handed only the roles it needs, and a
// second store (PostgreSQL) implements the same ones. No SQL here.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/link.hpp"

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

// What an audit row records; stored by name (to_string / parse at the storage edge).
enum class AuditAction { add, remove, edit, tag, untag, approve, reject, undo };
std::string_view to_string(AuditAction action);
std::optional<AuditAction> parse_audit_action(std::string_view text);

enum class SuggestionStatus { pending, approved, rejected };
std::string_view to_string(SuggestionStatus status);
std::optional<SuggestionStatus> parse_suggestion_status(std::string_view text);

// A daily post's claim: taken before sending, then sent, failed (gave up after retries) or
// abandoned (its process died mid-send and the platform could not be asked again safely).
enum class PostStatus { claimed, sent, failed, abandoned };
std::string_view to_string(PostStatus status);
std::optional<PostStatus> parse_post_status(std::string_view text);

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string platform;
  std::string user;
  AuditAction action = AuditAction::add;
  std::int64_t link_id = 0;        // 0: none
  std::int64_t suggestion_id = 0;  // 0: none
  std::optional<Link> before;
  std::optional<Link> after;
  std::string detail;
  bool undone = false;
};

// Where a suggestion is made: the tenant (workspace, server, homeserver) and channel (room).
struct SuggestionPlace {
  std::string tenant;
  std::string channel;
};

// How many suggestions may wait at once: in all, in one tenant and in one channel of a platform.
struct PendingCaps {
  std::size_t overall = 0;
  std::size_t per_tenant = 0;
  std::size_t per_channel = 0;
};

// Which suggestions a bulk decision names: every pending one, or ids and ranges ("3-40").
struct SuggestionSelection {
  bool all = false;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;  // inclusive; a single id is {n, n}
  bool contains(std::int64_t id) const;
};

// The audit row's detail of a bulk rejection: "3 suggestions (4-6): spam".
std::string bulk_rejection_detail(std::size_t count, const SuggestionSelection& which, const std::string& reason);

struct Suggestion {
  std::int64_t id = 0;
  std::string url;
  std::string title;
  std::string platform;
  std::string user;
  std::int64_t created_at = 0;
  SuggestionStatus status = SuggestionStatus::pending;
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
  queue_full,   // add_suggestion: a cap on waiting suggestions is reached; detail names which
};

struct WriteResult {
  WriteStatus status = WriteStatus::done;
  Link link;  // the link as it is now (or was, for a remove)
  std::int64_t other_id = 0;
  std::int64_t audit_id = 0;
  AuditAction action = AuditAction::add;  // for undo: which action was reverted
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
  bool paused = false;  // its tenant uninstalled the app: no posts until it installs it again
};

struct PostClaim {
  std::string platform;
  std::string channel;
  std::int64_t local_date = 0;  // days since 1970-01-01 in the subscription's zone
  std::int64_t link_id = 0;
  PostStatus status = PostStatus::claimed;
  std::string claim_key;  // idempotency key sent to platforms that honour one
  std::string claimed_by;
  std::int64_t claimed_at = 0;
  int attempts = 0;
  std::string reason;
};

// Reading the catalog.
class CatalogReader {
 public:
  virtual ~CatalogReader() = default;
  virtual std::vector<Link> links() = 0;  // in catalog order: section, then position
  virtual std::optional<Link> link(std::int64_t id) = 0;
  virtual std::optional<Link> find_by_url(const std::string& url) = 0;  // the same link: url::key
  virtual std::vector<std::string> section_names() = 0;
  virtual std::vector<SectionCount> sections() = 0;
  virtual std::size_t link_count() = 0;
  // Moves on every change of the catalog, by any process.
  virtual std::int64_t catalog_version() = 0;
};

// Changing the catalog, and the suggestions that may become links. Each call is one transaction
// with its audit row, committed before it returns.
class Curation {
 public:
  virtual ~Curation() = default;
  virtual WriteResult add_link(Link link, const Actor& actor) = 0;
  virtual WriteResult remove_link(std::int64_t id, const Actor& actor) = 0;
  // Replaces title, url, author and tags of link `changed.id`; action names the change (edit,
  // tag or untag).
  virtual WriteResult update_link(const Link& changed, AuditAction action, const Actor& actor) = 0;
  // Reverts the actor's own last change that is not undone yet.
  virtual WriteResult undo_last(const Actor& actor) = 0;
  virtual std::vector<AuditEntry> history(std::size_t count) = 0;

  // Refused with queue_full (detail: "overall", "tenant" or "channel") when a cap is reached.
  virtual WriteResult add_suggestion(const std::string& url, const std::string& title, const Actor& actor,
                                     const SuggestionPlace& place, const PendingCaps& caps) = 0;
  virtual std::vector<Suggestion> pending_suggestions(std::size_t count) = 0;
  virtual std::optional<Suggestion> suggestion(std::int64_t id) = 0;
  // Approving adds the link (derived by the caller into `link`) and marks the suggestion.
  virtual WriteResult approve_suggestion(std::int64_t id, Link link, const Actor& actor) = 0;
  virtual WriteResult reject_suggestion(std::int64_t id, const std::string& reason, const Actor& actor) = 0;
  // Rejects every pending suggestion the selection names, in one transaction with one audit row
  // (undone as one). other_id: how many; not_found when none of them was pending.
  virtual WriteResult reject_suggestions(const SuggestionSelection& which, const std::string& reason,
                                         const Actor& actor) = 0;
};

// The story of the day. The rotation is recorded, so a date's story never changes once shown;
// days through record_through are recorded, later ones are computed in advance.
class StoryBook {
 public:
  virtual ~StoryBook() = default;
  virtual std::optional<Link> story_of(std::int64_t day, std::int64_t record_through) = 0;
};

// Daily-post subscriptions, one per (platform, channel).
class Subscriptions {
 public:
  virtual ~Subscriptions() = default;
  virtual bool subscribe(const Subscription& subscription) = 0;  // true when it is new
  virtual bool unsubscribe(const std::string& platform, const std::string& channel) = 0;
  virtual std::vector<Subscription> subscriptions(const std::string& platform = {}) = 0;
  // The claim of the channel's latest daily post (its outcome and why), nullopt before the first:
  // a post that failed is told in the channel's next reply and in `subscriptions`.
  virtual std::optional<PostClaim> last_post(const std::string& platform, const std::string& channel) = 0;
};

// Exactly-once posting: the first to insert the (platform, channel, local_date) row owns it.
class PostClaims {
 public:
  virtual ~PostClaims() = default;
  virtual bool claim_post(const PostClaim& claim) = 0;
  virtual std::optional<PostClaim> post_claim(const std::string& platform, const std::string& channel,
                                              std::int64_t local_date) = 0;
  virtual void finish_post(const std::string& platform, const std::string& channel, std::int64_t local_date,
                           PostStatus status, const std::string& reason, int attempts, std::int64_t now) = 0;
  // Claims left 'claimed' before `older_than` (their process died mid-send).
  virtual std::vector<PostClaim> stale_claims(std::int64_t older_than) = 0;
  // Takes over a stale claim if it is still stale; true when this process now owns it.
  virtual bool take_over_claim(const PostClaim& stale, const std::string& claimed_by, std::int64_t now) = 0;
  virtual std::vector<PostClaim> post_claims(std::int64_t local_date) = 0;
};

// Inbound de-duplication: records (platform, id) and returns true the first time it is seen,
// false for a repeat, also across restarts.
class SeenEvents {
 public:
  virtual ~SeenEvents() = default;
  virtual bool first_sighting(const std::string& platform, const std::string& event_id, std::int64_t now_unix) = 0;
};

// A tenant (workspace) that installed the app itself: the bot token to act there with. The token
// is sealed by the caller (bot/secret_box.hpp) before it reaches the store, never held in clear.
struct Installation {
  std::string platform;
  std::string tenant;      // the workspace
  std::string enterprise;  // the organisation the workspace belongs to; empty when none
  std::string bot_user;    // the bot's own user id there
  std::string sealed_token;
  std::int64_t installed_at = 0;
};

// Installations, one per (platform, tenant).
class Installations {
 public:
  virtual ~Installations() = default;
  // Saves or replaces the tenant's installation and resumes its paused subscriptions.
  virtual void save_installation(const Installation& installation) = 0;
  virtual std::optional<Installation> installation(const std::string& platform, const std::string& tenant) = 0;
  // Deletes the tenant's token and pauses its subscriptions; false when it had none.
  virtual bool remove_installation(const std::string& platform, const std::string& tenant) = 0;
  virtual std::vector<Installation> installations(const std::string& platform) = 0;
};

// Where a client that polls its platform for events (a Matrix bot as an ordinary user, reading
// /sync) stopped: the opaque token to go on from, per (platform, account). Saved after the events
// before it were handled, so a restart neither misses nor repeats them.
class SyncPositions {
 public:
  virtual ~SyncPositions() = default;
  // nullopt before the account's first batch.
  virtual std::optional<std::string> sync_position(const std::string& platform, const std::string& account) = 0;
  virtual void save_sync_position(const std::string& platform, const std::string& account, const std::string& position,
                                  std::int64_t now) = 0;
};

// How many catalog writes from chat a user may make: a token bucket of `burst`, refilled by one
// every `refill`.
struct WriteAllowance {
  double burst = 0;
  std::chrono::milliseconds refill{0};
};

// Write allowances, per key (platform:user), kept in the database so every process writing it
// (every replica) draws on one allowance: each take is one atomic upsert.
class WriteLimits {
 public:
  virtual ~WriteLimits() = default;
  // Takes one write for key at now_ms (unix milliseconds): zero when allowed, otherwise how long
  // until a write would be. Buckets that filled up again are pruned now and then.
  virtual std::chrono::milliseconds take_write(const std::string& key, const WriteAllowance& allowance,
                                               std::int64_t now_ms) = 0;
};

// A link's health as the link checker last recorded it (bot/link_check.hpp).
struct LinkHealth {
  std::int64_t link_id = 0;
  std::string url;        // the URL checked: the link's at the time (a new URL starts afresh)
  int status = 0;         // the last answer's status; 0: none, `error` says why
  std::string final_url;  // where redirects ended
  std::string error;      // why the last visit got no answer ("timeout: ..."); "" when it got one
  std::int64_t checked_at = 0;
  std::int64_t last_success = 0;   // 0: never
  int failures = 0;                // failed checks in a row
  std::int64_t failing_since = 0;  // the first of them; 0 when none
  bool dead = false;               // WHYGO_LINK_DEAD_AFTER met: search and the story skip it
  std::string fix_url;             // a permanent redirect's live target, offered as an edit
  std::string archive_url;         // the Internet Archive's copy of a dead link; "" when none known
  std::int64_t archive_checked_at = 0;
};

struct HealthCounts {
  std::size_t checked = 0;     // links in the catalog with a record
  std::size_t alive = 0;       // answered 2xx last time
  std::size_t redirected = 0;  // a permanent redirect offered as a fix
  std::size_t dead = 0;
  std::size_t failing = 0;  // failing, not dead yet
};

// Link health, one row per link. Dead links leave search: a change of `dead` restamps the link,
// so changes_since reports it as out of the catalog (and back in when it answers again).
class LinkHealthBook {
 public:
  virtual ~LinkHealthBook() = default;
  virtual std::optional<LinkHealth> link_health(std::int64_t link_id) = 0;
  // The rows of links in the catalog (fixes_only: those with a fix offered), by link id.
  virtual std::vector<LinkHealth> link_healths(bool fixes_only = false) = 0;
  virtual void save_link_health(const LinkHealth& health) = 0;
  virtual HealthCounts health_counts() = 0;
  // Links in the catalog never checked, checked before `checked_before` (unix seconds) or whose
  // URL changed since: the longest unchecked first, at most `count`.
  virtual std::vector<Link> links_to_check(std::int64_t checked_before, std::size_t count) = 0;
};

// The upstream page as the last sync found it, per URL: its validators for the next conditional
// request (saved only when the page was taken), and when and how the last sync went.
struct UpstreamState {
  std::string url;
  std::string etag;             // its ETag; empty when it sent none
  std::string last_modified;    // its Last-Modified, as sent
  std::int64_t checked_at = 0;  // the last sync (unix seconds)
  std::int64_t changed_at = 0;  // the last sync that changed the catalog; 0: none yet
  std::string outcome;          // what the last sync did, in words
};

// Following the upstream page: what it was, and which process syncs in a period.
class UpstreamSyncs {
 public:
  virtual ~UpstreamSyncs() = default;
  virtual std::optional<UpstreamState> upstream_state(const std::string& url) = 0;
  virtual void save_upstream_state(const UpstreamState& state) = 0;
  // The scheduled sync of the period starting at `period` (unix seconds): true for the one
  // process, of every replica, that inserts its row first.
  virtual bool claim_upstream_sync(std::int64_t period, const std::string& claimed_by, std::int64_t now) = 0;
};

// Every role at once: what one database offers. Parts that need several roles of the same
// store (the scheduler, the composition root) take this.
class StoreRoles : public CatalogReader,
                   public Curation,
                   public StoryBook,
                   public Subscriptions,
                   public PostClaims,
                   public SeenEvents,
                   public Installations,
                   public SyncPositions,
                   public WriteLimits,
                   public LinkHealthBook,
                   public UpstreamSyncs {};

}  // namespace whygo
