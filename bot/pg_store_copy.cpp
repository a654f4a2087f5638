// PgStore: the tables copy-store moves, out of and into PostgreSQL.
#include <pqxx/pqxx>

#include "bot/pg_store.hpp"

namespace whygo {
namespace {

// How a column is read as text, and written back from it.
std::string read_as_text(const std::string& column) {
  if (column == "sealed_token") return "encode(sealed_token, 'hex')";
  if (column == "paused") return "paused::int::text";  // as SQLite stores it
  return column + "::text";
}

std::string written_from_text(const std::string& column, std::size_t n) {
  const std::string param = "$" + std::to_string(n);
  if (column == "sealed_token") return "decode(" + param + ", 'hex')";
  return param;
}

}  // namespace

std::vector<TableRows> PgStore::copy_out() {
  std::vector<TableRows> out;
  run("cannot read the database to copy", [&](pqxx::connection& c) {
    out.clear();
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);  // one snapshot of every table
    for (const CopiedTable& table : copied_tables()) {
      TableRows rows{table.name, {}, {}};
      std::string select = "SELECT ";
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        rows.columns.push_back(table.columns[i]);
        select += (i ? ", " : "") + read_as_text(table.columns[i]);
      }
      for (const auto& r : tx.exec(select + " FROM " + table.name)) {
        std::vector<std::optional<std::string>> row;
        for (const auto& field : r)
          row.push_back(field.is_null() ? std::nullopt : std::optional(field.as<std::string>()));
        rows.rows.push_back(std::move(row));
      }
      out.push_back(std::move(rows));
    }
  });
  return out;
}

void PgStore::copy_in(const std::vector<TableRows>& tables) {
  run("copy failed, nothing written", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec("LOCK TABLE links, suggestions, subscriptions, post_claims, audit IN EXCLUSIVE MODE");
    for (const char* table : {"links", "suggestions", "subscriptions", "post_claims", "audit"})
      if (tx.exec(std::string("SELECT EXISTS (SELECT 1 FROM ") + table + ")")[0][0].as<bool>())
        throw StoreError(std::string("the target database is not empty (its ") + table +
                         " table has rows): copy into a new, empty one");
    // An audit row may name the later row that undid it: references are checked at commit.
    tx.exec("SET CONSTRAINTS ALL DEFERRED");
    tx.exec("DELETE FROM sections");
    for (const TableRows& rows : tables) {
      std::string names, values;
      for (std::size_t i = 0; i < rows.columns.size(); ++i) {
        names += (i ? ", " : "") + rows.columns[i];
        values += (i ? ", " : "") + written_from_text(rows.columns[i], i + 1);
      }
      const std::string insert = "INSERT INTO " + rows.table + " (" + names + ") VALUES (" + values + ")";
      for (const auto& row : rows.rows) {
        std::vector<const char*> params;  // nullptr is NULL
        for (const auto& value : row) params.push_back(value ? value->c_str() : nullptr);
        tx.exec_params(insert, pqxx::prepare::make_dynamic_params(params));
      }
    }
    // Ids given explicitly leave the identity sequences behind: the next add follows the copy.
    for (const char* table : {"links", "audit", "suggestions"})
      tx.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
              "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " + table);
    tx.exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
    tx.commit();
  });
  catalog_written();
}

std::size_t PgStore::row_count(const std::string& table) {
  for (const CopiedTable& t : copied_tables())
    if (table == t.name) {
      std::size_t out = 0;
      run("row count", [&](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        out = static_cast<std::size_t>(tx.exec("SELECT COUNT(*) FROM " + table)[0][0].as<std::int64_t>());
      });
      return out;
    }
  throw StoreError("row_count: " + table + " is not a copied table");
}

}  // namespace whygo
