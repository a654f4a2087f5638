#include "front_door.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
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

#include "limits.hpp"
#include "metrics.hpp"

namespace whygo::front_door {

struct Connection {
  int fd = -1;
  SSL* ssl = nullptr;
  bool handshaken = false;
  std::string buf;              // bytes read and not yet served
  std::size_t scanned = 0;      // how far buf was searched for the end of the header
  std::size_t lines = 0;        // header lines seen so far
  std::size_t header_end = 0;   // just after the blank line; 0 while the header is incomplete
  std::size_t need = 0;         // header_end + the body the room reads before a worker runs
  std::size_t reserved = 0;     // body bytes counted in Door::body_bytes_
  bool started = false;         // the current request's first byte has arrived
  bool dead = false;            // closed by the room; freed after the current batch of events
  bool lingering = false;       // answered with an error: the rest of its input is thrown away
  std::size_t linger_left = 0;
  Clock::time_point deadline{};
  Clock::time_point waiting_since{};
  std::size_t served = 0;
  std::uint32_t events = 0;     // what epoll watches for

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

// One non-blocking read: bytes, 0 at the end of the stream, -1 when it would block (want says
// for what), -2 on error.
ssize_t receive(Connection& c, char* p, std::size_t n, Want& want) {
  if (c.ssl) {
    ERR_clear_error();
    const int r = SSL_read(c.ssl, p, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
    if (r > 0) return r;
    switch (SSL_get_error(c.ssl, r)) {
      case SSL_ERROR_WANT_READ: want = Want::read; return -1;
      case SSL_ERROR_WANT_WRITE: want = Want::write; return -1;
      case SSL_ERROR_ZERO_RETURN: return 0;
      default: return -2;
    }
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
    if (r > 0) return r;
    switch (SSL_get_error(c.ssl, r)) {
      case SSL_ERROR_WANT_READ: want = Want::read; return -1;
      case SSL_ERROR_WANT_WRITE: want = Want::write; return -1;
      default: return -2;
    }
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

ssize_t RequestStream::write(const char* ptr, std::size_t size) {
  if (failed_) return -1;
  if (write_deadline_ == Clock::time_point{}) write_deadline_ = Clock::now() + limits::write_timeout;
  for (;;) {
    Want want = Want::write;
    const ssize_t n = transmit(c_, ptr, size, want);
    if (n > 0) return n;
    if (n != -1 || !wait_for(c_.fd, want, write_deadline_)) {
      failed_ = true;
      return -1;
    }
  }
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(c_.fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, len, ip, port);
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

Door::Door(Options options, ServeRequest serve) : options_(std::move(options)), serve_(std::move(serve)) {
  raise_fd_limit();
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("front door: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  room_thread_ = std::thread([this] {
    block_sigpipe();
    room_loop();
  });
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
  {
    std::lock_guard lock(inbox_mutex_);
    if (!stopping_) {
      accepted_.push_back(fd);
      fd = -1;
    }
  }
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = ::write(wake_, &one, sizeof one);
}

void Door::shutdown() {
  {
    std::lock_guard lock(inbox_mutex_);
    if (stopping_.exchange(true)) return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = ::write(wake_, &one, sizeof one);
  if (room_thread_.joinable()) room_thread_.join();
  {
    std::lock_guard lock(jobs_mutex_);
    workers_stop_ = true;
  }
  jobs_cv_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  std::lock_guard lock(inbox_mutex_);
  for (const int fd : accepted_) ::close(fd);
  accepted_.clear();
  returned_.clear();
}

void Door::room_loop() {
  std::array<epoll_event, 256> events{};
  next_report_ = Clock::now() + report_interval;
  while (!stopping_) {
    const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                             static_cast<int>(sweep_interval.count()));
    if (n < 0 && errno != EINTR) {
      spdlog::error("front door: epoll_wait: {}", std::strerror(errno));
      break;
    }
    bool inbox = false;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto ignored = ::read(wake_, &count, sizeof count);
        inbox = true;
      } else {
        on_event(*static_cast<Connection*>(events[i].data.ptr), events[i].events);
      }
    }
    graveyard_.clear();  // connections closed during this batch, whose events are all handled
    if (inbox) take_inbox();
    graveyard_.clear();
    const auto now = Clock::now();
    if (now >= next_sweep_) {
      sweep(now);
      graveyard_.clear();
      next_sweep_ = now + sweep_interval;
    }
    if (now >= next_report_) report_drops(now);
  }
  room_.clear();  // stopping: connections without a complete request are closed
}

void Door::take_inbox() {
  std::vector<int> accepted;
  std::vector<std::unique_ptr<Connection>> returned;
  {
    std::lock_guard lock(inbox_mutex_);
    accepted.swap(accepted_);
    returned.swap(returned_);
  }
  const auto now = Clock::now();
  for (const int fd : accepted) {
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    const int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    c->deadline = now + limits::keep_alive_timeout;
    if (options_.tls) {
      c->ssl = SSL_new(options_.tls);
      if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) continue;  // closes the socket
      SSL_set_accept_state(c->ssl);
      c->started = true;  // the handshake is part of the first request's time
      c->deadline = now + limits::request_deadline;
    }
    welcome(std::move(c));
  }
  for (auto& c : returned) {
    if (c->lingering) {  // a worker refused its request unread
      Connection& ref = *c;
      ref.events = 0;
      welcome(std::move(c));
      if (room_.count(&ref)) linger(ref);
      continue;
    }
    c->started = !c->buf.empty();  // a pipelined request has begun already
    c->deadline = now + (c->started ? std::chrono::duration_cast<Clock::duration>(limits::request_deadline)
                                    : std::chrono::duration_cast<Clock::duration>(limits::keep_alive_timeout));
    welcome(std::move(c));
  }
}

void Door::welcome(std::unique_ptr<Connection> c) {
  // Full: the connection that has waited longest without a complete request makes way.
  while (room_.size() + outside_room_ >= limits::max_connections) {
    Connection* oldest = nullptr;
    for (auto& [p, owned] : room_)
      if (!p->dead && (!oldest || p->waiting_since < oldest->waiting_since)) oldest = p;
    if (!oldest) {
      count_drop("full");
      return;  // every slot holds a request being served: this one is closed
    }
    drop(*oldest, "full", answer_503, false);
  }
  Connection& ref = *c;
  ref.waiting_since = Clock::now();
  ref.events = EPOLLIN;
  epoll_event ev{};
  ev.events = ref.events;
  ev.data.ptr = &ref;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, ref.fd, &ev) != 0) return;
  room_.emplace(&ref, std::move(c));
  if (!ref.buf.empty()) parse(ref);  // a pipelined request
  if (room_.count(&ref) && ref.ssl && ref.handshaken && SSL_pending(ref.ssl) > 0) on_event(ref, EPOLLIN);
}

void Door::set_events(Connection& c, std::uint32_t events) {
  if (c.events == events) return;
  c.events = events;
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = &c;
  epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
}

bool Door::handshake(Connection& c) {
  ERR_clear_error();
  const int r = SSL_accept(c.ssl);
  if (r == 1) {
    c.handshaken = true;
    c.started = false;
    c.deadline = Clock::now() + limits::keep_alive_timeout;
    set_events(c, EPOLLIN);
    return true;
  }
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_READ: set_events(c, EPOLLIN); return false;
    case SSL_ERROR_WANT_WRITE: set_events(c, EPOLLOUT); return false;
    default: drop(c, "tls"); return false;
  }
}

void Door::on_event(Connection& c, std::uint32_t events) {
  if (c.dead) return;
  std::array<char, read_chunk> chunk;
  if (c.lingering) {
    Want want = Want::read;
    const ssize_t n = receive(c, chunk.data(), std::min(chunk.size(), c.linger_left), want);
    if (n == -1) return;
    if (n <= 0 || (c.linger_left -= static_cast<std::size_t>(n)) == 0) drop(c, nullptr);
    return;
  }
  if (c.ssl && !c.handshaken && !handshake(c)) return;
  do {
    const std::size_t limit = c.header_end ? c.need : limits::header_max_bytes;
    if (c.buf.size() >= limit) break;
    Want want = Want::read;
    const ssize_t n = receive(c, chunk.data(), std::min(chunk.size(), limit - c.buf.size()), want);
    if (n == -1) {
      set_events(c, want == Want::write ? EPOLLOUT : EPOLLIN);
      return;
    }
    if (n <= 0) {
      // The client closed (between requests that is normal) or the connection failed.
      drop(c, c.started ? "closed" : nullptr);
      return;
    }
    set_events(c, EPOLLIN);
    if (!c.started) {
      c.started = true;
      c.deadline = Clock::now() + limits::request_deadline;
    }
    c.buf.append(chunk.data(), static_cast<std::size_t>(n));
    parse(c);
    if (room_.find(&c) == room_.end()) return;  // closed, or gone to a worker
  } while (c.ssl && SSL_pending(c.ssl) > 0);
  (void)events;
}

void Door::parse(Connection& c) {
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
    if (c.lines > limits::header_max_lines + 2) return drop(c, "header", answer_431);
    if (c.header_end == 0) {
      if (c.buf.size() >= limits::header_max_bytes) drop(c, "header", answer_431);
      return;
    }
    const Framing f = read_framing(std::string_view(c.buf).substr(0, c.header_end));
    std::size_t body = 0;
    if (!f.transfer_encoding && f.content_length && *f.content_length > 0 &&
        *f.content_length <= options_.body_limit(f.path))
      body = static_cast<std::size_t>(*f.content_length);
    if (body > 0) {
      if (!make_room(body)) return drop(c, "memory", answer_503);
      c.reserved = body;
      body_bytes_ += body;
      c.buf.reserve(c.header_end + body);
      if (body > limits::request_body_max_bytes)
        c.deadline += std::chrono::seconds(body / limits::body_min_bytes_per_second);
      if (f.expect_continue && c.buf.size() < c.header_end + body) {
        Want want = Want::write;
        transmit(c, continue_100.data(), continue_100.size(), want);  // tiny: fits the socket buffer
      }
    }
    c.need = c.header_end + body;
  }
  if (c.buf.size() >= c.need) to_worker(c);
}

bool Door::make_room(std::size_t bytes) {
  if (bytes > limits::body_bytes_in_memory_max) return false;
  while (body_bytes_ + bytes > limits::body_bytes_in_memory_max) {
    Connection* oldest = nullptr;
    for (auto& [p, owned] : room_)
      if (!p->dead && p->reserved > 0 && (!oldest || p->waiting_since < oldest->waiting_since)) oldest = p;
    if (!oldest) return false;  // the memory is held by requests being served
    drop(*oldest, "memory", answer_503, false);
  }
  return true;
}

void Door::to_worker(Connection& c) {
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  c.events = 0;
  auto it = room_.find(&c);
  std::unique_ptr<Connection> owned = std::move(it->second);
  room_.erase(it);
  ++outside_room_;
  {
    std::lock_guard lock(jobs_mutex_);
    jobs_.push_back(std::move(owned));
  }
  jobs_cv_.notify_one();
}

void Door::drop(Connection& c, const char* reason, std::string_view answer, bool then_linger) {
  if (c.dead) return;
  if (reason) count_drop(reason);
  if (c.reserved) {
    body_bytes_ -= c.reserved;
    c.reserved = 0;
  }
  if (!answer.empty() && (!c.ssl || c.handshaken)) {
    Want want = Want::write;
    transmit(c, answer.data(), answer.size(), want);  // best effort, once
    if (then_linger && !c.lingering && !c.ssl) return linger(c);
  }
  c.dead = true;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  auto it = room_.find(&c);
  if (it != room_.end()) {
    graveyard_.push_back(std::move(it->second));
    room_.erase(it);
  }
}

// Closing a socket with unread input sends a reset, which can destroy the answer before the
// client reads it; so the room half-closes, reads and discards for a little while, then closes.
void Door::linger(Connection& c) {
  ::shutdown(c.fd, SHUT_WR);
  c.lingering = true;
  c.linger_left = limits::linger_max_bytes;
  c.deadline = Clock::now() + limits::linger_time;
  c.buf.clear();
  c.buf.shrink_to_fit();
  set_events(c, EPOLLIN);
}

void Door::count_drop(const char* reason) {
  ++drops_[reason];
  Metrics::global().count("whygo_http_connections_dropped_total", {{"reason", reason}});
}

void Door::sweep(Clock::time_point now) {
  std::vector<Connection*> overdue;
  for (auto& [p, owned] : room_)
    if (!p->dead && now >= p->deadline) overdue.push_back(p);
  for (Connection* c : overdue) {
    if (c->lingering)
      drop(*c, nullptr);
    else if (c->started)
      drop(*c, "deadline", answer_408);
    else
      drop(*c, nullptr);  // idle past the keep-alive timeout
  }
}

void Door::report_drops(Clock::time_point now) {
  next_report_ = now + report_interval;
  if (drops_.empty()) return;
  std::string summary;
  for (const auto& [reason, n] : drops_) summary += fmt::format(" {}={}", reason, n);
  spdlog::warn("front door: connections closed in the last {} s:{}", report_interval.count(), summary);
  drops_.clear();
}

void Door::worker_loop() {
  for (;;) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock lock(jobs_mutex_);
      jobs_cv_.wait(lock, [&] { return !jobs_.empty() || workers_stop_; });
      if (jobs_.empty()) return;
      c = std::move(jobs_.front());
      jobs_.pop_front();
    }
    ++c->served;
    const bool last = stopping_ || c->served >= limits::keep_alive_max_requests;
    bool keep = false;
    bool refused = false;
    {
      RequestStream stream(*c, c->header_end, 0);
      current_stream = &stream;
      try {
        keep = serve_(stream, last) && !last && stream.reusable();
      } catch (...) {
        keep = false;
      }
      current_stream = nullptr;
      if (keep) c->buf.erase(0, stream.consumed());
      refused = stream.refused();
    }
    body_bytes_ -= c->reserved;
    c->reserved = 0;
    --outside_room_;
    // A refused request may still be arriving: the room lingers over it before closing.
    c->lingering = !keep && refused && !c->ssl;
    if (!keep && !c->lingering) continue;  // closes the connection
    if (c->lingering) c->buf.clear();
    if (c->buf.capacity() > 4 * read_chunk && c->buf.size() < read_chunk) c->buf.shrink_to_fit();
    c->scanned = c->lines = c->header_end = c->need = 0;
    {
      std::lock_guard lock(inbox_mutex_);
      if (stopping_) continue;
      returned_.push_back(std::move(c));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write(wake_, &one, sizeof one);
  }
}

}  // namespace whygo::front_door
