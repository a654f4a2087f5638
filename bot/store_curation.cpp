// Store: changes admins make from chat, their audit trail and undo, and suggestions. Every
// public call here is one IMMEDIATE transaction, committed before it returns.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <unordered_map>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"
#include "bot/url.hpp"

namespace whygo {
using namespace store_rows;
namespace {

struct Row {
  Link link;
  bool removed = false;
};

std::optional<Row> read_row(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, sql({"SELECT ", link_columns, ", removed_at IS NOT NULL FROM links WHERE id = ?"}));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return Row{read_link(q), q.getColumn(10).getInt() != 0};
}

// An active link other than `except` whose URL is the same link.
std::optional<std::int64_t> duplicate_of(SQLite::Database& db, const std::string& url, std::int64_t except = 0) {
  SQLite::Statement q(db,
                      "SELECT id FROM links WHERE url_key = ? AND removed_at IS NULL AND id != ? ORDER BY id LIMIT 1");
  q.bind(1, url::key(url));
  q.bind(2, except);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

std::int64_t write_audit(SQLite::Database& db, const Actor& actor, AuditAction action, std::int64_t link_id,
                         std::int64_t suggestion_id, const std::optional<Link>& before,
                         const std::optional<Link>& after, const std::string& detail = {}, std::int64_t undo_of = 0) {
  SQLite::Statement q(db,
                      "INSERT INTO audit (at, platform, user_id, action, link_id, suggestion_id, before, after, "
                      "detail, undo_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, actor.at);
  q.bind(2, actor.platform);
  q.bind(3, actor.user);
  q.bind(4, std::string(to_string(action)));
  if (link_id)
    q.bind(5, link_id);
  else
    q.bind(5);
  if (suggestion_id)
    q.bind(6, suggestion_id);
  else
    q.bind(6);
  if (before)
    q.bind(7, to_audit_json(*before));
  else
    q.bind(7);
  if (after)
    q.bind(8, to_audit_json(*after));
  else
    q.bind(8);
  q.bind(9, detail);
  if (undo_of)
    q.bind(10, undo_of);
  else
    q.bind(10);
  q.exec();
  return db.getLastInsertRowid();
}

std::int64_t insert_link(SQLite::Database& db, Link& link, std::int64_t now) {
  SQLite::Statement section(db,
                            "INSERT OR IGNORE INTO sections (name, position) "
                            "SELECT ?, COALESCE(MAX(position), -1) + 1 FROM sections");
  section.bind(1, link.section);
  section.exec();
  SQLite::Statement insert(
      db,
      "INSERT INTO links (title, url, author, medium, section, subject, tags, host, extra, url_key, "
      "origin, position, created_at, updated_at) VALUES (:title, :url, :author, :medium, :section, "
      ":subject, :tags, :host, :extra, :url_key, 'admin', "
      "(SELECT COALESCE(MAX(position), -1) + 1 FROM links WHERE section = :section), :now, :now)");
  bind_content(insert, link);
  insert.bind(":now", now);
  insert.exec();
  link.id = db.getLastInsertRowid();
  link.origin = LinkOrigin::admin;
  return link.id;
}

void write_content(SQLite::Database& db, const Link& link, std::int64_t now) {
  SQLite::Statement q(db,
                      "UPDATE links SET title = :title, url = :url, author = :author, medium = :medium, "
                      "section = :section, subject = :subject, tags = :tags, host = :host, extra = :extra, "
                      "url_key = :url_key, updated_at = :now WHERE id = :id");
  bind_content(q, link);
  q.bind(":now", now);
  q.bind(":id", link.id);
  q.exec();
}

void set_removed(SQLite::Database& db, std::int64_t id, std::optional<std::int64_t> at) {
  SQLite::Statement q(db, "UPDATE links SET removed_at = ?, updated_at = COALESCE(?, updated_at) WHERE id = ?");
  if (at)
    q.bind(1, *at);
  else
    q.bind(1);
  if (at)
    q.bind(2, *at);
  else
    q.bind(2);
  q.bind(3, id);
  q.exec();
}

Suggestion read_suggestion(SQLite::Statement& q) {
  Suggestion s;
  s.id = q.getColumn(0).getInt64();
  s.url = q.getColumn(1).getString();
  s.title = q.getColumn(2).getString();
  s.platform = q.getColumn(3).getString();
  s.user = q.getColumn(4).getString();
  s.created_at = q.getColumn(5).getInt64();
  const std::string status = q.getColumn(6).getString();
  s.status = stored(parse_suggestion_status(status), "suggestion status", status);
  s.reason = q.getColumn(7).getString();
  s.link_id = q.getColumn(8).isNull() ? 0 : q.getColumn(8).getInt64();
  return s;
}

constexpr const char* suggestion_columns = "id, url, title, platform, user_id, created_at, status, reason, link_id";

std::optional<Suggestion> find_suggestion(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, sql({"SELECT ", suggestion_columns, " FROM suggestions WHERE id = ?"}));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_suggestion(q);
}

WriteResult status(WriteStatus s, std::int64_t other_id = 0, std::string detail = {}) {
  WriteResult r;
  r.status = s;
  r.other_id = other_id;
  r.detail = std::move(detail);
  return r;
}

// Runs `body` in one IMMEDIATE transaction; SQLite errors become StoreError and roll back. A
// committed change is told to the catalog's watchers before the call returns.
template <typename Body>
WriteResult in_transaction(Store& store, SQLite::Database& db, Body&& body) {
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    WriteResult result = body();
    if (result.status == WriteStatus::done) {
      tx.commit();
      store.catalog_written();
    }
    return result;
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("change not saved: ") + e.what());
  }
}

}  // namespace

std::optional<Link> Store::find_by_url(const std::string& url) {
  auto db = reader();
  const auto id = duplicate_of(*db, url);
  if (!id) return std::nullopt;
  return read_row(*db, *id)->link;
}

WriteResult Store::add_link(Link link, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    if (const auto existing = duplicate_of(*writer_, link.url)) return status(WriteStatus::duplicate, *existing);
    insert_link(*writer_, link, actor.at);
    WriteResult r;
    r.link = link;
    r.audit_id = write_audit(*writer_, actor, AuditAction::add, link.id, 0, std::nullopt, link);
    return r;
  });
}

WriteResult Store::remove_link(std::int64_t id, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    const auto row = read_row(*writer_, id);
    if (!row || row->removed) return status(WriteStatus::not_found, id);
    set_removed(*writer_, id, actor.at);
    WriteResult r;
    r.link = row->link;
    r.audit_id = write_audit(*writer_, actor, AuditAction::remove, id, 0, row->link, std::nullopt);
    return r;
  });
}

WriteResult Store::update_link(const Link& changed, AuditAction action, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    const auto row = read_row(*writer_, changed.id);
    if (!row || row->removed) return status(WriteStatus::not_found, changed.id);
    if (const auto existing = duplicate_of(*writer_, changed.url, changed.id))
      return status(WriteStatus::duplicate, *existing);
    Link after = changed;
    after.origin = row->link.origin;
    write_content(*writer_, after, actor.at);
    WriteResult r;
    r.link = after;
    r.audit_id = write_audit(*writer_, actor, action, after.id, 0, row->link, after);
    return r;
  });
}

WriteResult Store::undo_last(const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&]() -> WriteResult {
    SQLite::Statement last(
        *writer_,
        "SELECT id, action, COALESCE(link_id, 0), COALESCE(suggestion_id, 0), before, after FROM audit"
        " WHERE platform = ? AND user_id = ? AND undone_by IS NULL AND action != 'undo'"
        " ORDER BY id DESC LIMIT 1");
    last.bind(1, actor.platform);
    last.bind(2, actor.user);
    if (!last.executeStep()) return status(WriteStatus::nothing_to_undo);
    const std::int64_t entry = last.getColumn(0).getInt64();
    const std::string action_name = last.getColumn(1).getString();
    const AuditAction action = stored(parse_audit_action(action_name), "audit action", action_name);
    const std::int64_t link_id = last.getColumn(2).getInt64();
    const std::int64_t suggestion_id = last.getColumn(3).getInt64();
    const std::optional<Link> before =
        last.getColumn(4).isNull() ? std::nullopt : std::optional<Link>(from_audit_json(last.getColumn(4).getString()));
    const std::optional<Link> after =
        last.getColumn(5).isNull() ? std::nullopt : std::optional<Link>(from_audit_json(last.getColumn(5).getString()));

    WriteResult r;
    r.action = action;
    std::optional<Link> now_before, now_after;
    if (action == AuditAction::reject) {
      // The suggestions this rejection decided: one, or all of a bulk "reject 3-40" (rows
      // rejected before decided_audit existed are found by the audit row's suggestion id).
      SQLite::Statement reopen(*writer_,
                               "UPDATE suggestions SET status = 'pending', decided_by = NULL, decided_at = NULL, "
                               "reason = '', decided_audit = NULL WHERE status = 'rejected' AND "
                               "(decided_audit = ? OR (decided_audit IS NULL AND id = ?))");
      reopen.bind(1, entry);
      reopen.bind(2, suggestion_id);
      const int reopened = reopen.exec();
      if (reopened == 0) return status(WriteStatus::conflict, suggestion_id, "the suggestion was decided again since");
      r.other_id = reopened;
    } else {
      const auto row = read_row(*writer_, link_id);
      if (!row) return status(WriteStatus::conflict, link_id, "link #" + std::to_string(link_id) + " no longer exists");
      const auto changed_since = [&] {
        return status(WriteStatus::conflict, link_id,
                      "link #" + std::to_string(link_id) + " was changed after that; use edit to fix it");
      };
      if (action == AuditAction::add || action == AuditAction::approve) {
        if (row->removed || !after || !same_content(row->link, *after)) return changed_since();
        set_removed(*writer_, link_id, actor.at);
        if (action == AuditAction::approve) {
          SQLite::Statement reopen(*writer_,
                                   "UPDATE suggestions SET status = 'pending', decided_by = NULL, decided_at = NULL, "
                                   "link_id = NULL WHERE id = ?");
          reopen.bind(1, suggestion_id);
          reopen.exec();
        }
        now_before = row->link;
      } else if (action == AuditAction::remove) {
        if (!row->removed) return changed_since();
        if (const auto other = duplicate_of(*writer_, row->link.url, link_id))
          return status(WriteStatus::conflict, *other,
                        "link #" + std::to_string(*other) + " has that URL now; remove it first");
        set_removed(*writer_, link_id, std::nullopt);
        now_after = row->link;
      } else {  // edit, tag, untag
        if (row->removed || !after || !before || !same_content(row->link, *after)) return changed_since();
        if (const auto other = duplicate_of(*writer_, before->url, link_id))
          return status(WriteStatus::conflict, *other,
                        "link #" + std::to_string(*other) + " has the old URL now; change it first");
        Link restored = *before;
        restored.id = link_id;
        write_content(*writer_, restored, actor.at);
        now_before = row->link;
        now_after = restored;
      }
      r.link = row->link;
      if (now_after) r.link = *now_after;
    }
    r.audit_id = write_audit(*writer_, actor, AuditAction::undo, link_id, suggestion_id, now_before, now_after,
                             "undo of " + action_name + " (change " + std::to_string(entry) + ")", entry);
    SQLite::Statement mark(*writer_, "UPDATE audit SET undone_by = ? WHERE id = ?");
    mark.bind(1, r.audit_id);
    mark.bind(2, entry);
    mark.exec();
    return r;
  });
}

std::vector<AuditEntry> Store::history(std::size_t count) {
  auto db = reader();
  SQLite::Statement q(*db,
                      "SELECT id, at, platform, user_id, action, COALESCE(link_id, 0), COALESCE(suggestion_id, 0), "
                      "before, after, detail, undone_by IS NOT NULL FROM audit ORDER BY id DESC LIMIT ?");
  q.bind(1, static_cast<std::int64_t>(count));
  std::vector<AuditEntry> out;
  while (q.executeStep()) {
    AuditEntry e;
    e.id = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getInt64();
    e.platform = q.getColumn(2).getString();
    e.user = q.getColumn(3).getString();
    const std::string action = q.getColumn(4).getString();
    e.action = stored(parse_audit_action(action), "audit action", action);
    e.link_id = q.getColumn(5).getInt64();
    e.suggestion_id = q.getColumn(6).getInt64();
    if (!q.getColumn(7).isNull()) e.before = from_audit_json(q.getColumn(7).getString());
    if (!q.getColumn(8).isNull()) e.after = from_audit_json(q.getColumn(8).getString());
    e.detail = q.getColumn(9).getString();
    e.undone = q.getColumn(10).getInt() != 0;
    out.push_back(std::move(e));
  }
  return out;
}

WriteResult Store::add_suggestion(const std::string& url, const std::string& title, const Actor& actor,
                                  const SuggestionPlace& place, const PendingCaps& caps) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    if (const auto existing = duplicate_of(*writer_, url)) return status(WriteStatus::duplicate, *existing, "link");
    SQLite::Statement pending(*writer_, "SELECT id, url FROM suggestions WHERE status = 'pending'");
    const std::string key = url::key(url);
    while (pending.executeStep())
      if (url::key(pending.getColumn(1).getString()) == key)
        return status(WriteStatus::duplicate, pending.getColumn(0).getInt64(), "suggestion");
    // The caps are read inside the write transaction, so concurrent suggestions cannot overshoot.
    SQLite::Statement waiting(*writer_,
                              "SELECT COUNT(*), COALESCE(SUM(platform = :platform AND tenant = :tenant), 0), "
                              "COALESCE(SUM(platform = :platform AND tenant = :tenant AND channel = :channel), 0) "
                              "FROM suggestions WHERE status = 'pending'");
    waiting.bind(":platform", actor.platform);
    waiting.bind(":tenant", place.tenant);
    waiting.bind(":channel", place.channel);
    waiting.executeStep();
    const auto reached = [](std::int64_t count, std::size_t cap) {
      return cap > 0 && count >= static_cast<std::int64_t>(cap);
    };
    if (reached(waiting.getColumn(0).getInt64(), caps.overall)) return status(WriteStatus::queue_full, 0, "overall");
    if (reached(waiting.getColumn(1).getInt64(), caps.per_tenant)) return status(WriteStatus::queue_full, 0, "tenant");
    if (reached(waiting.getColumn(2).getInt64(), caps.per_channel))
      return status(WriteStatus::queue_full, 0, "channel");
    SQLite::Statement insert(*writer_,
                             "INSERT INTO suggestions (url, title, platform, user_id, created_at, tenant, channel) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, url);
    insert.bind(2, title);
    insert.bind(3, actor.platform);
    insert.bind(4, actor.user);
    insert.bind(5, actor.at);
    insert.bind(6, place.tenant);
    insert.bind(7, place.channel);
    insert.exec();
    WriteResult r;
    r.other_id = writer_->getLastInsertRowid();
    return r;
  });
}

std::vector<Suggestion> Store::pending_suggestions(std::size_t count) {
  auto db = reader();
  SQLite::Statement q(
      *db, sql({"SELECT ", suggestion_columns, " FROM suggestions WHERE status = 'pending' ORDER BY id LIMIT ?"}));
  q.bind(1, static_cast<std::int64_t>(count));
  std::vector<Suggestion> out;
  while (q.executeStep()) out.push_back(read_suggestion(q));
  return out;
}

std::optional<Suggestion> Store::suggestion(std::int64_t id) {
  auto db = reader();
  return find_suggestion(*db, id);
}

WriteResult Store::approve_suggestion(std::int64_t id, Link link, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    const auto s = find_suggestion(*writer_, id);
    if (!s) return status(WriteStatus::not_found, id);
    if (s->status != SuggestionStatus::pending)
      return status(WriteStatus::not_pending, id, std::string(to_string(s->status)));
    if (const auto existing = duplicate_of(*writer_, link.url)) return status(WriteStatus::duplicate, *existing);
    insert_link(*writer_, link, actor.at);
    SQLite::Statement decide(*writer_,
                             "UPDATE suggestions SET status = 'approved', decided_by = ?, decided_at = ?, link_id = ? "
                             "WHERE id = ?");
    decide.bind(1, actor.platform + ":" + actor.user);
    decide.bind(2, actor.at);
    decide.bind(3, link.id);
    decide.bind(4, id);
    decide.exec();
    WriteResult r;
    r.link = link;
    r.other_id = id;
    r.audit_id = write_audit(*writer_, actor, AuditAction::approve, link.id, id, std::nullopt, link,
                             "suggested by " + s->platform + ":" + s->user);
    return r;
  });
}

WriteResult Store::reject_suggestion(std::int64_t id, const std::string& reason, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    const auto s = find_suggestion(*writer_, id);
    if (!s) return status(WriteStatus::not_found, id);
    if (s->status != SuggestionStatus::pending)
      return status(WriteStatus::not_pending, id, std::string(to_string(s->status)));
    WriteResult r;
    r.other_id = id;
    r.audit_id = write_audit(*writer_, actor, AuditAction::reject, 0, id, std::nullopt, std::nullopt,
                             s->title + " (" + s->url + ")" + (reason.empty() ? "" : ": " + reason));
    SQLite::Statement decide(*writer_,
                             "UPDATE suggestions SET status = 'rejected', decided_by = ?, decided_at = ?, reason = ?, "
                             "decided_audit = ? WHERE id = ?");
    decide.bind(1, actor.platform + ":" + actor.user);
    decide.bind(2, actor.at);
    decide.bind(3, reason);
    decide.bind(4, r.audit_id);
    decide.bind(5, id);
    decide.exec();
    return r;
  });
}

WriteResult Store::reject_suggestions(const SuggestionSelection& which, const std::string& reason, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  return in_transaction(*this, *writer_, [&] {
    // What waits is capped, so reading every pending id is cheap whatever range was typed.
    std::vector<std::int64_t> chosen;
    SQLite::Statement pending(*writer_, "SELECT id FROM suggestions WHERE status = 'pending' ORDER BY id");
    while (pending.executeStep())
      if (which.contains(pending.getColumn(0).getInt64())) chosen.push_back(pending.getColumn(0).getInt64());
    if (chosen.empty()) return status(WriteStatus::not_found);
    WriteResult r;
    r.other_id = static_cast<std::int64_t>(chosen.size());
    r.audit_id = write_audit(*writer_, actor, AuditAction::reject, 0, 0, std::nullopt, std::nullopt,
                             bulk_rejection_detail(chosen.size(), which, reason));
    SQLite::Statement decide(*writer_,
                             "UPDATE suggestions SET status = 'rejected', decided_by = ?, decided_at = ?, reason = ?, "
                             "decided_audit = ? WHERE id = ? AND status = 'pending'");
    for (const std::int64_t id : chosen) {
      decide.bind(1, actor.platform + ":" + actor.user);
      decide.bind(2, actor.at);
      decide.bind(3, reason);
      decide.bind(4, r.audit_id);
      decide.bind(5, id);
      decide.exec();
      decide.reset();
    }
    return r;
  });
}

}  // namespace whygo

namespace whygo {

UpstreamApplied Store::apply_upstream(const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                                      const Actor& upstream, double max_removed_share) {
  std::lock_guard lock(write_mutex_);
  SQLite::Database& db = *writer_;
  UpstreamApplied out;
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<Link> existing;
    catalog_import::UpstreamFacts facts;
    {
      SQLite::Statement q(db, sql({"SELECT ", link_columns, ", removed_at IS NOT NULL FROM links"}));
      while (q.executeStep()) {
        existing.push_back(read_link(q));
        if (q.getColumn(10).getInt() != 0) facts.removed.insert(existing.back().id);
      }
      // A removed link whose latest standing removal is the upstream's.
      SQLite::Statement by_upstream(
          db,
          "SELECT links.id FROM links WHERE links.removed_at IS NOT NULL AND (SELECT audit.platform FROM audit WHERE"
          " audit.link_id = links.id AND audit.action = 'remove' AND audit.undone_by IS NULL ORDER BY audit.id DESC"
          " LIMIT 1) = ?");
      by_upstream.bind(1, catalog_import::upstream_platform);
      while (by_upstream.executeStep()) facts.removed_by_upstream.insert(by_upstream.getColumn(0).getInt64());
    }
    const catalog_import::Plan plan = catalog_import::plan(existing, admin_edits(db), incoming, &facts);
    out.unchanged = plan.unchanged;
    out.kept = plan.kept;
    out.refused = catalog_import::refusal(plan, existing.size() - facts.removed.size(), max_removed_share);
    if (out.refused) return out;  // rolled back: nothing written

    std::unordered_map<std::int64_t, const Link*> by_id;
    for (const Link& link : existing) by_id[link.id] = &link;
    write_plan(db, sections, incoming, plan, upstream.at, /*revive=*/true,
               [&](const catalog_import::Write& write, std::int64_t id) {
                 Link after = write.link;
                 after.id = id;
                 if (!write.update_id || write.restore) {
                   write_audit(db, upstream, AuditAction::add, after.id, 0, std::nullopt, after);
                   out.added.push_back(after);
                 } else {
                   const Link& before = *by_id.at(*write.update_id);
                   write_audit(db, upstream, AuditAction::edit, after.id, 0, before, after);
                   out.updated.emplace_back(before, after);
                 }
               });
    for (const std::int64_t id : plan.vanished) {
      set_removed(db, id, upstream.at);
      write_audit(db, upstream, AuditAction::remove, id, 0, *by_id.at(id), std::nullopt);
      out.removed.push_back(*by_id.at(id));
    }
    db.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("sync failed, nothing changed: ") + e.what());
  }
  catalog_written();  // searchable before the sync reports it
  return out;
}

}  // namespace whygo
