// `whygo config check`: the settings as serve would read them, where each came from, and whether
// serve would start and be ready, checked without changing anything.
#include <fcntl.h>
#include <unistd.h>
#include <pqxx/connection>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "app/origins.hpp"
#include "bot/database.hpp"
#include "bot/server.hpp"
#include "bot/synonyms.hpp"

namespace whygo::cli {
namespace {

struct Check {
  enum class Outcome { ok, fail, off } outcome;
  std::string text;
};

// What keeps serve from opening (or creating) the database and writing to it; nothing is created.
Check database_check(const std::string& path) {
  if (is_postgres_uri(path)) {
    // Connecting migrates, which a check must not do: a connection alone says it is reachable.
    try {
      pqxx::connection probe(path);
      return {Check::Outcome::ok, "database: PostgreSQL at " + redact_uri(path) + " is reachable (server " +
                                      std::to_string(probe.server_version()) + ")"};
    } catch (const std::exception& e) {
      return {Check::Outcome::fail,
              "database: cannot connect to PostgreSQL at " + redact_uri(path) + ": " + redact_uri(e.what())};
    }
  }
  if (path.find("://") != std::string::npos) return {Check::Outcome::ok, "database: " + path + " (not checked here)"};
  std::error_code error;
  const std::filesystem::path file = std::filesystem::absolute(path, error);
  const std::filesystem::path folder = file.parent_path();
  if (!std::filesystem::is_directory(folder, error))
    return {Check::Outcome::fail, "database: the folder " + folder.string() + " of " + file.string() +
                                      " does not exist; create it or point WHYGO_DB elsewhere"};
  // SQLite keeps its -wal and -shm files beside the database: the folder must be writable too.
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    return {Check::Outcome::fail, "database: the folder " + folder.string() + " is not writable (" +
                                      std::strerror(errno) +
                                      "); serve needs it for the database's -wal and -shm files"};
  if (!std::filesystem::exists(file, error))
    return {Check::Outcome::ok,
            "database: " + file.string() + " is created on the first start (its folder is writable)"};
  const int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return {Check::Outcome::fail, "database: cannot write " + file.string() + ": " + std::strerror(errno)};
  ::close(fd);
  return {Check::Outcome::ok, "database: " + file.string() + " is writable"};
}

Check synonyms_check(const std::string& path) {
  if (path.empty()) return {Check::Outcome::ok, "synonyms: the bundled list"};
  std::string text;
  try {
    text = settings::read_file(path, "synonyms (WHYGO_SYNONYMS)");
  } catch (const std::invalid_argument& e) {
    return {Check::Outcome::fail, e.what()};
  }
  const Synonyms synonyms = Synonyms::parse(text);
  std::string note = "synonyms: " + path + ", " + std::to_string(synonyms.size()) + " entries";
  if (!synonyms.errors().empty())
    note += "; " + std::to_string(synonyms.errors().size()) + " line(s) skipped, e.g. " + synonyms.errors().front();
  return {Check::Outcome::ok, note};
}

Check tls_check(const TlsConfig& tls) {
  if (!tls.enabled()) return {Check::Outcome::ok, "tls: off (plain HTTP; a reverse proxy terminates TLS)"};
  for (const std::string& file : {tls.cert_file, tls.key_file}) {
    try {
      settings::read_file(file, "tls");
    } catch (const std::invalid_argument& e) {
      return {Check::Outcome::fail, e.what()};
    }
  }
  try {
    HttpServer loads(tls.cert_file, tls.key_file);  // the same loading serve does; nothing is bound
  } catch (const std::exception& e) {
    return {Check::Outcome::fail, e.what()};
  }
  return {Check::Outcome::ok, "tls: " + tls.cert_file + " and " + tls.key_file + " load"};
}

std::string shown(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
}

void rows(std::ostringstream& out, const Config& config, const std::string& section, const nlohmann::json& values,
          const std::vector<settings::Documented>& documented) {
  for (const auto& setting : documented) {
    std::string line = "  " + setting.name;
    line.resize(std::max<std::size_t>(line.size() + 1, 20), ' ');
    line += shown(values.value(setting.name, nlohmann::json()));
    line.resize(std::max<std::size_t>(line.size() + 1, 56), ' ');
    out << line << origin_of(config, section, setting) << "\n";
  }
}

}  // namespace

int config(const Config& config, const std::vector<Adapter>& adapters, const std::vector<std::string>&) {
  std::ostringstream out;
  out << version() << "settings from "
      << (config.file.empty() ? "the environment (no --config file)" : config.file + " and the environment")
      << "; the environment wins over the file\n\n";
  rows(out, config, "", config.describe(), Config::documented());
  std::vector<Check> checks = {database_check(config.db_path), synonyms_check(config.synonyms_path),
                               tls_check(config.tls)};
  for (const Adapter& adapter : adapters) {
    out << "\n" << adapter.name << ": " << (adapter.enabled ? "on" : "off (" + adapter.off_reason + ")") << "\n";
    rows(out, config, adapter.name, adapter.settings, adapter.documented);
    if (!adapter.enabled) {
      checks.push_back({Check::Outcome::off, adapter.name + ": off (" + adapter.off_reason + ")"});
      continue;
    }
    // What /readyz would say: an adapter that is on must be able to answer and to post.
    const std::vector<std::string> missing = adapter.readiness ? adapter.readiness() : std::vector<std::string>{};
    if (missing.empty()) checks.push_back({Check::Outcome::ok, adapter.name + ": on, with all it needs"});
    for (const std::string& problem : missing)
      checks.push_back({Check::Outcome::fail, adapter.name + ": incomplete: " + problem});
  }
  std::size_t failures = 0;
  out << "\nchecks:\n";
  for (const Check& check : checks) {
    failures += check.outcome == Check::Outcome::fail;
    out << (check.outcome == Check::Outcome::ok     ? "  ok    "
            : check.outcome == Check::Outcome::fail ? "  FAIL  "
                                                    : "  --    ")
        << check.text << "\n";
  }
  if (failures == 0)
    out << "\nconfig OK: serve would start and be ready\n";
  else
    out << "\nconfig NOT OK: " << failures << " problem(s) marked FAIL; serve would not start, or not be ready\n";
  std::cout << out.str();
  return failures == 0 ? 0 : 1;
}

}  // namespace whygo::cli
