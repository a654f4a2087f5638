// A throwaway PostgreSQL cluster for tests (Debian's postgresql package): initdb in a temporary
// folder, listening only on a unix socket there, run by an unprivileged user when the tests run
// as root (PostgreSQL refuses to run as root), stopped and removed at the end.
//
// CTest starts one cluster for the whole run (the "postgresql" fixture, tests/CMakeLists.txt)
// and names its folder in WHYGO_TEST_PG; the store tests then run a second time against it.
// A test program run by hand starts a cluster of its own the first time it needs one.
#pragma once
#include <filesystem>
#include <string>

namespace whygo::test {

class TempDir;

class PgCluster {
 public:
  // Creates and starts a cluster in folder (removed first if a stale one is there); throws
  // std::runtime_error, loudly, when PostgreSQL is not installed or does not start.
  explicit PgCluster(std::filesystem::path folder);
  ~PgCluster();  // stops the cluster and removes its folder
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // Leaves the cluster running past this object (the CTest fixture stops it later).
  void detach() { folder_.clear(); }
  // Stops a cluster started in folder by another process (the CTest fixture's cleanup).
  static void stop(const std::filesystem::path& folder);
  // The URI of database `name` on the cluster whose socket is in folder.
  static std::string uri(const std::filesystem::path& folder, const std::string& name);

 private:
  std::filesystem::path folder_;
};

// True when this test process runs the store against PostgreSQL (WHYGO_TEST_PG is set).
bool postgres_backend();
// Where a test's store lives: the SQLite file dir/name, or, when the store tests run against
// PostgreSQL, a database of the test cluster (the same one for the same dir and name, so a
// "restart" finds its data).
std::string database(const TempDir& dir, const std::string& name);
// A new, empty database on the test cluster (the fixture's, or this process's own).
std::string new_postgres_database();

}  // namespace whygo::test
