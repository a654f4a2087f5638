#include "bot/front_door.hpp"

#include <sys/epoll.h>

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "bot/limits.hpp"
#include "bot/metrics.hpp"
#include "bot/request_context.hpp"

namespace whygo::front_door {

struct Connection {
  int fd = -1;
  SSL* ssl = nullptr;
  bool handshaken = false;
  std::string buf;              // bytes read and not yet served
  std::size_t scanned = 0;      // how far buf was searched for the end of the header
  std::size_t lines = 0;        // header lines seen so far
  std::size_t header_end = 0;   // just after the blank line; 0 while the header is incomplete
  std::size_t need = 0;         // header_end + the body read before the request is served
  std::size_t reserved = 0;     // body bytes counted in Door::body_bytes_
  bool started = false;         // the current request's first byte has arrived
  std::int64_t started_at = 0;  // steady clock, ns: when it did, for the log of a refusal
  bool lingering = false;       // answered with an error: the rest of its input is thrown away
  std::size_t linger_left = 0;
  std::size_t served = 0;
  std::uint32_t events = EPOLLIN;  // what to wait for next, armed one-shot
  bool registered = false;
  // The peer as text, found on the first request (getnameinfo is a printf per call).
  std::string peer_ip;
  int peer_port = -1;

  std::mutex handoff;  // held while arming, taken by the worker that gets the next event

  // Read by the sweeper (under Door::map_mutex_) while a worker may own the connection.
  std::atomic<bool> busy{false};               // a worker has it (between an event and arming again)
  std::atomic<std::int64_t> deadline{0};       // steady clock, ns
  std::atomic<std::int64_t> waiting_since{0};  // steady clock, ns
  std::atomic<bool> has_body{false};           // holds a body reservation (eviction candidate)
  // Set by the sweeper or an eviction; the worker that gets the next event closes the connection.
  std::atomic<const char*> expired{nullptr};

  ~Connection() {
    if (ssl) {
      if (handshaken) SSL_shutdown(ssl);  // best effort: the socket does not block
      SSL_free(ssl);
    }
    if (fd >= 0) {
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
    }
  }
};

namespace {

thread_local RequestStream* current_stream = nullptr;

enum class Want { read, write };

// What a TLS read or write that moved no bytes means, as receive() and transmit() return it: -1
// when it would block (want says for what), 0 at a clean close_notify, -2 on error.
ssize_t ssl_outcome(SSL* ssl, int r, Want& want) {
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
      want = Want::read;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      want = Want::write;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      return -2;
  }
}

// One non-blocking read: bytes, 0 at the end of the stream, -1 when it would block (want says
// for what), -2 on error.
ssize_t receive(Connection& c, char* p, std::size_t n, Want& want) {
  if (c.ssl) {
    ERR_clear_error();
    const int r = SSL_read(c.ssl, p, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
    return r > 0 ? r : ssl_outcome(c.ssl, r, want);
  }
  for (;;) {
    const ssize_t r = ::recv(c.fd, p, n, 0);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      want = Want::read;
      return -1;
    }
    return -2;
  }
}

ssize_t transmit(Connection& c, const char* p, std::size_t n, Want& want) {
  if (c.ssl) {
    ERR_clear_error();
    const int r = SSL_write(c.ssl, p, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
    return r > 0 ? r : ssl_outcome(c.ssl, r, want);
  }
  for (;;) {
    const ssize_t r = ::send(c.fd, p, n, MSG_NOSIGNAL);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      want = Want::write;
      return -1;
    }
    return -2;
  }
}

// Waits until fd is ready for want, or the deadline passes (false).
bool wait_for(int fd, Want want, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, static_cast<short>(want == Want::read ? POLLIN : POLLOUT), 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

void address_of(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// What the room needs from a complete header to know how much body to read. Parsed the way
// cpp-httplib parses it (name up to ':', leading blanks skipped, the first of repeated headers),
// so both agree; where they might not, the pre-routing check refuses or the worker finds the
// body missing, and the connection is closed.
struct Framing {
  std::string_view path;  // the request target up to '?', not decoded
  std::optional<std::uint64_t> content_length;
  bool transfer_encoding = false;
  bool expect_continue = false;
};

Framing read_framing(std::string_view head) {
  Framing f;
  std::size_t at = head.find('\n');
  const std::string_view request_line = head.substr(0, at);
  const std::size_t sp1 = request_line.find(' ');
  if (sp1 != std::string_view::npos) {
    std::string_view target = request_line.substr(sp1 + 1);
    target = target.substr(0, target.find(' '));
    f.path = target.substr(0, target.find('?'));
  }
  bool seen_length = false;
  while (at != std::string_view::npos && at + 1 < head.size()) {
    const std::size_t start = at + 1;
    at = head.find('\n', start);
    std::string_view line = head.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (iequals(name, "Content-Length")) {
      if (seen_length) continue;
      seen_length = true;
      std::uint64_t n = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (error == std::errc() && end == value.data() + value.size()) f.content_length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      f.transfer_encoding = true;
    } else if (iequals(name, "Expect")) {
      f.expect_continue = iequals(value, "100-continue");
    }
  }
  return f;
}

constexpr std::string_view answer_408 =
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nContent-Length: 16\r\nConnection: close\r\n\r\n"
    "request timeout\n";
constexpr std::string_view answer_431 =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n"
    "Connection: close\r\n\r\nrequest header too large\n";
constexpr std::string_view answer_503 =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 18\r\nRetry-After: 1\r\n"
    "Connection: close\r\n\r\nbusy, retry later\n";
constexpr std::string_view continue_100 = "HTTP/1.1 100 Continue\r\n\r\n";

constexpr auto sweep_interval = std::chrono::milliseconds(50);
constexpr auto report_interval = std::chrono::seconds(10);
constexpr std::size_t read_chunk = 16 * 1024;

void block_sigpipe() {
  // A TLS write to a closed peer raises SIGPIPE in the writing thread; the error is handled.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

// --- RequestStream ---------------------------------------------------------------------------

RequestStream::RequestStream(Connection& connection, std::size_t header_bytes, std::size_t body_bytes)
    : c_(connection), header_end_(header_bytes), allowed_end_(header_bytes + body_bytes) {}

RequestStream* RequestStream::current() {
  return current_stream;
}

void RequestStream::allow_body(std::uint64_t bytes) {
  allowed_end_ = header_end_ + static_cast<std::size_t>(bytes);
}

bool RequestStream::reusable() const {
  return checked_ && !close_ && !failed_ && pos_ == allowed_end_;
}

bool RequestStream::is_readable() const {
  return pos_ < std::min(allowed_end_, c_.buf.size());
}

bool RequestStream::is_writable() const {
  return !failed_;
}

ssize_t RequestStream::read(char* ptr, std::size_t size) {
  // Past the request's framing cpp-httplib sees the end of the stream, so it reads nothing
  // more (a POST without Content-Length has an empty body, not "until the client closes").
  if (pos_ >= allowed_end_) return 0;
  // The room read the whole request before a worker ran; bytes it did not read are missing
  // because the framing was in doubt, and the worker does not wait for a client.
  if (pos_ >= c_.buf.size()) {
    failed_ = true;
    return -1;
  }
  const std::size_t n = std::min({size, allowed_end_ - pos_, c_.buf.size() - pos_});
  std::memcpy(ptr, c_.buf.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

// cpp-httplib writes an answer's header and body separately; with TCP_NODELAY that is two
// segments and two system calls. Kept here, they leave in one (bench/README.md).
ssize_t RequestStream::write(const char* ptr, std::size_t size) {
  if (failed_) return -1;
  out_.append(ptr, size);
  if (out_.size() >= out_flush_bytes && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool RequestStream::flush() {
  if (failed_) return false;
  if (write_deadline_ == Clock::time_point{}) write_deadline_ = Clock::now() + limits::write_timeout;
  std::size_t done = 0;
  while (done < out_.size()) {
    Want want = Want::write;
    const ssize_t n = transmit(c_, out_.data() + done, out_.size() - done, want);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n != -1 || !wait_for(c_.fd, want, write_deadline_)) {
      failed_ = true;
      return false;
    }
  }
  out_.clear();
  return true;
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (c_.peer_port < 0) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getpeername(c_.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    address_of(addr, len, c_.peer_ip, c_.peer_port);
  }
  ip = c_.peer_ip;
  port = c_.peer_port;
}

void RequestStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(c_.fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, len, ip, port);
}

socket_t RequestStream::socket() const {
  return c_.fd;
}

// --- Door ------------------------------------------------------------------------------------

namespace {
std::int64_t ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
std::int64_t ns_from_now(Clock::duration d) {
  return ns(Clock::now() + d);
}
template <class D>
Clock::duration dur(D d) {
  return std::chrono::duration_cast<Clock::duration>(d);
}
}  // namespace

Door::Door(Options options, ServeRequest serve) : options_(std::move(options)), serve_(std::move(serve)) {
  raise_fd_limit();
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("front door: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: once written, every worker sees it and stops
  ev.data.ptr = nullptr;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  next_sweep_ = ns_from_now(dur(sweep_interval));
  next_report_ = ns_from_now(dur(report_interval));
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.workers); ++i)
    workers_.emplace_back([this] {
      block_sigpipe();
      worker_loop();
    });
}

Door::~Door() {
  shutdown();
  if (epoll_ >= 0) ::close(epoll_);
  if (wake_ >= 0) ::close(wake_);
}

void Door::admit(int fd) {
  if (stopping_) {
    ::close(fd);
    return;
  }
  auto owned = std::make_unique<Connection>();
  Connection& c = *owned;
  c.fd = fd;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
  c.deadline = ns_from_now(dur(limits::keep_alive_timeout));
  if (options_.tls) {
    c.ssl = SSL_new(options_.tls);
    if (!c.ssl || SSL_set_fd(c.ssl, fd) != 1) return;  // closes the socket
    SSL_set_accept_state(c.ssl);
    c.started = true;  // the handshake counts as part of the first request
    c.started_at = ns(Clock::now());
    c.deadline = ns_from_now(dur(limits::request_deadline));
  }
  c.waiting_since = ns(Clock::now());
  {
    std::lock_guard lock(map_mutex_);
    // Full: the connection that has waited longest without a complete request makes way.
    if (connections_.size() - expiring_ >= limits::max_connections && !evict_oldest(false, "full")) {
      count_drop("full");
      return;  // every connection is being served: this one is closed
    }
    connections_.emplace(&c, std::move(owned));
  }
  arm(c);
}

void Door::shutdown() {
  if (stopping_.exchange(true)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = ::write(wake_, &one, sizeof one);
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  std::lock_guard lock(map_mutex_);
  connections_.clear();  // those without a complete request are closed
}

// One-shot: an event disarms the socket, so exactly one worker owns a connection from its event
// until it arms it again (or closes it).
// Once armed, the connection may be another worker's at once: nothing here touches it after
// the handoff mutex is released. The mutex orders everything this thread did (epoll_ctl's own
// use of the socket included) before the next owner's first step in on_event; the kernel's epoll
// orders them too, but ThreadSanitizer cannot see that.
void Door::arm(Connection& c) {
  epoll_event ev{};
  ev.events = c.events | EPOLLONESHOT;
  ev.data.ptr = &c;
  int armed = -1;
  {
    std::lock_guard lock(c.handoff);
    const int op = c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    c.registered = true;
    c.busy.store(false, std::memory_order_release);
    armed = epoll_ctl(epoll_, op, c.fd, &ev);
    if (armed != 0) c.busy.store(true, std::memory_order_relaxed);
  }
  if (armed == 0) return;
  close(c);  // not watched, so no event can come: this thread still owns it
}

void Door::close(Connection& c) {
  if (c.reserved) {
    body_bytes_ -= c.reserved;
    c.reserved = 0;
  }
  std::unique_ptr<Connection> owned;
  std::lock_guard lock(map_mutex_);
  auto it = connections_.find(&c);
  if (it == connections_.end()) return;
  if (c.expired.load()) --expiring_;
  owned = std::move(it->second);
  connections_.erase(it);
}  // the socket is closed as `owned` goes, after the lock

// Marks a waiting connection for closing and wakes it: SHUT_RD makes its socket readable, so the
// worker that gets the event sends the answer (if any) and closes it. Under map_mutex_.
void Door::expire(Connection& c, const char* reason) {
  const char* none = nullptr;
  if (!c.expired.compare_exchange_strong(none, reason)) return;
  ++expiring_;
  ::shutdown(c.fd, SHUT_RD);
}

// Under map_mutex_: expires the connection that has waited longest (with a body in memory, when
// with_body); false when there is none to expire.
bool Door::evict_oldest(bool with_body, const char* reason) {
  Connection* oldest = nullptr;
  std::int64_t since = 0;
  for (auto& [p, owned] : connections_) {
    if (p->busy.load(std::memory_order_acquire) || p->expired.load()) continue;
    if (with_body && !p->has_body.load()) continue;
    const std::int64_t w = p->waiting_since.load();
    if (!oldest || w < since) {
      oldest = p;
      since = w;
    }
  }
  if (!oldest) return false;
  expire(*oldest, reason);
  return true;
}

void Door::worker_loop() {
  // One event at a time: a connection taken is served by this worker, so taking several would
  // make the others wait behind a slow handler while idle workers could have served them.
  std::array<epoll_event, 1> events{};
  while (!stopping_) {
    const int n =
        epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), static_cast<int>(sweep_interval.count()));
    if (n < 0 && errno != EINTR) {
      spdlog::error("front door: epoll_wait: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i)
      if (events[i].data.ptr) on_event(*static_cast<Connection*>(events[i].data.ptr));
    const std::int64_t now = ns(Clock::now());
    if (now >= next_sweep_.load() && sweep_mutex_.try_lock()) {
      next_sweep_ = now + ns(Clock::time_point{} + dur(sweep_interval));
      sweep(now);
      if (now >= next_report_) report_drops(now);
      sweep_mutex_.unlock();
    }
  }
}

void Door::sweep(std::int64_t now) {
  std::lock_guard lock(map_mutex_);
  for (auto& [p, owned] : connections_)
    if (!p->busy.load(std::memory_order_acquire) && !p->expired.load() && now >= p->deadline.load())
      expire(*p, "deadline");
}

// An event: this thread owns c until it arms or closes it.
void Door::on_event(Connection& c) {
  {
    std::lock_guard lock(c.handoff);  // after the arming thread let go (see arm)
    c.busy.store(true, std::memory_order_relaxed);
  }
  if (const char* reason = c.expired.load()) {
    if (reason == std::string_view("deadline")) {
      if (c.lingering || !c.started) return close(c);  // done lingering, or idle past keep-alive
      return refuse(c, "deadline", answer_408);
    }
    return refuse(c, reason, answer_503);
  }
  std::array<char, read_chunk> chunk;
  if (c.lingering) {
    Want want = Want::read;
    const ssize_t n = receive(c, chunk.data(), std::min(chunk.size(), c.linger_left), want);
    if (n == -1) return arm(c);
    if (n <= 0 || (c.linger_left -= static_cast<std::size_t>(n)) == 0) return close(c);
    return arm(c);
  }
  if (c.ssl && !c.handshaken) {
    ERR_clear_error();
    const int r = SSL_accept(c.ssl);
    if (r != 1) {
      switch (SSL_get_error(c.ssl, r)) {
        case SSL_ERROR_WANT_READ:
          c.events = EPOLLIN;
          return arm(c);
        case SSL_ERROR_WANT_WRITE:
          c.events = EPOLLOUT;
          return arm(c);
        default:
          count_drop("tls");
          return close(c);
      }
    }
    c.handshaken = true;
    c.started = false;
    c.deadline = ns_from_now(dur(limits::keep_alive_timeout));
    c.events = EPOLLIN;
  }
  for (;;) {
    const std::size_t limit = c.header_end ? c.need : limits::header_max_bytes;
    if (c.buf.size() >= limit) break;
    Want want = Want::read;
    const ssize_t n = receive(c, chunk.data(), std::min(chunk.size(), limit - c.buf.size()), want);
    if (n == -1) {
      c.events = want == Want::write ? EPOLLOUT : EPOLLIN;
      return arm(c);
    }
    if (n <= 0) {
      // The client closed (between requests that is normal) or the connection failed.
      if (c.started) count_drop("closed");
      return close(c);
    }
    c.events = EPOLLIN;
    if (!c.started) {
      c.started = true;
      c.started_at = ns(Clock::now());
      c.deadline = ns_from_now(dur(limits::request_deadline));
    }
    c.buf.append(chunk.data(), static_cast<std::size_t>(n));
    switch (parse(c)) {
      case Parsed::more:
        break;
      case Parsed::refused:
        return;
      case Parsed::complete:
        if (!serve_all(c)) return;
        break;
    }
    // Plain sockets: one read per event (epoll says when there is more). TLS may hold decrypted
    // bytes that epoll cannot see.
    if (!(c.ssl && SSL_pending(c.ssl) > 0)) break;
  }
  arm(c);
}

// What the buffer holds: a complete request, not yet, or a request refused (and c closed).
Door::Parsed Door::parse(Connection& c) {
  if (c.header_end == 0) {
    // cpp-httplib's line reader ends the header at the first line that is just CRLF.
    for (std::size_t i = c.scanned; i < c.buf.size(); ++i) {
      if (c.buf[i] != '\n') continue;
      ++c.lines;
      if (i >= 2 && c.buf[i - 1] == '\r' && c.buf[i - 2] == '\n') {
        c.header_end = i + 1;
        break;
      }
    }
    c.scanned = c.header_end ? c.header_end : c.buf.size();
    // The request line, the header lines and the blank line.
    if (c.lines > limits::header_max_lines + 2 || (c.header_end == 0 && c.buf.size() >= limits::header_max_bytes)) {
      refuse(c, "header", answer_431);
      return Parsed::refused;
    }
    if (c.header_end == 0) return Parsed::more;
    const Framing f = read_framing(std::string_view(c.buf).substr(0, c.header_end));
    std::size_t body = 0;
    if (!f.transfer_encoding && f.content_length && *f.content_length > 0 &&
        *f.content_length <= options_.body_limit(f.path))
      body = static_cast<std::size_t>(*f.content_length);
    if (body > 0) {
      if (body_bytes_.fetch_add(body) + body > limits::body_bytes_in_memory_max) {
        // Over the budget: the longest-waiting bodies make way for later requests; this one is
        // refused (a homeserver retries a transaction).
        body_bytes_ -= body;
        {
          std::lock_guard lock(map_mutex_);
          for (int i = 0; i < 4 && evict_oldest(true, "memory"); ++i) {
          }
        }
        refuse(c, "memory", answer_503);
        return Parsed::refused;
      }
      c.reserved = body;
      c.has_body = true;
      c.buf.reserve(c.header_end + body);
      if (body > limits::request_body_max_bytes)
        c.deadline += std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::seconds(body / limits::body_min_bytes_per_second))
                          .count();
      if (f.expect_continue && c.buf.size() < c.header_end + body) {
        Want want = Want::write;
        transmit(c, continue_100.data(), continue_100.size(), want);  // tiny: fits the socket buffer
      }
    }
    c.need = c.header_end + body;
  }
  return c.buf.size() >= c.need ? Parsed::complete : Parsed::more;
}

// Serves the complete request in c's buffer, and any complete one pipelined after it. False when
// the connection was closed (or handed to lingering and armed).
bool Door::serve_all(Connection& c) {
  for (;;) {
    ++c.served;
    const bool last = stopping_ || c.served >= limits::keep_alive_max_requests;
    bool keep = false;
    bool refused = false;
    {
      RequestStream stream(c, c.header_end, 0);
      current_stream = &stream;
      try {
        keep = serve_(stream, last) && stream.flush() && !last && stream.reusable();
      } catch (...) {
        keep = false;
      }
      if (!keep) stream.flush();  // a last answer, before the connection closes
      current_stream = nullptr;
      refused = stream.refused();
      if (keep) c.buf.erase(0, stream.consumed());
    }
    if (c.reserved) {
      body_bytes_ -= c.reserved;
      c.reserved = 0;
    }
    c.has_body = false;
    if (!keep) {
      // A refused request may still be arriving: read and throw it away for a while, so the
      // client reads the answer rather than a reset.
      if (refused && !c.ssl) {
        linger(c);
        arm(c);
      } else {
        close(c);
      }
      return false;
    }
    if (c.buf.capacity() > 4 * read_chunk && c.buf.size() < read_chunk) c.buf.shrink_to_fit();
    c.scanned = c.lines = c.header_end = c.need = 0;
    c.started = !c.buf.empty();  // a pipelined request has begun already
    c.started_at = ns(Clock::now());
    c.deadline = ns_from_now(c.started ? dur(limits::request_deadline) : dur(limits::keep_alive_timeout));
    c.waiting_since = ns(Clock::now());
    if (c.buf.empty()) return true;
    switch (parse(c)) {
      case Parsed::more:
        return true;
      case Parsed::refused:
        return false;
      case Parsed::complete:
        break;
    }
  }
}

// Answers (best effort, once) and lingers over the rest of the input, or closes at once.
void Door::refuse(Connection& c, const char* reason, std::string_view answer) {
  count_drop(reason);
  log_refusal(c, reason, answer);
  if (!c.ssl || c.handshaken) {
    Want want = Want::write;
    transmit(c, answer.data(), answer.size(), want);
  }
  if (c.ssl || c.lingering || c.expired.load()) return close(c);
  linger(c);
  arm(c);
}

// Closing a socket with unread input sends a reset, which can destroy the answer before the
// client reads it; so the connection is half-closed and its input read and thrown away for a
// little while, then it is closed.
void Door::linger(Connection& c) {
  ::shutdown(c.fd, SHUT_WR);
  if (c.reserved) {
    body_bytes_ -= c.reserved;
    c.reserved = 0;
  }
  c.has_body = false;
  c.lingering = true;
  c.linger_left = limits::linger_max_bytes;
  c.deadline = ns_from_now(dur(limits::linger_time));
  c.buf.clear();
  c.buf.shrink_to_fit();
  c.events = EPOLLIN;
}

void Door::count_drop(const char* reason) {
  {
    std::lock_guard lock(drops_mutex_);
    ++drops_[reason];
  }
  Metrics::global().count("whygo_http_connections_dropped_total", {{"reason", reason}});
}

// A request refused before any route saw it gets a log line of its own, with its real duration
// and a request id, like the requests that were served (and not in the latency histogram,
// which a client stalling for seconds on purpose would skew). Under a flood only the first few
// of each report interval are written; the rest are in the interval's summary.
void Door::log_refusal(const Connection& c, const char* reason, std::string_view answer) {
  if (refusals_logged_.fetch_add(1) >= limits::refusals_logged_per_interval) return;
  const double ms = c.started ? static_cast<double>(ns(Clock::now()) - c.started_at) / 1e6 : 0.0;
  std::string ip = "-";
  int port = 0;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(c.fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, len, ip, port);
  const std::string_view status = answer.size() > 12 ? answer.substr(9, 3) : std::string_view("-");
  spdlog::info("http - - {} refused={} {:.2f}ms request_id={} client={}", status, reason, ms,
               request_context::new_request_id(), ip);
}

void Door::report_drops(std::int64_t now) {
  refusals_logged_ = 0;
  next_report_ = now + ns(Clock::time_point{} + dur(report_interval));
  std::string summary;
  {
    std::lock_guard lock(drops_mutex_);
    if (drops_.empty()) return;
    for (const auto& [reason, n] : drops_) summary += fmt::format(" {}={}", reason, n);
    drops_.clear();
  }
  spdlog::warn("front door: connections closed in the last {} s:{}", report_interval.count(), summary);
}

}  // namespace whygo::front_door
