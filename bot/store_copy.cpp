// Store: the tables copy-store moves, out of and into a SQLite file.
#include <SQLiteCpp/SQLiteCpp.h>

#include "bot/store.hpp"
#include "bot/store_rows.hpp"

namespace whygo {
namespace {

constexpr const char* binary_column = "sealed_token";

std::string from_hex(const std::string& hex) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw StoreError("copy: a binary value is not hex");
  };
  if (hex.size() % 2) throw StoreError("copy: a binary value is not hex");
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  return out;
}

}  // namespace

std::vector<TableRows> Store::copy_out() {
  auto db = reader();
  std::vector<TableRows> out;
  try {
    SQLite::Transaction snapshot(*db, SQLite::TransactionBehavior::DEFERRED);
    for (const CopiedTable& table : copied_tables()) {
      TableRows rows{table.name, {}, {}};
      std::string select = "SELECT ";
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const std::string column = table.columns[i];
        rows.columns.push_back(column);
        select += (i ? ", " : "") + (column == binary_column ? "hex(" + column + ")" : column);
      }
      SQLite::Statement q(*db, select + " FROM " + table.name);
      while (q.executeStep()) {
        std::vector<std::optional<std::string>> row;
        for (int i = 0; i < q.getColumnCount(); ++i)
          row.push_back(q.getColumn(i).isNull() ? std::nullopt : std::optional(q.getColumn(i).getString()));
        rows.rows.push_back(std::move(row));
      }
      out.push_back(std::move(rows));
    }
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("cannot read the database to copy: ") + e.what());
  }
  return out;
}

void Store::copy_in(const std::vector<TableRows>& tables) {
  std::lock_guard lock(write_mutex_);
  try {
    SQLite::Transaction tx(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
    for (const char* table : {"links", "suggestions", "subscriptions", "post_claims", "audit"})
      if (writer_->execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64() > 0)
        throw StoreError(std::string("the target database is not empty (its ") + table +
                         " table has rows): copy into a new, empty one");
    // An audit row may name the later row that undid it: references are checked at commit.
    writer_->exec("PRAGMA defer_foreign_keys = ON");
    writer_->exec("DELETE FROM sections");
    for (const TableRows& rows : tables) {
      std::string names, marks;
      for (std::size_t i = 0; i < rows.columns.size(); ++i) {
        names += (i ? ", " : "") + rows.columns[i];
        marks += i ? ", ?" : "?";
      }
      SQLite::Statement insert(*writer_, "INSERT INTO " + rows.table + " (" + names + ") VALUES (" + marks + ")");
      for (const auto& row : rows.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          const int at = static_cast<int>(i + 1);
          if (!row[i]) {
            insert.bind(at);
          } else if (rows.columns[i] == binary_column) {
            const std::string bytes = from_hex(*row[i]);
            insert.bind(at, bytes.data(), static_cast<int>(bytes.size()));
          } else {
            insert.bind(at, *row[i]);  // INTEGER columns take numeric text as numbers
          }
        }
        insert.exec();
        insert.reset();
      }
    }
    writer_->exec("UPDATE meta SET value = 1 WHERE key = 'seeded'");
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(std::string("copy failed, nothing written: ") + e.what());
  }
  catalog_written();
}

std::size_t Store::row_count(const std::string& table) {
  for (const CopiedTable& t : copied_tables())
    if (table == t.name) {
      auto db = reader();
      return static_cast<std::size_t>((*db).execAndGet("SELECT COUNT(*) FROM " + table).getInt64());
    }
  throw StoreError("row_count: " + table + " is not a copied table");
}

}  // namespace whygo
