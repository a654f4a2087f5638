// Hostile load for bench/frontdoor.sh (issue 15): slowloris connections (a header line every
// 200 ms, never the blank line; each reopened when the server closes it) and chunked uploads of
// a given size (each restarted when cut off), from 127.0.0.3, while a new connection from
// 127.0.0.1 asks GET /healthz every 50 ms. Prints one "key=value" line: the probes' latencies in
// microseconds, how many failed, and how many attacking connections the server closed.
//
//   whygo_bench_attack PORT SECONDS SLOWLORIS UPLOADS UPLOAD_MB
//
// Only 127.0.0.0/8; every loop is bounded by SECONDS.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

int connect_from(const char* source, int port, bool nonblocking) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, source, &src.sin_addr);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (nonblocking) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

struct Attacker {
  int fd = -1;
  bool upload = false;
  std::size_t sent = 0;
  Clock::time_point next{};
};

// GET /healthz on a new connection; microseconds, or -1 when it failed or took over 5 s.
long probe(int port) {
  const auto start = Clock::now();
  const int fd = connect_from("127.0.0.1", port, false);
  if (fd < 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const char request[] = "GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
  send(fd, request, sizeof request - 1, MSG_NOSIGNAL);
  std::string got;
  char buf[1024];
  ssize_t n = 0;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
  close(fd);
  if (got.rfind("HTTP/1.1 200", 0) != 0) return -1;
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: whygo_bench_attack PORT SECONDS SLOWLORIS UPLOADS UPLOAD_MB\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const auto duration = std::chrono::seconds(std::atoi(argv[2]));
  const int slowloris = std::atoi(argv[3]);
  const int uploads = std::atoi(argv[4]);
  const std::size_t upload_bytes = static_cast<std::size_t>(std::atol(argv[5])) * 1024 * 1024;
  const auto end = Clock::now() + duration;

  std::atomic<bool> done{false};
  std::vector<long> latencies;
  long failed_probes = 0;
  std::thread prober([&] {
    while (Clock::now() < end) {
      const long us = probe(port);
      if (us < 0)
        ++failed_probes;
      else
        latencies.push_back(us);
      std::this_thread::sleep_for(50ms);
    }
    done = true;
  });

  std::vector<Attacker> attackers(static_cast<std::size_t>(slowloris + uploads));
  for (std::size_t i = 0; i < attackers.size(); ++i) attackers[i].upload = i >= static_cast<std::size_t>(slowloris);
  const std::string head =
      "POST /slack/commands HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  long closed_by_server = 0, opened = 0, connect_failures = 0, completed_uploads = 0;
  std::size_t uploaded = 0;
  char buf[16384];
  while (!done) {
    const auto now = Clock::now();
    for (auto& a : attackers) {
      if (a.fd < 0) {
        a.fd = connect_from("127.0.0.3", port, true);
        if (a.fd < 0) {
          ++connect_failures;
          continue;
        }
        ++opened;
        a.sent = 0;
        a.next = now;
      }
      bool closed = false;
      for (;;) {  // read what the server said, and see whether it closed
        const ssize_t n = recv(a.fd, buf, sizeof buf, 0);
        if (n > 0) continue;
        closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
        break;
      }
      if (!closed && now >= a.next) {
        if (!a.upload) {
          const std::string line = a.sent == 0 ? "GET /healthz HTTP/1.1\r\nHost: bench\r\n" : "X-Trickle: y\r\n";
          const ssize_t n = send(a.fd, line.data(), line.size(), MSG_NOSIGNAL);
          if (n > 0) a.sent += static_cast<std::size_t>(n);
          closed = n < 0 && errno != EAGAIN;
          a.next = now + 200ms;
        } else {
          if (a.sent == 0) a.sent += std::max<ssize_t>(0, send(a.fd, head.data(), head.size(), MSG_NOSIGNAL));
          for (int k = 0; k < 4 && a.sent < upload_bytes; ++k) {
            const ssize_t n = send(a.fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
            if (n > 0) {
              a.sent += static_cast<std::size_t>(n);
              uploaded += static_cast<std::size_t>(n);
            } else {
              closed = n < 0 && errno != EAGAIN;
              break;
            }
          }
          if (a.sent >= upload_bytes) {  // all of it taken: the server did not cut it off
            ++completed_uploads;
            close(a.fd);
            a.fd = -1;
            continue;
          }
        }
      }
      if (closed) {
        ++closed_by_server;
        close(a.fd);
        a.fd = -1;
      }
    }
    std::this_thread::sleep_for(5ms);
  }
  prober.join();
  for (auto& a : attackers)
    if (a.fd >= 0) close(a.fd);

  std::sort(latencies.begin(), latencies.end());
  const auto pct = [&](double p) -> long {
    if (latencies.empty()) return -1;
    return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p / 100.0 * latencies.size()))];
  };
  std::printf(
      "ATTACK probes=%zu failed=%ld p50=%ld p99=%ld max=%ld attackers_opened=%ld closed_by_server=%ld "
      "connect_failures=%ld uploaded_mb=%zu completed_uploads=%ld\n",
      latencies.size(), failed_probes, pct(50), pct(99), latencies.empty() ? -1 : latencies.back(), opened,
      closed_by_server, connect_failures, uploaded / (1024 * 1024), completed_uploads);
  return 0;
}
