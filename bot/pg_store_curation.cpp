// PgStore: changes admins make from chat with their audit trail and undo, suggestions, and the
// story rotation. Each call is one transaction holding an advisory lock, so a check (is this
// URL in the catalog already? how many suggestions wait?) and the write it allows are one step
// across every replica.
#include <algorithm>
#include <functional>
#include <unordered_map>

#include "bot/catalog_import.hpp"
#include "bot/pg_rows.hpp"
#include "bot/pg_store.hpp"
#include "bot/story.hpp"

namespace whygo {
using namespace pg_rows;
using store_rows::from_audit_json;
using store_rows::same_content;
using store_rows::sql;
using store_rows::stored;
using store_rows::to_audit_json;
namespace {

struct Row {
  Link link;
  bool removed = false;
};

std::optional<Row> read_row(pqxx::transaction_base& tx, std::int64_t id) {
  const auto r =
      tx.exec_params(sql({"SELECT ", link_columns, ", removed_at IS NOT NULL FROM links WHERE id = $1"}), id);
  if (r.empty()) return std::nullopt;
  return Row{read_link(r[0]), r[0][10].as<bool>()};
}

// An active link other than `except` whose URL is the same link.
std::optional<std::int64_t> duplicate_of(pqxx::transaction_base& tx, const std::string& url, std::int64_t except = 0) {
  const auto r =
      tx.exec_params("SELECT id FROM links WHERE url_key = $1 AND removed_at IS NULL AND id != $2 ORDER BY id LIMIT 1",
                     url::key(url), except);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::int64_t>();
}

std::int64_t write_audit(pqxx::transaction_base& tx, const Actor& actor, AuditAction action, std::int64_t link_id,
                         std::int64_t suggestion_id, const std::optional<Link>& before,
                         const std::optional<Link>& after, const std::string& detail = {}, std::int64_t undo_of = 0) {
  // Zero ids and empty JSON stand for NULL (an audit picture of a link is never empty).
  return tx
      .exec_params(
          "INSERT INTO audit (at, platform, user_id, action, link_id, suggestion_id, before, after, detail, undo_of)"
          " VALUES ($1, $2, $3, $4, NULLIF($5, 0), NULLIF($6, 0), NULLIF($7, ''), NULLIF($8, ''), $9,"
          " NULLIF($10, 0)) RETURNING id",
          actor.at, actor.platform, actor.user, std::string(to_string(action)), link_id, suggestion_id,
          before ? to_audit_json(*before) : std::string(), after ? to_audit_json(*after) : std::string(), detail,
          undo_of)[0][0]
      .as<std::int64_t>();
}

std::int64_t insert_link(pqxx::transaction_base& tx, Link& link, std::int64_t now) {
  tx.exec_params(
      "INSERT INTO sections (name, position) SELECT $1, COALESCE(MAX(position), -1) + 1 FROM sections"
      " ON CONFLICT (name) DO NOTHING",
      link.section);
  link.id = exec_content(tx,
                         sql({"INSERT INTO links (", content_columns,
                              ", origin, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                              " $9, $10, 'admin', (SELECT COALESCE(MAX(position), -1) + 1 FROM links WHERE section ="
                              " $5), $11, $11) RETURNING id"}),
                         link, now)[0][0]
                .as<std::int64_t>();
  link.origin = LinkOrigin::admin;
  return link.id;
}

void write_content(pqxx::transaction_base& tx, const Link& link, std::int64_t now) {
  exec_content(tx,
               "UPDATE links SET title = $1, url = $2, author = $3, medium = $4, section = $5, subject = $6,"
               " tags = $7, host = $8, extra = $9, url_key = $10, updated_at = $11 WHERE id = $12",
               link, now, link.id);
}

void set_removed(pqxx::transaction_base& tx, std::int64_t id, std::optional<std::int64_t> at) {
  if (at)
    tx.exec_params("UPDATE links SET removed_at = $1, updated_at = $1 WHERE id = $2", *at, id);
  else
    tx.exec_params("UPDATE links SET removed_at = NULL WHERE id = $1", id);
}

constexpr const char* suggestion_columns = "id, url, title, platform, user_id, created_at, status, reason, link_id";

Suggestion read_suggestion(const pqxx::row& r) {
  Suggestion s;
  s.id = r[0].as<std::int64_t>();
  s.url = r[1].as<std::string>();
  s.title = r[2].as<std::string>();
  s.platform = r[3].as<std::string>();
  s.user = r[4].as<std::string>();
  s.created_at = r[5].as<std::int64_t>();
  const std::string status = r[6].as<std::string>();
  s.status = stored(parse_suggestion_status(status), "suggestion status", status);
  s.reason = r[7].as<std::string>();
  s.link_id = r[8].is_null() ? 0 : r[8].as<std::int64_t>();
  return s;
}

std::optional<Suggestion> find_suggestion(pqxx::transaction_base& tx, std::int64_t id) {
  const auto r = tx.exec_params(sql({"SELECT ", suggestion_columns, " FROM suggestions WHERE id = $1"}), id);
  if (r.empty()) return std::nullopt;
  return read_suggestion(r[0]);
}

WriteResult status(WriteStatus s, std::int64_t other_id = 0, std::string detail = {}) {
  WriteResult r;
  r.status = s;
  r.other_id = other_id;
  r.detail = std::move(detail);
  return r;
}

// Runs body in one transaction under the catalog lock; committed only when it is done, and
// then told to the catalog's watchers before the call returns.
WriteResult change(PgStore& store, const std::function<WriteResult(pqxx::work&)>& body) {
  WriteResult result;
  store.run("change not saved", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    lock(tx, catalog_lock);
    result = body(tx);
    if (result.status == WriteStatus::done) tx.commit();
  });
  if (result.status == WriteStatus::done) store.catalog_written();
  return result;
}

}  // namespace

std::optional<Link> PgStore::find_by_url(const std::string& url) {
  std::optional<Link> out;
  run("find by url", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    if (const auto id = duplicate_of(tx, url)) out = read_row(tx, *id)->link;
  });
  return out;
}

WriteResult PgStore::add_link(Link link, const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    if (const auto existing = duplicate_of(tx, link.url)) return status(WriteStatus::duplicate, *existing);
    insert_link(tx, link, actor.at);
    WriteResult r;
    r.link = link;
    r.audit_id = write_audit(tx, actor, AuditAction::add, link.id, 0, std::nullopt, link);
    return r;
  });
}

WriteResult PgStore::remove_link(std::int64_t id, const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    const auto row = read_row(tx, id);
    if (!row || row->removed) return status(WriteStatus::not_found, id);
    set_removed(tx, id, actor.at);
    WriteResult r;
    r.link = row->link;
    r.audit_id = write_audit(tx, actor, AuditAction::remove, id, 0, row->link, std::nullopt);
    return r;
  });
}

WriteResult PgStore::update_link(const Link& changed, AuditAction action, const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    const auto row = read_row(tx, changed.id);
    if (!row || row->removed) return status(WriteStatus::not_found, changed.id);
    if (const auto existing = duplicate_of(tx, changed.url, changed.id))
      return status(WriteStatus::duplicate, *existing);
    Link after = changed;
    after.origin = row->link.origin;
    write_content(tx, after, actor.at);
    WriteResult r;
    r.link = after;
    r.audit_id = write_audit(tx, actor, action, after.id, 0, row->link, after);
    return r;
  });
}

WriteResult PgStore::undo_last(const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) -> WriteResult {
    const auto last = tx.exec_params(
        "SELECT id, action, COALESCE(link_id, 0), COALESCE(suggestion_id, 0), before, after FROM audit"
        " WHERE platform = $1 AND user_id = $2 AND undone_by IS NULL AND action != 'undo'"
        " ORDER BY id DESC LIMIT 1",
        actor.platform, actor.user);
    if (last.empty()) return status(WriteStatus::nothing_to_undo);
    const auto& e = last[0];
    const std::int64_t entry = e[0].as<std::int64_t>();
    const std::string action_name = e[1].as<std::string>();
    const AuditAction action = stored(parse_audit_action(action_name), "audit action", action_name);
    const std::int64_t link_id = e[2].as<std::int64_t>();
    const std::int64_t suggestion_id = e[3].as<std::int64_t>();
    const std::optional<Link> before =
        e[4].is_null() ? std::nullopt : std::optional<Link>(from_audit_json(e[4].as<std::string>()));
    const std::optional<Link> after =
        e[5].is_null() ? std::nullopt : std::optional<Link>(from_audit_json(e[5].as<std::string>()));

    WriteResult r;
    r.action = action;
    std::optional<Link> now_before, now_after;
    if (action == AuditAction::reject) {
      // The suggestions this rejection decided: one, or all of a bulk "reject 3-40".
      const auto reopened = tx.exec_params(
                                  "UPDATE suggestions SET status = 'pending', decided_by = NULL, decided_at = NULL,"
                                  " reason = '', decided_audit = NULL WHERE status = 'rejected' AND"
                                  " (decided_audit = $1 OR (decided_audit IS NULL AND id = $2))",
                                  entry, suggestion_id)
                                .affected_rows();
      if (reopened == 0) return status(WriteStatus::conflict, suggestion_id, "the suggestion was decided again since");
      r.other_id = static_cast<std::int64_t>(reopened);
    } else {
      const auto row = read_row(tx, link_id);
      if (!row) return status(WriteStatus::conflict, link_id, "link #" + std::to_string(link_id) + " no longer exists");
      const auto changed_since = [&] {
        return status(WriteStatus::conflict, link_id,
                      "link #" + std::to_string(link_id) + " was changed after that; use edit to fix it");
      };
      if (action == AuditAction::add || action == AuditAction::approve) {
        if (row->removed || !after || !same_content(row->link, *after)) return changed_since();
        set_removed(tx, link_id, actor.at);
        if (action == AuditAction::approve)
          tx.exec_params(
              "UPDATE suggestions SET status = 'pending', decided_by = NULL, decided_at = NULL, link_id = NULL"
              " WHERE id = $1",
              suggestion_id);
        now_before = row->link;
      } else if (action == AuditAction::remove) {
        if (!row->removed) return changed_since();
        if (const auto other = duplicate_of(tx, row->link.url, link_id))
          return status(WriteStatus::conflict, *other,
                        "link #" + std::to_string(*other) + " has that URL now; remove it first");
        set_removed(tx, link_id, std::nullopt);
        now_after = row->link;
      } else {  // edit, tag, untag
        if (row->removed || !after || !before || !same_content(row->link, *after)) return changed_since();
        if (const auto other = duplicate_of(tx, before->url, link_id))
          return status(WriteStatus::conflict, *other,
                        "link #" + std::to_string(*other) + " has the old URL now; change it first");
        Link restored = *before;
        restored.id = link_id;
        write_content(tx, restored, actor.at);
        now_before = row->link;
        now_after = restored;
      }
      r.link = row->link;
      if (now_after) r.link = *now_after;
    }
    r.audit_id = write_audit(tx, actor, AuditAction::undo, link_id, suggestion_id, now_before, now_after,
                             "undo of " + action_name + " (change " + std::to_string(entry) + ")", entry);
    tx.exec_params("UPDATE audit SET undone_by = $1 WHERE id = $2", r.audit_id, entry);
    return r;
  });
}

std::vector<AuditEntry> PgStore::history(std::size_t count) {
  std::vector<AuditEntry> out;
  run("history", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& q :
         tx.exec_params("SELECT id, at, platform, user_id, action, COALESCE(link_id, 0), COALESCE(suggestion_id, 0),"
                        " before, after, detail, undone_by IS NOT NULL FROM audit ORDER BY id DESC LIMIT $1",
                        static_cast<std::int64_t>(count))) {
      AuditEntry e;
      e.id = q[0].as<std::int64_t>();
      e.at = q[1].as<std::int64_t>();
      e.platform = q[2].as<std::string>();
      e.user = q[3].as<std::string>();
      const std::string action = q[4].as<std::string>();
      e.action = stored(parse_audit_action(action), "audit action", action);
      e.link_id = q[5].as<std::int64_t>();
      e.suggestion_id = q[6].as<std::int64_t>();
      if (!q[7].is_null()) e.before = from_audit_json(q[7].as<std::string>());
      if (!q[8].is_null()) e.after = from_audit_json(q[8].as<std::string>());
      e.detail = q[9].as<std::string>();
      e.undone = q[10].as<bool>();
      out.push_back(std::move(e));
    }
  });
  return out;
}

WriteResult PgStore::add_suggestion(const std::string& url, const std::string& title, const Actor& actor,
                                    const SuggestionPlace& place, const PendingCaps& caps) {
  return change(*this, [&](pqxx::work& tx) {
    if (const auto existing = duplicate_of(tx, url)) return status(WriteStatus::duplicate, *existing, "link");
    const std::string key = url::key(url);
    for (const auto& p : tx.exec("SELECT id, url FROM suggestions WHERE status = 'pending'"))
      if (url::key(p[1].as<std::string>()) == key)
        return status(WriteStatus::duplicate, p[0].as<std::int64_t>(), "suggestion");
    // The caps are read under the catalog lock, so concurrent suggestions cannot overshoot.
    const auto waiting = tx.exec_params(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE platform = $1 AND tenant = $2),"
        " COUNT(*) FILTER (WHERE platform = $1 AND tenant = $2 AND channel = $3)"
        " FROM suggestions WHERE status = 'pending'",
        actor.platform, place.tenant, place.channel)[0];
    const auto reached = [](std::int64_t count, std::size_t cap) {
      return cap > 0 && count >= static_cast<std::int64_t>(cap);
    };
    if (reached(waiting[0].as<std::int64_t>(), caps.overall)) return status(WriteStatus::queue_full, 0, "overall");
    if (reached(waiting[1].as<std::int64_t>(), caps.per_tenant)) return status(WriteStatus::queue_full, 0, "tenant");
    if (reached(waiting[2].as<std::int64_t>(), caps.per_channel)) return status(WriteStatus::queue_full, 0, "channel");
    WriteResult r;
    r.other_id = tx.exec_params(
                       "INSERT INTO suggestions (url, title, platform, user_id, created_at, tenant, channel)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       url, title, actor.platform, actor.user, actor.at, place.tenant, place.channel)[0][0]
                     .as<std::int64_t>();
    return r;
  });
}

std::vector<Suggestion> PgStore::pending_suggestions(std::size_t count) {
  std::vector<Suggestion> out;
  run("pending suggestions", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(
             sql({"SELECT ", suggestion_columns, " FROM suggestions WHERE status = 'pending' ORDER BY id LIMIT $1"}),
             static_cast<std::int64_t>(count)))
      out.push_back(read_suggestion(r));
  });
  return out;
}

std::optional<Suggestion> PgStore::suggestion(std::int64_t id) {
  std::optional<Suggestion> out;
  run("suggestion", [&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    out = find_suggestion(tx, id);
  });
  return out;
}

WriteResult PgStore::approve_suggestion(std::int64_t id, Link link, const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    const auto s = find_suggestion(tx, id);
    if (!s) return status(WriteStatus::not_found, id);
    if (s->status != SuggestionStatus::pending)
      return status(WriteStatus::not_pending, id, std::string(to_string(s->status)));
    if (const auto existing = duplicate_of(tx, link.url)) return status(WriteStatus::duplicate, *existing);
    insert_link(tx, link, actor.at);
    tx.exec_params(
        "UPDATE suggestions SET status = 'approved', decided_by = $1, decided_at = $2, link_id = $3 WHERE id = $4",
        actor.platform + ":" + actor.user, actor.at, link.id, id);
    WriteResult r;
    r.link = link;
    r.other_id = id;
    r.audit_id = write_audit(tx, actor, AuditAction::approve, link.id, id, std::nullopt, link,
                             "suggested by " + s->platform + ":" + s->user);
    return r;
  });
}

WriteResult PgStore::reject_suggestion(std::int64_t id, const std::string& reason, const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    const auto s = find_suggestion(tx, id);
    if (!s) return status(WriteStatus::not_found, id);
    if (s->status != SuggestionStatus::pending)
      return status(WriteStatus::not_pending, id, std::string(to_string(s->status)));
    WriteResult r;
    r.other_id = id;
    r.audit_id = write_audit(tx, actor, AuditAction::reject, 0, id, std::nullopt, std::nullopt,
                             s->title + " (" + s->url + ")" + (reason.empty() ? "" : ": " + reason));
    tx.exec_params(
        "UPDATE suggestions SET status = 'rejected', decided_by = $1, decided_at = $2, reason = $3,"
        " decided_audit = $4 WHERE id = $5",
        actor.platform + ":" + actor.user, actor.at, reason, r.audit_id, id);
    return r;
  });
}

WriteResult PgStore::reject_suggestions(const SuggestionSelection& which, const std::string& reason,
                                        const Actor& actor) {
  return change(*this, [&](pqxx::work& tx) {
    std::vector<std::int64_t> chosen;
    for (const auto& p : tx.exec("SELECT id FROM suggestions WHERE status = 'pending' ORDER BY id"))
      if (which.contains(p[0].as<std::int64_t>())) chosen.push_back(p[0].as<std::int64_t>());
    if (chosen.empty()) return status(WriteStatus::not_found);
    WriteResult r;
    r.other_id = static_cast<std::int64_t>(chosen.size());
    r.audit_id = write_audit(tx, actor, AuditAction::reject, 0, 0, std::nullopt, std::nullopt,
                             bulk_rejection_detail(chosen.size(), which, reason));
    for (const std::int64_t id : chosen)
      tx.exec_params(
          "UPDATE suggestions SET status = 'rejected', decided_by = $1, decided_at = $2, reason = $3,"
          " decided_audit = $4 WHERE id = $5 AND status = 'pending'",
          actor.platform + ":" + actor.user, actor.at, reason, r.audit_id, id);
    return r;
  });
}

namespace {

std::optional<Link> any_link(pqxx::transaction_base& tx, std::int64_t id) {
  const auto r = tx.exec_params(sql({"SELECT ", link_columns, " FROM links WHERE id = $1"}), id);
  if (r.empty()) return std::nullopt;
  return read_link(r[0]);
}

}  // namespace

std::optional<Link> PgStore::story_of(std::int64_t day, std::int64_t record_through) {
  std::optional<Link> out;
  run("story of the day", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    // One replica at a time continues the rotation, so two never record different stories.
    lock(tx, story_lock);
    const auto recorded = tx.exec_params("SELECT link_id FROM story_days WHERE day = $1", day);
    if (!recorded.empty()) {
      out = any_link(tx, recorded[0][0].as<std::int64_t>());
      return;
    }
    std::optional<StoryDay> last;
    const auto latest = tx.exec("SELECT day, link_id, cycle FROM story_days ORDER BY day DESC LIMIT 1");
    if (!latest.empty())
      last =
          StoryDay{latest[0][0].as<std::int64_t>(), latest[0][1].as<std::int64_t>(), latest[0][2].as<std::int64_t>()};
    std::vector<std::int64_t> active;
    // Dead links (link health, while their URL is the one found dead) are passed over: the rotation goes on with the
    // next live one.
    for (const auto& r : tx.exec("SELECT id FROM links WHERE removed_at IS NULL"
                                 " AND id NOT IN (SELECT h.link_id FROM link_health h WHERE h.dead <> 0 AND h.url = "
                                 "links.url) ORDER BY id"))
      active.push_back(r[0].as<std::int64_t>());
    if (last && day < last->day) {
      // Before the recorded rotation began: the record-free rotation answers, and a day that has
      // come is recorded (outside any cycle).
      std::vector<Link> links;
      for (const auto id : active) links.push_back(*any_link(tx, id));
      out = story_for(std::move(links), date::sys_days{date::days{day}});
      if (out && day <= record_through) {
        tx.exec_params("INSERT INTO story_days (day, link_id, cycle) VALUES ($1, $2, -1)", day, out->id);
        tx.commit();
      }
      return;
    }
    std::vector<std::int64_t> shown;
    if (last)
      for (const auto& r : tx.exec_params("SELECT link_id FROM story_days WHERE cycle = $1", last->cycle))
        shown.push_back(r[0].as<std::int64_t>());
    const auto days = continue_rotation(last, shown, active, std::min(day, record_through), day);
    if (days.empty()) return;
    for (const auto& d : days) {
      if (d.day > record_through) break;
      tx.exec_params("INSERT INTO story_days (day, link_id, cycle) VALUES ($1, $2, $3)", d.day, d.link_id, d.cycle);
    }
    out = any_link(tx, days.back().link_id);
    tx.commit();
  });
  return out;
}

}  // namespace whygo

namespace whygo {

UpstreamApplied PgStore::apply_upstream(const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                                        const Actor& upstream, double max_removed_share) {
  UpstreamApplied out;
  run("sync failed, nothing changed", [&](pqxx::connection& c) {
    out = {};
    pqxx::work tx(c);
    lock(tx, catalog_lock);
    std::vector<Link> existing;
    catalog_import::UpstreamFacts facts;
    for (const auto& row : tx.exec(sql({"SELECT ", link_columns, ", removed_at IS NOT NULL FROM links"}))) {
      existing.push_back(read_link(row));
      if (row[10].as<bool>()) facts.removed.insert(existing.back().id);
    }
    // A removed link whose latest standing removal is the upstream's.
    for (const auto& row : tx.exec_params(
             "SELECT links.id FROM links WHERE links.removed_at IS NOT NULL AND (SELECT audit.platform FROM audit"
             " WHERE audit.link_id = links.id AND audit.action = 'remove' AND audit.undone_by IS NULL ORDER BY"
             " audit.id DESC LIMIT 1) = $1",
             std::string(catalog_import::upstream_platform)))
      facts.removed_by_upstream.insert(row[0].as<std::int64_t>());
    const catalog_import::Plan plan = catalog_import::plan(existing, admin_edits(tx), incoming, &facts);
    out.unchanged = plan.unchanged;
    out.kept = plan.kept;
    out.refused = catalog_import::refusal(plan, existing.size() - facts.removed.size(), max_removed_share);
    if (out.refused) return;  // rolled back: nothing written

    std::unordered_map<std::int64_t, const Link*> by_id;
    for (const Link& link : existing) by_id[link.id] = &link;
    write_plan(tx, sections, incoming, plan, upstream.at, /*revive=*/true,
               [&](const catalog_import::Write& write, std::int64_t id) {
                 Link after = write.link;
                 after.id = id;
                 if (!write.update_id || write.restore) {
                   write_audit(tx, upstream, AuditAction::add, after.id, 0, std::nullopt, after);
                   out.added.push_back(after);
                 } else {
                   const Link& before = *by_id.at(*write.update_id);
                   write_audit(tx, upstream, AuditAction::edit, after.id, 0, before, after);
                   out.updated.emplace_back(before, after);
                 }
               });
    for (const std::int64_t id : plan.vanished) {
      set_removed(tx, id, upstream.at);
      write_audit(tx, upstream, AuditAction::remove, id, 0, *by_id.at(id), std::nullopt);
      out.removed.push_back(*by_id.at(id));
    }
    tx.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
    tx.commit();
  });
  catalog_written();  // searchable before the sync reports it
  return out;
}

}  // namespace whygo
