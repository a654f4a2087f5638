// The HTTP server's front door: how connections reach cpp-httplib's request handling.
//
// cpp-httplib 0.11.4 gives each connection a worker thread for its whole life, so a client that
// trickles its header, or just keeps an idle keep-alive connection open, holds a worker; a few
// dozen such clients stop the service. Here one thread (the waiting room) holds every connection
// that has no complete request yet, with epoll, and reads the request's header and body into
// memory under a total deadline and size limits. Only a connection whose whole request has
// arrived goes to a worker, which runs cpp-httplib's own request handling
// (Server::process_request) over that buffer, then gives the connection back to the room to wait
// for its next request. So a worker never waits for a client, and slow or idle clients cost a
// file descriptor and a little memory, both bounded (limits.hpp: front door).
//
// cpp-httplib allows this through its public task queue (new_task_queue) and the virtual
// Server::process_and_close_socket, which the server overrides to hand accepted sockets here.
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
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

// The waiting room and the workers. Created when the server starts listening and shut down
// when it stops.
class Door {
 public:
  Door(Options options, ServeRequest serve);
  ~Door();
  Door(const Door&) = delete;
  Door& operator=(const Door&) = delete;

  // A socket just accepted (on the accept thread); the door owns it from now on.
  void admit(int fd);
  // Stops: closes waiting connections, lets workers finish the requests they have, joins.
  void shutdown();

 private:
  void room_loop();
  void worker_loop();
  void take_inbox();
  void welcome(std::unique_ptr<Connection> c);
  void on_event(Connection& c, std::uint32_t events);
  bool handshake(Connection& c);
  void parse(Connection& c);
  void to_worker(Connection& c);
  // Closes c, after sending answer (then lingering over its input unless told not to).
  void drop(Connection& c, const char* reason, std::string_view answer = {}, bool then_linger = true);
  void sweep(Clock::time_point now);
  bool make_room(std::size_t bytes);
  void set_events(Connection& c, std::uint32_t events);
  void report_drops(Clock::time_point now);
  void count_drop(const char* reason);
  void linger(Connection& c);

  Options options_;
  ServeRequest serve_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: the inbox has something
  std::atomic<bool> stopping_{false};

  // Sockets just accepted and connections given back by workers, for the room thread.
  std::mutex inbox_mutex_;
  std::vector<int> accepted_;
  std::vector<std::unique_ptr<Connection>> returned_;

  // Owned by the room thread.
  std::unordered_map<Connection*, std::unique_ptr<Connection>> room_;
  std::vector<std::unique_ptr<Connection>> graveyard_;  // closed during a batch of events
  Clock::time_point next_sweep_{};
  Clock::time_point next_report_{};
  std::unordered_map<std::string, std::uint64_t> drops_;  // reason -> count since last report

  // Complete requests waiting for a worker.
  std::mutex jobs_mutex_;
  std::condition_variable jobs_cv_;
  std::deque<std::unique_ptr<Connection>> jobs_;
  bool workers_stop_ = false;
  std::atomic<std::size_t> outside_room_{0};  // connections queued for or held by workers

  // Bytes of request bodies held in memory (room and workers), bounded by limits.
  std::atomic<std::size_t> body_bytes_{0};

  std::thread room_thread_;
  std::vector<std::thread> workers_;
};

}  // namespace whygo::front_door
