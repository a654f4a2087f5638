// Open-loop load at a fixed offered rate (wrk has no such mode): request k is due at
// start + k / rate whatever happened before, spread over a few keep-alive connections, and its
// latency is measured from when it was due, not from when it could be sent. A stalled server so
// shows up in the percentiles instead of silently lowering the rate (coordinated omission).
//
//   whygo_bench_load PORT[,PORT...] RATE SECONDS CONNECTIONS FILE.req [WARMUP_SECONDS]
//
// With several ports (replicas behind a load balancer), connection c goes to the c-th port in
// turn, so the rate is split evenly between them.
//
// Only 127.0.0.1. Prints one "key=value" line (latencies in microseconds) that bench/run.sh reads.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> load_requests(const std::string& path, int port) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
      const std::size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    std::string raw = "POST " + f[0] + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (std::size_t i = 2; i + 1 < f.size(); i += 2) raw += f[i] + ": " + f[i + 1] + "\r\n";
    raw += "Content-Length: " + std::to_string(f[1].size()) + "\r\n\r\n" + f[1];
    out.push_back(std::move(raw));
  }
  if (out.empty()) throw std::runtime_error("no requests in " + path);
  return out;
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one response; returns the status (0 on a broken connection) and whether the server closes.
int read_response(int fd, std::string& buffer, bool& closing) {
  closing = false;
  std::size_t header_end;
  char chunk[16384];
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  const std::string head = lower(buffer.substr(0, header_end));
  int status = 0;
  if (std::sscanf(head.c_str(), "http/1.1 %d", &status) != 1) return 0;
  std::size_t length = 0;
  if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
    length = std::stoul(head.substr(at + 17));
  closing = head.find("\r\nconnection: close") != std::string::npos;
  const std::size_t total = header_end + 4 + length;
  while (buffer.size() < total) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  buffer.erase(0, total);
  return status;
}

struct Totals {
  std::mutex mutex;
  std::vector<double> latency_us;  // from due time to the end of the response
  std::vector<double> service_us;  // from the actual send to the end of the response
  long ok = 0, non2xx = 0, errors = 0, reconnects = 0, late_starts = 0, unsent = 0;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t at = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(at), v.end());
  return v[at];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: whygo_bench_load PORT[,PORT...] RATE SECONDS CONNECTIONS FILE.req [WARMUP_SECONDS]\n";
    return 2;
  }
  try {
    std::vector<int> ports;
    for (std::stringstream list(argv[1]); list.good();) {
      std::string one;
      std::getline(list, one, ',');
      ports.push_back(std::stoi(one));
    }
    const int port = ports.front();
    const double rate = std::stod(argv[2]);
    const double seconds = std::stod(argv[3]);
    const int connections = std::stoi(argv[4]);
    const auto requests = load_requests(argv[5], port);
    const double warmup = argc > 6 ? std::stod(argv[6]) : 0.0;
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    const long total = static_cast<long>((seconds + warmup) * rate);
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    const auto measured_from =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
    // Bounded in time: what was not sent 2 s after the last due time counts as unsent.
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup + seconds + 2.0));
    Totals totals;

    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
      threads.emplace_back([&, c] {
        const int target = ports[static_cast<std::size_t>(c) % ports.size()];
        std::vector<double> latency, service;
        long ok = 0, non2xx = 0, errors = 0, reconnects = 0, late = 0, unsent = 0;
        int fd = connect_to(target);
        std::string buffer;
        for (long k = c; k < total; k += connections) {
          const auto due = start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(k));
          if (Clock::now() > deadline) {
            unsent = (total - k + connections - 1) / connections;
            break;
          }
          if (Clock::now() < due)
            std::this_thread::sleep_until(due);
          else
            ++late;
          if (fd < 0) {
            fd = connect_to(target);
            ++reconnects;
          }
          const auto sent = Clock::now();
          bool closing = false;
          int status = 0;
          if (fd >= 0 && send_all(fd, requests[static_cast<std::size_t>(k) % requests.size()]))
            status = read_response(fd, buffer, closing);
          const auto finished = Clock::now();
          if (status == 0 || closing) {
            if (fd >= 0) ::close(fd);
            fd = -1;
            buffer.clear();
          }
          if (due < measured_from) continue;
          if (status == 0) {
            ++errors;
            continue;
          }
          (status >= 200 && status < 300 ? ok : non2xx) += 1;
          latency.push_back(std::chrono::duration<double, std::micro>(finished - due).count());
          service.push_back(std::chrono::duration<double, std::micro>(finished - sent).count());
        }
        if (fd >= 0) ::close(fd);
        std::lock_guard lock(totals.mutex);
        totals.latency_us.insert(totals.latency_us.end(), latency.begin(), latency.end());
        totals.service_us.insert(totals.service_us.end(), service.begin(), service.end());
        totals.ok += ok;
        totals.non2xx += non2xx;
        totals.errors += errors;
        totals.reconnects += reconnects;
        totals.late_starts += late;
        totals.unsent += unsent;
      });
    }
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - measured_from).count();
    auto& l = totals.latency_us;
    auto& s = totals.service_us;
    const long done = totals.ok + totals.non2xx;
    std::printf(
        "LOAD offered=%.0f achieved=%.0f requests=%ld unsent=%ld non2xx=%ld errors=%ld reconnects=%ld late_starts=%ld "
        "p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f service_p50=%.0f service_p99=%.0f\n",
        rate, static_cast<double>(done) / elapsed, done, totals.unsent, totals.non2xx, totals.errors, totals.reconnects,
        totals.late_starts, percentile(l, 50), percentile(l, 90), percentile(l, 99), percentile(l, 99.9),
        l.empty() ? 0.0 : *std::max_element(l.begin(), l.end()), percentile(s, 50), percentile(s, 99));
    return totals.errors == 0 && totals.non2xx == 0 && totals.unsent == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "whygo_bench_load: " << e.what() << "\n";
    return 1;
  }
}
