#include "tests/postgres.hpp"

#include <pqxx/pqxx>

#include <pwd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "tests/support.hpp"

namespace whygo::test {
namespace {

// The newest installed server's programs (/usr/lib/postgresql/<major>/bin).
std::filesystem::path bin_dir() {
  std::filesystem::path best;
  int best_major = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, std::regex("[0-9]+"))) continue;
    if (!std::filesystem::exists(entry.path() / "bin" / "initdb")) continue;
    if (std::stoi(name) > best_major) {
      best_major = std::stoi(name);
      best = entry.path() / "bin";
    }
  }
  if (best.empty())
    throw std::runtime_error(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL store tests need it. "
        "Install the Debian package: apt-get install postgresql (./dev test installs it)");
  return best;
}

// Runs a PostgreSQL program as the cluster's owner: "nobody" when we are root.
void as_owner(const std::string& command_line, const std::string& what) {
  const std::string full = (geteuid() == 0 ? "runuser -u nobody -- " : "") + command_line;
  const RunResult r = run(full);
  if (r.exit_code != 0)
    throw std::runtime_error(what + " failed (" + full + "), exit " + std::to_string(r.exit_code) + ": " + r.err +
                             r.out);
}

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

}  // namespace

PgCluster::PgCluster(std::filesystem::path folder) : folder_(std::move(folder)) {
  const auto bin = bin_dir();
  stop(folder_);
  std::filesystem::remove_all(folder_);
  std::filesystem::create_directories(folder_);
  if (geteuid() == 0) {
    // The owner must reach the folder: it is created under /tmp, which anyone may traverse.
    const passwd* nobody = ::getpwnam("nobody");
    if (!nobody || ::chown(folder_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0)
      throw std::runtime_error("cannot hand " + folder_.string() + " to the user nobody");
  }
  const auto data = folder_ / "data";
  as_owner(quoted(bin / "initdb") + " -D " + quoted(data) + " -U whygo --auth=trust -N -E UTF8 --locale=C.UTF-8",
           "initdb");
  // No TCP at all: the socket lives in the folder. fsync off: a throwaway cluster.
  as_owner(quoted(bin / "pg_ctl") + " -D " + quoted(data) + " -l " + quoted(folder_ / "server.log") + " -o \"-k " +
               folder_.string() + " -c listen_addresses='' -c fsync=off -c max_connections=200\" -w start",
           "pg_ctl start (see " + (folder_ / "server.log").string() + ")");
}

PgCluster::~PgCluster() {
  if (folder_.empty()) return;
  try {
    stop(folder_);
  } catch (...) {
    // Destructors do not throw; the folder goes all the same.
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

void PgCluster::stop(const std::filesystem::path& folder) {
  const auto data = folder / "data";
  if (!std::filesystem::exists(data / "postmaster.pid")) return;
  as_owner(quoted(bin_dir() / "pg_ctl") + " -D " + quoted(data) + " -m immediate -w stop", "pg_ctl stop");
}

std::string PgCluster::uri(const std::filesystem::path& folder, const std::string& name) {
  return "postgresql:///" + name + "?host=" + folder.string() + "&user=whygo";
}

bool postgres_backend() {
  const char* folder = std::getenv("WHYGO_TEST_PG");
  return folder && *folder;
}

std::string database(const TempDir& dir, const std::string& name) {
  if (!postgres_backend()) return dir.file(name);
  static std::mutex mutex;
  static std::map<std::string, std::string> opened;  // by the file the SQLite run would use
  std::lock_guard lock(mutex);
  auto& uri = opened[dir.file(name)];
  if (uri.empty()) uri = new_postgres_database();
  return uri;
}

std::string new_postgres_database() {
  static std::mutex mutex;
  static std::unique_ptr<PgCluster> own;
  static std::atomic<int> counter{0};
  std::filesystem::path folder;
  {
    std::lock_guard lock(mutex);
    if (postgres_backend()) {
      folder = std::getenv("WHYGO_TEST_PG");
    } else {
      folder = std::filesystem::temp_directory_path() / ("whygo-pg-" + std::to_string(getpid()));
      if (!own) own = std::make_unique<PgCluster>(folder);
    }
  }
  const std::string name = "whygo_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  pqxx::connection admin(PgCluster::uri(folder, "postgres"));
  pqxx::nontransaction q(admin);
  q.exec("CREATE DATABASE " + name);
  return PgCluster::uri(folder, name);
}

}  // namespace whygo::test
