// Test helpers: temporary folders, an App over a fresh SQLite file, running the real binary.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "bot/clock.hpp"
#include "tests/postgres.hpp"

namespace whygo::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// 2026-11-27 08:00 UTC, a Friday.
std::chrono::system_clock::time_point test_now();
inline std::int64_t test_unix() {
  return unix_seconds(test_now());
}

// A whole core over a new database (tests/postgres.hpp: SQLite or PostgreSQL) seeded with the bundled catalog.
struct Fixture {
  TempDir dir;
  ManualClock clock{test_now()};
  std::unique_ptr<App> app;
  Fixture();
  Reply ask(const std::string& text, bool admin = false, std::size_t offset = 0);
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line and captures its output (stderr into err).
RunResult run(const std::string& command_line);

// Sets an environment variable for one test and unsets it after.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { setenv(name.c_str(), value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
};

std::string read_text(const std::string& path);
// application/x-www-form-urlencoded, as Slack encodes a slash command's fields.
std::string form_encode(std::string_view s);
void write_text(const std::string& path, const std::string& content);

}  // namespace whygo::test

namespace whygo::test {

// `whygo serve` as a child process on a free loopback port, with the given extra environment
// ("NAME=value"). Stopped with SIGTERM (and reaped) on destruction.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> env, std::string db_path);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  int pid() const { return pid_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Sends a signal and waits for the exit code (-1 if killed by a signal or not exited in time).
  int stop(int signal = 15, std::chrono::seconds within = std::chrono::seconds(10));
  // SIGKILL, as a crash or the OOM killer would, and reaps at once: returns the signal that ended
  // the process (9), or -1 if it had already exited.
  int kill_now();
  const std::string& log_path() const { return log_path_; }

 private:
  int pid_ = -1;
  int port_ = 0;
  std::string log_path_;
  TempDir dir_;
};

}  // namespace whygo::test

namespace httplib {
class Server;
}

namespace whygo::test {

// A stand-in for a platform's API on loopback (Slack Web API, Discord REST, a Matrix
// homeserver): records every request; routes answer as each test sets them up.
class FakePlatform {
 public:
  struct Recorded {
    std::string method;
    std::string path;  // with the query string
    std::string body;
    std::multimap<std::string, std::string> headers;
    std::string header(const std::string& name) const;
  };

  FakePlatform();
  ~FakePlatform();
  httplib::Server& routes() { return *server_; }  // add routes before start()
  void start();
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Recorded> requests() const;
  // Waits until at least n requests arrived; false on timeout.
  bool wait_for(std::size_t n, std::chrono::milliseconds within = std::chrono::seconds(10)) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<Recorded> requests_;
};

}  // namespace whygo::test
