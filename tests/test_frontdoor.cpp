// The front door under attack: the real `whygo serve`, directly and behind the shipped nginx
// configuration (deploy/nginx/, Debian's nginx, started here on loopback ports), against
// slowloris headers, idle sockets, keep-alive loiterers, huge chunked uploads and oversized
// headers, all at once from one address (127.0.0.3). Meanwhile honest clients from 127.0.0.1 must
// get /healthz within a second and signed Slack commands answered, whygo's memory must stay
// bounded, and every attacking connection must be closed by the server.
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <ctime>
#include <fstream>
#include <thread>

#include "tests/support.hpp"

using namespace whygo;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const std::string secret = "whygo-frontdoor-test-secret-not-real";
const char* const nginx_binary = "/usr/sbin/nginx";

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

// Slack's signature, computed here with OpenSSL rather than by the code under test.
std::string slack_signature(const std::string& ts, const std::string& body) {
  const std::string base = "v0:" + ts + ":" + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac, &size);
  static const char digits[] = "0123456789abcdef";
  std::string out = "v0=";
  for (unsigned i = 0; i < size; ++i) {
    out += digits[mac[i] >> 4];
    out += digits[mac[i] & 15];
  }
  return out;
}

std::string command_body(const std::string& text) {
  return "team_id=T0FRONT&team_domain=front&channel_id=C0FRONT&channel_name=general&user_id=U0FRONT&user_name=t"
         "&command=%2Fwhygo&text=" +
         test::form_encode(text) + "&response_url=https%3A%2F%2F127.0.0.1%3A1%2Fcommands%2Fx&trigger_id=1.2.3";
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// A TCP connection to 127.0.0.1:port from the given loopback source address; -1 on failure.
int connect_from(const char* source, int port) {
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
  return fd;
}

// Sends raw bytes from 127.0.0.1 and returns everything the server sent until it closed the
// connection or `within` passed.
std::string roundtrip(int port, const std::string& request, std::chrono::milliseconds within = 3000ms) {
  const int fd = connect_from("127.0.0.1", port);
  if (fd < 0) return {};
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string got;
  const auto deadline = SteadyClock::now() + within;
  char buf[4096];
  while (SteadyClock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return got;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

long vm_hwm_kb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  INFO("the shipped nginx configuration no longer contains: " << from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// Debian's nginx with the shipped configuration, its ports and paths moved into a temporary
// folder: `tls_port` serves it as shipped (TLS), `plain_port` is the same server block without
// TLS, so the attacks below need no TLS client. Stopped (by pid) on destruction.
class Nginx {
 public:
  Nginx(int upstream_port, const std::string& cert, const std::string& key)
      : tls_port_(free_port()), plain_port_(free_port()) {
    const std::string root = WHYGO_SOURCE_DIR;
    std::string main = test::read_text(root + "/deploy/nginx/nginx.conf");
    std::string site = test::read_text(root + "/deploy/nginx/whygo.conf");
    const std::string d = dir_.path().string();
    replace_once(main, "user www-data;", geteuid() == 0 ? "user root;" : "");
    replace_once(main, "pid /run/nginx.pid;", "pid " + d + "/nginx.pid;");
    replace_once(main, "error_log /var/log/nginx/error.log warn;", "error_log " + d + "/error.log warn;");
    replace_once(main, "access_log /var/log/nginx/access.log;", "access_log " + d + "/access.log;");
    replace_once(main, "include /etc/nginx/conf.d/whygo.conf;",
                 "client_body_temp_path " + d + "/body; proxy_temp_path " + d + "/proxy; fastcgi_temp_path " + d +
                     "/fastcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " + d + "/scgi;\n    include " + d +
                     "/whygo.conf;");
    replace_once(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(upstream_port) + ";");
    replace_once(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(free_port()) + ";");
    replace_once(site, "listen 443 ssl;",
                 "listen 127.0.0.1:" + std::to_string(tls_port_) +
                     " ssl;\n    listen 127.0.0.1:" + std::to_string(plain_port_) + ";");
    replace_once(site, "/etc/letsencrypt/live/whygo.example.com/fullchain.pem", cert);
    replace_once(site, "/etc/letsencrypt/live/whygo.example.com/privkey.pem", key);
    test::write_text(d + "/nginx.conf", main);
    test::write_text(d + "/whygo.conf", site);
    const std::string check =
        std::string(nginx_binary) + " -t -q -p " + d + "/ -c " + d + "/nginx.conf -e " + d + "/error.log";
    const auto checked = test::run(check);
    INFO(checked.err << test::read_text(d + "/error.log"));
    REQUIRE(checked.exit_code == 0);
    std::fflush(nullptr);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const std::string prefix = d + "/", conf = d + "/nginx.conf", err = d + "/error.log";
      execl(nginx_binary, nginx_binary, "-p", prefix.c_str(), "-c", conf.c_str(), "-e", err.c_str(), "-g",
            "daemon off;", static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = SteadyClock::now() + 10s;
    while (SteadyClock::now() < deadline) {
      const int fd = connect_from("127.0.0.1", plain_port_);
      if (fd >= 0) {
        close(fd);
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
    FAIL("nginx did not start: " << test::read_text(d + "/error.log"));
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  int tls_port() const { return tls_port_; }
  int plain_port() const { return plain_port_; }
  std::string log() const { return test::read_text(dir_.file("error.log")); }
  std::string access_log() const { return test::read_text(dir_.file("access.log")); }

 private:
  test::TempDir dir_;
  int tls_port_;
  int plain_port_;
  int pid_ = -1;
};

// Every attack at once, from 127.0.0.3, driven by one thread with non-blocking sockets.
class Attack {
 public:
  enum Kind { slowloris, idle, loiterer, chunked, big_header, many_headers };
  struct Sock {
    int fd = -1;
    Kind kind;
    bool open = true;
    std::string got;  // the first bytes the server sent
    std::size_t sent = 0;
    std::size_t answers = 0;  // responses seen (loiterers)
    SteadyClock::time_point next{};
  };

  Attack(int port) : port_(port) {}
  ~Attack() {
    stop();
    for (auto& s : socks_)
      if (s.fd >= 0) close(s.fd);
  }

  void open(Kind kind, int n) {
    for (int i = 0; i < n; ++i) {
      Sock s;
      s.kind = kind;
      s.fd = connect_from("127.0.0.3", port_);
      if (s.fd < 0) {
        ++refused_;
        continue;
      }
      fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
      socks_.push_back(std::move(s));
    }
  }

  void start() {
    thread_ = std::thread([this] {
      while (!stop_) step();
    });
  }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Waits until the server closed every socket of these kinds (false at the deadline).
  bool wait_closed(std::initializer_list<Kind> kinds, std::chrono::milliseconds within) {
    const auto deadline = SteadyClock::now() + within;
    while (SteadyClock::now() < deadline) {
      if (open_count(kinds) == 0) return true;
      std::this_thread::sleep_for(50ms);
    }
    return open_count(kinds) == 0;
  }

  std::size_t open_count(std::initializer_list<Kind> kinds) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& s : socks_)
      if (s.open && std::find(kinds.begin(), kinds.end(), s.kind) != kinds.end()) ++n;
    return n;
  }

  // How many sockets of a kind got an answer starting with this status line prefix.
  std::size_t answered(Kind kind, const std::string& status) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& s : socks_)
      if (s.kind == kind && s.got.rfind(status, 0) == 0) ++n;
    return n;
  }
  std::size_t loiterer_answers() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& s : socks_)
      if (s.kind == loiterer) n += s.answers;
    return n;
  }
  std::size_t sockets(Kind kind) {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(socks_.begin(), socks_.end(), [&](const Sock& s) { return s.kind == kind; }));
  }
  std::size_t uploaded() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& s : socks_)
      if (s.kind == chunked) n += s.sent;
    return n;
  }
  int refused() const { return refused_; }

 private:
  // Each chunked upload tries this much, 256 times the limit (bench/ sends 300 MB each).
  static constexpr std::size_t upload_bytes = 16u * 1024 * 1024;

  void send_some(Sock& s, const std::string& data) {
    const ssize_t n = ::send(s.fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) s.sent += static_cast<std::size_t>(n);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) s.open = false;
  }

  void step() {
    std::vector<pollfd> fds;
    {
      std::lock_guard lock(mutex_);
      for (const auto& s : socks_) fds.push_back({s.fd, static_cast<short>(s.open ? POLLIN : 0), 0});
    }
    poll(fds.data(), fds.size(), 20);
    std::lock_guard lock(mutex_);
    const auto now = SteadyClock::now();
    char buf[16384];
    for (std::size_t i = 0; i < socks_.size(); ++i) {
      Sock& s = socks_[i];
      if (!s.open) continue;
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        for (;;) {
          const ssize_t n = recv(s.fd, buf, sizeof buf, 0);
          if (n > 0) {
            if (s.got.size() < 4096) s.got.append(buf, static_cast<std::size_t>(n));
            if (s.kind == loiterer) s.answers += count(std::string(buf, static_cast<std::size_t>(n)), "HTTP/1.1 ");
            continue;
          }
          if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) s.open = false;
          break;
        }
        if (!s.open) continue;
      }
      if (now < s.next) continue;
      switch (s.kind) {
        case slowloris:  // a header line every 200 ms, never the blank line
          send_some(s, s.sent == 0 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n" : "X-Trickle: y\r\n");
          s.next = now + 200ms;
          break;
        case idle:
          s.next = now + 1h;
          break;
        case loiterer:  // keep-alive, one request a second
          send_some(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
          s.next = now + 1s;
          break;
        case chunked: {
          static const std::string head =
              "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              "Transfer-Encoding: chunked\r\n\r\n";
          static const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
          if (s.sent == 0) send_some(s, head);
          for (int k = 0; k < 16 && s.open && s.sent < upload_bytes; ++k) {
            const std::size_t before = s.sent;
            send_some(s, chunk);
            if (s.sent == before) break;  // the socket buffer is full
          }
          break;
        }
        case big_header:  // one header line that never ends, 1 MiB of it
          if (s.sent == 0) send_some(s, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
          if (s.sent < (1u << 20)) send_some(s, std::string(16384, 'b'));
          break;
        case many_headers: {  // 5,000 short header lines
          static const std::string lines = [] {
            std::string l;
            for (int k = 0; k < 40; ++k) l += "A: b\r\n";
            return l;
          }();
          if (s.sent == 0) send_some(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
          if (s.sent < 5000 * 6) send_some(s, lines);
          break;
        }
      }
    }
  }

  int port_;
  int refused_ = 0;
  std::mutex mutex_;
  std::vector<Sock> socks_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Probe {
  std::size_t healthz = 0, healthz_ok = 0;
  std::chrono::duration<double> healthz_worst{0};
  std::size_t commands = 0, commands_ok = 0;
  std::chrono::duration<double> command_worst{0};
  std::string errors;  // what the failed ones got
};

// Honest clients from 127.0.0.1 for `how_long`: a new connection for /healthz every 100 ms and a
// signed /whygo docker every 300 ms (through TLS when tls is set).
Probe probe(int port, bool tls, std::chrono::milliseconds how_long) {
  Probe p;
  const auto end = SteadyClock::now() + how_long;
  auto next_command = SteadyClock::now();
  while (SteadyClock::now() < end) {
    {
      std::unique_ptr<httplib::ClientImpl> client;
      if (tls) {
        auto ssl = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
        ssl->enable_server_certificate_verification(false);
        client = std::move(ssl);
      } else {
        client = std::make_unique<httplib::ClientImpl>("127.0.0.1", port);
      }
      client->set_connection_timeout(5s);
      client->set_read_timeout(5s);
      const auto started = SteadyClock::now();
      const auto res = client->Get("/healthz");
      const std::chrono::duration<double> took = SteadyClock::now() - started;
      ++p.healthz;
      if (res && res->status == 200 && res->body == "ok\n")
        ++p.healthz_ok;
      else
        p.errors += (res ? "status " + std::to_string(res->status) : httplib::to_string(res.error())) + "; ";
      p.healthz_worst = std::max(p.healthz_worst, took);
      if (SteadyClock::now() >= next_command) {
        next_command += 300ms;
        const std::string body = command_body("docker");
        const std::string ts = std::to_string(std::time(nullptr));
        const httplib::Headers headers = {{"X-Slack-Request-Timestamp", ts},
                                          {"X-Slack-Signature", slack_signature(ts, body)}};
        const auto command_started = SteadyClock::now();
        const auto answer = client->Post("/slack/commands", headers, body, "application/x-www-form-urlencoded");
        const std::chrono::duration<double> command_took = SteadyClock::now() - command_started;
        ++p.commands;
        if (answer && answer->status == 200 && answer->body.find("Go at Docker") != std::string::npos)
          ++p.commands_ok;
        else
          p.errors += (answer ? "status " + std::to_string(answer->status) : httplib::to_string(answer.error())) + "; ";
        p.command_worst = std::max(p.command_worst, command_took);
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  return p;
}

// A client writing to a connection the server just closed gets SIGPIPE (cpp-httplib's client
// sends without MSG_NOSIGNAL); the tests want the error instead.
const bool sigpipe_ignored = [] {
  signal(SIGPIPE, SIG_IGN);
  return true;
}();

std::vector<std::string> slack_env() {
  return {"SLACK_SIGNING_SECRET=" + secret, "SLACK_API_BASE=http://127.0.0.1:1"};
}

// Runs every attack against port and checks what honest clients on probe_port saw.
void attack_and_check(int port, int probe_port, bool probe_tls, bool direct, std::chrono::milliseconds close_within) {
  Attack attack(port);
  attack.open(Attack::slowloris, 300);
  attack.open(Attack::idle, 100);
  attack.open(Attack::loiterer, 40);
  attack.open(Attack::chunked, 32);
  attack.open(Attack::big_header, 8);
  attack.open(Attack::many_headers, 8);
  CHECK(attack.refused() == 0);
  attack.start();
  const Probe p = probe(probe_port, probe_tls, 3s);
  INFO(p.errors);
  INFO("healthz " << p.healthz_ok << "/" << p.healthz << " worst " << p.healthz_worst.count() << " s; commands "
                  << p.commands_ok << "/" << p.commands << " worst " << p.command_worst.count() << " s");
  CHECK(p.healthz >= 5);
  CHECK(p.healthz_ok == p.healthz);
  CHECK(p.healthz_worst < 1s);
  CHECK(p.commands >= 3);
  CHECK(p.commands_ok == p.commands);
  CHECK(p.command_worst < 1s);
  // Every attacking connection is closed by the server, the loiterers aside (they are served).
  const bool closed = attack.wait_closed(
      {Attack::slowloris, Attack::idle, Attack::chunked, Attack::big_header, Attack::many_headers}, close_within);
  INFO("still open: slowloris " << attack.open_count({Attack::slowloris}) << ", idle "
                                << attack.open_count({Attack::idle}) << ", chunked "
                                << attack.open_count({Attack::chunked}) << ", big header "
                                << attack.open_count({Attack::big_header}) << ", many headers "
                                << attack.open_count({Attack::many_headers}));
  CHECK(closed);
  CHECK(attack.loiterer_answers() >= 40);
  // whygo cut the uploads off long before their 16 MB each: it read 16 KiB of each and threw
  // away at most 256 KiB more; the kernel's socket buffers took the rest of what was sent. (nginx
  // reads and discards a refused upload for up to 5 s, its lingering_time.)
  if (direct) CHECK(attack.uploaded() < 32u * 8 * 1024 * 1024);
  attack.stop();
}

}  // namespace

TEST_CASE("the front door holds: whygo directly and behind the shipped nginx, under every attack at once",
          "[frontdoor]") {
  REQUIRE(access(nginx_binary, X_OK) == 0);  // ./dev installs Debian's nginx
  test::TempDir dir;
  const auto made = test::run(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -keyout " +
      dir.file("key.pem") + " -out " + dir.file("cert.pem"));
  REQUIRE(made.exit_code == 0);
  test::ServerProcess server(slack_env(), dir.file("w.db"));
  Nginx nginx(server.port(), dir.file("cert.pem"), dir.file("key.pem"));

  SECTION("directly") {
    attack_and_check(server.port(), server.port(), false, true, 7s);
  }
  SECTION("through nginx, TLS for the honest clients") {
    attack_and_check(nginx.plain_port(), nginx.tls_port(), true, false, 12s);
    // The proxied requests reached whygo from loopback; its log names the real client address.
    const std::string log = test::read_text(server.log_path());
    CHECK(log.find("client=127.0.0.1") != std::string::npos);
  }
  if (!sanitized) {
    // Nothing an attacker sent was buffered beyond the limits: the peak is the idle footprint
    // plus a few MB (300 headers of up to 16 KiB, in memory at once).
    INFO("VmHWM " << vm_hwm_kb(server.pid()) << " kB");
    CHECK(vm_hwm_kb(server.pid()) < 64 * 1024);
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("attackers directly get 408, 431 and 411, and their connections are closed", "[frontdoor]") {
  test::TempDir dir;
  test::ServerProcess server(slack_env(), dir.file("w.db"));
  Attack attack(server.port());
  attack.open(Attack::slowloris, 20);
  attack.open(Attack::chunked, 4);
  attack.open(Attack::big_header, 2);
  attack.open(Attack::many_headers, 2);
  attack.start();
  CHECK(attack.wait_closed({Attack::slowloris, Attack::chunked, Attack::big_header, Attack::many_headers}, 6s));
  attack.stop();
  // Those that stop sending read their answer (the door lingers over their input before closing);
  // those that keep sending get a reset after a while, so the server's count tells about them.
  CHECK(attack.answered(Attack::slowloris, "HTTP/1.1 408") == 20);
  CHECK(attack.answered(Attack::many_headers, "HTTP/1.1 431") == 2);
  httplib::Client client("127.0.0.1", server.port());
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("whygo_http_connections_dropped_total{reason=\"deadline\"} 20") != std::string::npos);
  CHECK(metrics->body.find("whygo_http_connections_dropped_total{reason=\"header\"} 4") != std::string::npos);
  CHECK(metrics->body.find("whygo_http_requests_total{adapter=\"slack\",command=\"none\",status=\"411\"} 4") !=
        std::string::npos);
}

TEST_CASE("request framing: bodies are bounded by their route, before they are read, on every path", "[frontdoor]") {
  test::TempDir dir;
  test::ServerProcess server(slack_env(), dir.file("w.db"));
  const int port = server.port();
  const auto status_of = [](const std::string& answer) { return answer.substr(0, 12); };
  for (const std::string path : {"/healthz", "/nope", "/slack/commands", "/_matrix/app/v1/transactions/1"}) {
    INFO(path);
    // Chunked: refused before a byte of the body is read, whatever the path.
    CHECK(status_of(roundtrip(port, "POST " + path +
                                        " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        "5\r\nhello\r\n0\r\n\r\n")) == "HTTP/1.1 411");
    // Over the limit by Content-Length (Matrix is off here, so 64 KiB everywhere).
    CHECK(status_of(roundtrip(port, "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n")) ==
          "HTTP/1.1 413");
    // A compressed body would be inflated without a limit.
    CHECK(
        status_of(roundtrip(
            port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc")) ==
        "HTTP/1.1 415");
    CHECK(status_of(roundtrip(
              port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc")) ==
          "HTTP/1.1 400");
  }
  // A header over 16 KiB, or over 64 lines: 431, read by a client that stops there.
  CHECK(status_of(roundtrip(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                                      "\r\n\r\n")) == "HTTP/1.1 431");
  std::string lines;
  for (int i = 0; i < 70; ++i) lines += "X-Line-" + std::to_string(i) + ": y\r\n";
  CHECK(status_of(roundtrip(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n")) == "HTTP/1.1 431");
  // A body well over the limit, sent whole before reading: the client still reads its 413.
  CHECK(status_of(roundtrip(port, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" +
                                      std::string(200000, 'z'))) == "HTTP/1.1 413");
  // A POST without Content-Length has an empty body: answered at once, not read until the
  // client closes.
  const auto started = SteadyClock::now();
  const std::string empty = roundtrip(port, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(status_of(empty) == "HTTP/1.1 401");
  CHECK(SteadyClock::now() - started < 1s);
  // Pipelined requests are answered in order on one connection.
  const std::string two = roundtrip(port,
                                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n"
                                    "Connection: close\r\n\r\n");
  CHECK(count(two, "HTTP/1.1 200") == 1);
  CHECK(two.find("HTTP/1.1 404") > two.find("HTTP/1.1 200"));
  // Expect: 100-continue gets its interim answer from the door, then the real one.
  const std::string body = command_body("docker");
  const std::string ts = std::to_string(std::time(nullptr));
  const std::string expect = roundtrip(port,
                                       "POST /slack/commands HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                       "Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
                                       "X-Slack-Request-Timestamp: " +
                                           ts + "\r\nX-Slack-Signature: " + slack_signature(ts, body) +
                                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  CHECK(expect.rfind("HTTP/1.1 100 Continue", 0) == 0);
  CHECK(expect.find("HTTP/1.1 200") != std::string::npos);
  CHECK(expect.find("Go at Docker") != std::string::npos);
  // From loopback, where the nginx front runs, X-Forwarded-For names the client in the log; a
  // value that is not an address is not believed (nor written to the log).
  roundtrip(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n\r\n");
  roundtrip(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: evil\x1b[31m\r\nConnection: close\r\n\r\n");
  server.stop();
  const std::string log = test::read_text(server.log_path());
  CHECK(log.find("client=203.0.113.7") != std::string::npos);
  CHECK(log.find("evil") == std::string::npos);
}

TEST_CASE("whygo's own TLS: a handshake that never comes is dropped, HTTPS requests are served", "[frontdoor][tls]") {
  test::TempDir dir;
  const auto made = test::run(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -keyout " +
      dir.file("key.pem") + " -out " + dir.file("cert.pem"));
  REQUIRE(made.exit_code == 0);
  auto env = slack_env();
  env.push_back("WHYGO_TLS_CERT=" + dir.file("cert.pem"));
  env.push_back("WHYGO_TLS_KEY=" + dir.file("key.pem"));
  test::ServerProcess server(env, dir.file("w.db"));
  Attack attack(server.port());
  attack.open(Attack::idle, 50);       // TCP only: the handshake never starts
  attack.open(Attack::slowloris, 20);  // plain text where TLS is expected
  attack.start();
  const Probe p = probe(server.port(), true, 1500ms);
  INFO(p.errors);
  CHECK(p.healthz_ok == p.healthz);
  CHECK(p.healthz_worst < 1s);
  CHECK(p.commands_ok == p.commands);
  CHECK(attack.wait_closed({Attack::idle, Attack::slowloris}, 5s));
  attack.stop();
}

TEST_CASE("the compose file runs the shipped nginx configuration in front of whygo on loopback",
          "[frontdoor][deploy]") {
  const std::string root = WHYGO_SOURCE_DIR;
  const std::string compose = test::read_text(root + "/deploy/compose.yaml");
  // whygo listens on loopback only; nginx shares its network namespace and publishes 80 and 443.
  CHECK(compose.find("WHYGO_LISTEN: 127.0.0.1:8080") != std::string::npos);
  CHECK(compose.find("network_mode: service:whygo") != std::string::npos);
  CHECK(compose.find("\"443:443\"") != std::string::npos);
  CHECK(compose.find("8080:8080") == std::string::npos);
  // It mounts the files this repository ships where nginx.conf and whygo.conf look for them.
  CHECK(compose.find("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro") != std::string::npos);
  CHECK(compose.find("./nginx/whygo.conf:/etc/nginx/conf.d/whygo.conf:ro") != std::string::npos);
  CHECK(compose.find("./tls:/etc/letsencrypt/live/whygo.example.com:ro") != std::string::npos);
  CHECK(test::read_text(root + "/deploy/nginx/nginx.conf").find("include /etc/nginx/conf.d/whygo.conf;") !=
        std::string::npos);
  const std::string site = test::read_text(root + "/deploy/nginx/whygo.conf");
  CHECK(site.find("server 127.0.0.1:8080;") != std::string::npos);
  CHECK(site.find("/etc/letsencrypt/live/whygo.example.com/fullchain.pem") != std::string::npos);
  CHECK(access((root + "/deploy/nginx/Dockerfile").c_str(), R_OK) == 0);
}
