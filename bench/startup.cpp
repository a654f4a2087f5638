// Start-up to ready: the time from exec of `whygo serve` until GET /healthz answers 200, polled
// every millisecond over loopback; then SIGTERM and the time until the process has exited.
// First starts each get an empty database (so they import the bundled catalog); later starts
// reuse the database of the last first start. Given a DATABASE, first starts are on it with its
// search index removed (so they build it), later starts on it as it is (nothing changed).
//
//   whygo_bench_startup WHYGO PORT DIR FIRST_STARTS LATER_STARTS [DATABASE]
//
// The server's environment is this process's (adapters' secrets etc.) plus WHYGO_DB and
// WHYGO_LISTEN=127.0.0.1:PORT; its output goes to DIR/startup.log. Prints "STARTUP key=value" lines
// (milliseconds) for bench/run.sh.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

bool healthy(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof request - 1)) {
      char buf[64] = {};
      const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      ok = n >= 12 && std::strncmp(buf, "HTTP/1.1 200", 12) == 0;
    }
  }
  ::close(fd);
  return ok;
}

struct Timing {
  double ready_ms = -1, stop_ms = -1;
};

Timing start_once(const std::string& binary, int port, const std::string& db, const std::string& log) {
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setenv("WHYGO_DB", db.c_str(), 1);
    ::setenv("WHYGO_LISTEN", listen.c_str(), 1);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execl(binary.c_str(), binary.c_str(), "serve", static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  Timing t;
  const auto deadline = t0 + std::chrono::seconds(120);  // a first start at 100,000 links builds the index
  int status = 0;
  while (Clock::now() < deadline) {
    if (healthy(port)) {
      t.ready_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      break;
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) throw std::runtime_error("whygo serve exited early; see " + log);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto stopping = Clock::now();
  ::kill(pid, t.ready_ms < 0 ? SIGKILL : SIGTERM);
  ::waitpid(pid, &status, 0);
  t.stop_ms = std::chrono::duration<double, std::milli>(Clock::now() - stopping).count();
  if (t.ready_ms < 0) throw std::runtime_error("whygo serve not ready within 120 s; see " + log);
  return t;
}

void remove_db(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  std::filesystem::remove_all(db + "-search");
}

void report(const char* what, std::vector<Timing> runs) {
  std::vector<double> ready, stop;
  for (const auto& r : runs) {
    ready.push_back(r.ready_ms);
    stop.push_back(r.stop_ms);
  }
  std::sort(ready.begin(), ready.end());
  std::sort(stop.begin(), stop.end());
  std::printf("STARTUP kind=%s runs=%zu ready_median=%.1f ready_min=%.1f ready_max=%.1f stop_median=%.1f\n", what,
              ready.size(), ready[ready.size() / 2], ready.front(), ready.back(), stop[stop.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::cerr << "usage: whygo_bench_startup WHYGO PORT DIR FIRST_STARTS LATER_STARTS [DATABASE]\n";
    return 2;
  }
  try {
    const std::string binary = argv[1];
    const int port = std::stoi(argv[2]);
    const std::string dir = argv[3];
    const int first = std::max(1, std::stoi(argv[4]));
    const int later = std::max(1, std::stoi(argv[5]));
    const bool given = argc == 7;
    const std::string db = given ? argv[6] : dir + "/startup.db";
    const std::string log = dir + "/startup.log";
    std::vector<Timing> first_runs, later_runs;
    for (int i = 0; i < first; ++i) {
      if (given)
        std::filesystem::remove_all(db + "-search");
      else
        remove_db(db);
      first_runs.push_back(start_once(binary, port, db, log));
    }
    for (int i = 0; i < later; ++i) later_runs.push_back(start_once(binary, port, db, log));
    if (!given) remove_db(db);
    report("first", first_runs);
    report("later", later_runs);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "whygo_bench_startup: " << e.what() << "\n";
    return 1;
  }
}
