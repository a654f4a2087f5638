#include "bot/pg_rows.hpp"

namespace whygo::pg_rows {

std::vector<catalog_import::AdminEdit> admin_edits(pqxx::transaction_base& tx) {
  std::vector<catalog_import::AdminEdit> out;
  for (const auto& row :
       tx.exec("SELECT link_id, before, after FROM audit WHERE link_id IS NOT NULL AND before IS NOT NULL AND after"
               " IS NOT NULL AND undo_of IS NULL AND undone_by IS NULL AND platform <> 'upstream' ORDER BY id"))
    out.push_back({row[0].as<std::int64_t>(), store_rows::from_audit_json(row[1].as<std::string>()),
                   store_rows::from_audit_json(row[2].as<std::string>())});
  return out;
}

void write_plan(pqxx::transaction_base& tx, const std::vector<std::string>& sections, const std::vector<Link>& incoming,
                const catalog_import::Plan& plan, std::int64_t now, bool revive,
                const store_rows::PlanWritten& written) {
  const auto ensure_section = [&](const std::string& name) {
    tx.exec_params(
        "INSERT INTO sections (name, position) SELECT $1, COALESCE(MAX(position), -1) + 1 FROM sections"
        " ON CONFLICT (name) DO NOTHING",
        name);
  };
  for (const auto& name : sections) ensure_section(name);
  for (const Link& link : incoming) ensure_section(link.section);
  const std::string update = store_rows::sql(
      {"UPDATE links SET title = $1, url = $2, author = $3, medium = $4, section = $5, subject = $6, tags = $7,"
       " host = $8, extra = $9, url_key = $10, origin = $11, position = $12, updated_at = $13",
       revive ? ", removed_at = NULL" : "", " WHERE id = $14"});
  const std::string insert =
      store_rows::sql({"INSERT INTO links (", content_columns,
                       ", origin, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                       " $11, $12, $13, $13) RETURNING id"});
  for (const catalog_import::Write& write : plan.writes) {
    const std::string origin(to_string(write.link.origin));
    const auto position = static_cast<std::int64_t>(write.incoming);
    std::int64_t id = 0;
    if (write.update_id) {
      exec_content(tx, update, write.link, origin, position, now, *write.update_id);
      id = *write.update_id;
    } else {
      id = exec_content(tx, insert, write.link, origin, position, now)[0][0].as<std::int64_t>();
    }
    if (written) written(write, id);
  }
}

}  // namespace whygo::pg_rows
