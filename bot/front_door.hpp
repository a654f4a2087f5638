// The HTTP server's front door: how connections reach cpp-httplib's request handling.
//
// cpp-httplib 0.11.4 gives each connection a worker thread for its whole life, so a client that
// trickles its header, or just keeps an idle keep-alive connection open, holds a worker; a few
// dozen such clients stop the service. Here every connection waits in one epoll set (the waiting
// room); a worker reads whatever has arrived, without waiting, into the connection's buffer, under
// a total deadline and size limits, and runs cpp-httplib's own request handling
// (Server::process_request) over that buffer only once the whole request (header and body) is
// there. So a worker never waits for a client, and slow or idle clients cost a file descriptor
// and a little memory, both bounded (limits.hpp: front door).
//
// cpp-httplib allows this through its public task queue (new_task_queue) and the virtual
// Server::process_and_close_socket, which the server overrides to hand accepted sockets here.
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;

namespace whygo::front_door {

using Clock = std::chrono::steady_clock;
struct Connection;

// What a worker reads a request from: the bytes the room buffered, and only as many of them as
// the request's framing allows (the header, then the body the pre-routing check allowed), so
// cpp-httplib can never read past the request or buffer more than its route's limit. Writes go
// to the socket under the write deadline.
class RequestStream final : public httplib::Stream {
 public:
  RequestStream(Connection& connection, std::size_t header_bytes, std::size_t body_bytes);

  // The stream of the request being served on this thread, or nullptr.
  static RequestStream* current();

  // The route's check found the body acceptable: let cpp-httplib read these many body bytes.
  void allow_body(std::uint64_t bytes);
  // The request is refused without reading its body: close the connection after the answer.
  void close_after_response() { close_ = true; }
  // Called by the pre-routing handler: the request reached the routes' own checks.
  void mark_checked() { checked_ = true; }

  // After process_request: may the connection carry another request?
  bool reusable() const;
  std::size_t consumed() const { return pos_; }
  bool refused() const { return close_; }
  // Sends what cpp-httplib wrote (kept until the answer is complete); false when that failed.
  bool flush();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, std::size_t size) override;
  ssize_t write(const char* ptr, std::size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

 private:
  Connection& c_;
  std::size_t header_end_;
  std::size_t allowed_end_;  // bytes of the buffer this request may deliver
  std::size_t pos_ = 0;
  bool close_ = false;
  bool checked_ = false;
  bool failed_ = false;
  Clock::time_point write_deadline_{};
  std::string out_;
  static constexpr std::size_t out_flush_bytes = 64 * 1024;
};

// Serves one buffered request on a worker: runs process_request over the stream; `last` asks
// for "Connection: close". Returns false when the connection must be closed.
using ServeRequest = std::function<bool(RequestStream& stream, bool last)>;

// The largest body a path may carry (the routes' limits); the room reads up to this much.
using BodyLimit = std::function<std::size_t(std::string_view path)>;

struct Options {
  std::size_t workers = 8;
  BodyLimit body_limit;
  SSL_CTX* tls = nullptr;  // serve TLS with this context (not owned)
};

// The workers, who share the waiting room: one epoll set holding every connection, each socket
// armed one-shot, so exactly one worker owns a connection from its event until it arms it again.
// A worker reads what arrived (never waiting for more), and only when the whole request is in
// memory does it run cpp-httplib's handling, on the spot. Overdue connections are found by
// whichever worker sweeps next; it marks them and shuts their reading side down, which wakes
// their owner to answer 408 and close them. Created when the server starts listening, shut down
// when it stops.
class Door {
 public:
  Door(Options options, ServeRequest serve);
  ~Door();
  Door(const Door&) = delete;
  Door& operator=(const Door&) = delete;

  // A socket just accepted (on the accept thread); the door owns it from now on.
  void admit(int fd);
  // Stops: workers finish the request they are serving; waiting connections are closed.
  void shutdown();

 private:
  enum class Parsed { more, complete, refused };

  void worker_loop();
  void on_event(Connection& c);
  Parsed parse(Connection& c);
  bool serve_all(Connection& c);
  void arm(Connection& c);
  void close(Connection& c);
  void refuse(Connection& c, const char* reason, std::string_view answer);
  void linger(Connection& c);
  void expire(Connection& c, const char* reason);
  bool evict_oldest(bool with_body, const char* reason);
  void sweep(std::int64_t now);
  void count_drop(const char* reason);
  void log_refusal(const Connection& c, const char* reason, std::string_view answer);
  void report_drops(std::int64_t now);

  Options options_;
  ServeRequest serve_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd, written once at shutdown
  std::atomic<bool> stopping_{false};

  std::mutex map_mutex_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::size_t expiring_ = 0;  // connections marked for closing, not yet closed

  std::mutex sweep_mutex_;  // one sweeper at a time
  std::atomic<std::int64_t> next_sweep_{0};
  std::int64_t next_report_ = 0;
  std::mutex drops_mutex_;
  std::unordered_map<std::string, std::uint64_t> drops_;  // reason -> count since last report
  std::atomic<std::uint64_t> refusals_logged_{0};         // log lines of refusals since last report

  // Bytes of request bodies held in memory, bounded by limits.
  std::atomic<std::size_t> body_bytes_{0};

  std::vector<std::thread> workers_;
};

}  // namespace whygo::front_door
