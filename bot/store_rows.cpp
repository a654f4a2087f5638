#include "bot/store_rows.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>

#include "bot/tags.hpp"
#include "bot/url.hpp"

namespace whygo::store_rows {

std::string sql(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (const auto part : parts) out.append(part);
  return out;
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    if (!out.empty()) out += ' ';
    out += tag;
  }
  return out;
}

std::vector<std::string> split_tags(const std::string& joined) {
  std::vector<std::string> out;
  std::istringstream in(joined);
  std::string tag;
  while (in >> tag) out.push_back(tag);
  return out;
}

Link read_link(SQLite::Statement& q) {
  Link link;
  link.id = q.getColumn(0).getInt64();
  link.title = q.getColumn(1).getString();
  link.url = q.getColumn(2).getString();
  link.author = q.getColumn(3).getString();
  link.medium = q.getColumn(4).getString();
  link.section = q.getColumn(5).getString();
  link.subject = q.getColumn(6).getString();
  link.tags = split_tags(q.getColumn(7).getString());
  const std::string origin = q.getColumn(8).getString();
  link.origin = stored(parse_link_origin(origin), "link origin", origin);
  link.added_at = q.getColumn(9).getInt64();
  return link;
}

bool same_content(const Link& a, const Link& b) {
  return a.title == b.title && a.url == b.url && a.author == b.author && a.medium == b.medium &&
         a.section == b.section && a.subject == b.subject && a.tags == b.tags;
}

void bind_content(SQLite::Statement& q, const Link& link) {
  q.bind(":title", link.title);
  q.bind(":url", link.url);
  q.bind(":author", link.author);
  q.bind(":medium", link.medium);
  q.bind(":section", link.section);
  q.bind(":subject", link.subject);
  q.bind(":tags", join_tags(link.tags));
  q.bind(":host", tags::host_of(link.url));
  q.bind(":extra", tags::index_extra(link));
  q.bind(":url_key", url::key(link.url));
}

std::string to_audit_json(const Link& link) {
  return nlohmann::json{{"id", link.id},           {"title", link.title},   {"url", link.url},
                        {"author", link.author},   {"medium", link.medium}, {"section", link.section},
                        {"subject", link.subject}, {"tags", link.tags},     {"origin", to_string(link.origin)}}
      // Validation keeps text UTF-8; should anything else slip in, the audit row is still written.
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Link from_audit_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  Link link;
  link.id = j.value("id", std::int64_t{0});
  link.title = j.value("title", "");
  link.url = j.value("url", "");
  link.author = j.value("author", "");
  link.medium = j.value("medium", "");
  link.section = j.value("section", "");
  link.subject = j.value("subject", "");
  link.tags = j.value("tags", std::vector<std::string>{});
  const std::string origin = j.value("origin", "admin");
  link.origin = stored(parse_link_origin(origin), "link origin", origin);
  return link;
}

std::vector<catalog_import::AdminEdit> admin_edits(SQLite::Database& db) {
  std::vector<catalog_import::AdminEdit> out;
  SQLite::Statement q(
      db,
      "SELECT link_id, before, after FROM audit WHERE link_id IS NOT NULL AND before IS NOT NULL"
      " AND after IS NOT NULL AND undo_of IS NULL AND undone_by IS NULL AND platform != 'upstream' ORDER BY id");
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), from_audit_json(q.getColumn(1).getString()),
                   from_audit_json(q.getColumn(2).getString())});
  return out;
}

void write_plan(SQLite::Database& db, const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                const catalog_import::Plan& plan, std::int64_t now, bool revive, const PlanWritten& written) {
  int next_section = db.execAndGet("SELECT COALESCE(MAX(position), -1) + 1 FROM sections").getInt();
  SQLite::Statement add_section(db, "INSERT OR IGNORE INTO sections (name, position) VALUES (?, ?)");
  const auto ensure_section = [&](const std::string& name) {
    add_section.bind(1, name);
    add_section.bind(2, next_section);
    if (add_section.exec() > 0) ++next_section;
    add_section.reset();
  };
  for (const auto& name : sections) ensure_section(name);
  for (const Link& link : incoming) ensure_section(link.section);

  SQLite::Statement insert(
      db,
      "INSERT INTO links (title, url, author, medium, section, subject, tags, host, extra, url_key, origin, "
      "position, created_at, updated_at) VALUES (:title, :url, :author, :medium, :section, :subject, :tags, "
      ":host, :extra, :url_key, :origin, :position, :now, :now)");
  SQLite::Statement update(db, sql({"UPDATE links SET title = :title, url = :url, author = :author, medium = :medium, "
                                    "section = :section, subject = :subject, tags = :tags, host = :host, "
                                    "extra = :extra, url_key = :url_key, origin = :origin, position = :position, "
                                    "updated_at = :now",
                                    revive ? ", removed_at = NULL" : "", " WHERE id = :id"}));
  for (const catalog_import::Write& write : plan.writes) {
    SQLite::Statement& q = write.update_id ? update : insert;
    bind_content(q, write.link);
    q.bind(":origin", std::string(to_string(write.link.origin)));
    q.bind(":position", static_cast<std::int64_t>(write.incoming));
    q.bind(":now", now);
    if (write.update_id) q.bind(":id", *write.update_id);
    q.exec();
    q.reset();
    if (written) written(write, write.update_id ? *write.update_id : db.getLastInsertRowid());
  }
}

}  // namespace whygo::store_rows
