// The CTest fixture around the PostgreSQL store tests: `pg_cluster start FOLDER` starts a
// throwaway cluster there (tests/postgres.hpp), `pg_cluster stop FOLDER` stops and removes it.
#include <cstring>
#include <iostream>

#include "tests/postgres.hpp"

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "start") != 0 && std::strcmp(argv[1], "stop") != 0)) {
    std::cerr << "usage: pg_cluster start|stop FOLDER\n";
    return 2;
  }
  try {
    if (std::strcmp(argv[1], "start") == 0) {
      whygo::test::PgCluster cluster(argv[2]);
      cluster.detach();
      std::cout << "PostgreSQL test cluster running in " << argv[2] << "\n";
    } else {
      whygo::test::PgCluster::stop(argv[2]);
      std::filesystem::remove_all(argv[2]);
    }
  } catch (const std::exception& e) {
    std::cerr << "pg_cluster " << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
