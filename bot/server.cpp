#include "bot/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>

#include <openssl/ssl.h>
#include <sys/socket.h>

#include "bot/front_door.hpp"
#include "bot/limits.hpp"
#include "bot/log_text.hpp"
#include "bot/metrics.hpp"
#include "bot/request_context.hpp"

namespace whygo {
namespace {
// Each request is served on one worker thread from pre-routing to logging.
thread_local std::chrono::steady_clock::time_point request_started;

// A caller's X-Request-Id when it is a sane token, else a new one.
std::string request_id_for(const httplib::Request& req) {
  const std::string given = req.get_header_value("X-Request-Id");
  if (!given.empty() && given.size() <= 64 && std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      }))
    return given;
  return request_context::new_request_id();
}
bool is_loopback(std::string_view ip) {
  if (ip.starts_with("::ffff:")) ip.remove_prefix(7);
  return ip.starts_with("127.") || ip == "::1";
}

// The client's address for the log: the TCP peer, or, when the peer is the local nginx front
// (deploy/nginx/whygo.conf sets the header to the address it saw), X-Forwarded-For. From any
// other peer the header is the client's own claim and is ignored.
std::string client_address(const httplib::Request& req) {
  if (!is_loopback(req.remote_addr)) return req.remote_addr;
  std::string forwarded = req.get_header_value("X-Forwarded-For");
  if (forwarded.empty()) return req.remote_addr;
  const std::size_t comma = forwarded.rfind(',');  // the nearest hop, if a client appended others
  if (comma != std::string::npos) forwarded.erase(0, comma + 1);
  while (!forwarded.empty() && forwarded.front() == ' ') forwarded.erase(0, 1);
  const bool address_like =
      !forwarded.empty() && forwarded.size() <= 45 && std::all_of(forwarded.begin(), forwarded.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
      });
  return address_like ? forwarded : req.remote_addr;
}
}  // namespace

std::optional<ListenAddress> parse_listen(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size()) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::nullopt;
  int port = -1;
  const std::string_view digits = text.substr(colon + 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (error != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535) return std::nullopt;
  return ListenAddress{std::string(host), port};
}

namespace {
// cpp-httplib's server with the front door in place of its thread per connection: accepted
// sockets go to the door (process_and_close_socket is cpp-httplib's virtual hook for exactly
// that step), and the door's workers run cpp-httplib's own request handling over each request
// it has read in full.
class GuardedServer final : public httplib::Server {
 public:
  front_door::Door* door = nullptr;

  bool serve(front_door::RequestStream& stream, bool last) {
    bool closed = false;
    const bool ok = process_request(stream, last, closed, nullptr);
    return ok && !closed;
  }
  // cpp-httplib listens with a backlog of 5; listen() again on the bound socket widens it.
  void widen_backlog() { ::listen(svr_sock_, limits::listen_backlog); }

 private:
  bool process_and_close_socket(socket_t sock) override {
    door->admit(sock);
    return true;
  }
};

// The task queue cpp-httplib's accept loop hands each socket to: it admits the socket to the
// door at once (on the accept thread), and shutting it down shuts the door.
class DoorQueue final : public httplib::TaskQueue {
 public:
  DoorQueue(GuardedServer& server, front_door::Options options)
      : server_(server), door_(std::move(options), [&server](front_door::RequestStream& s, bool last) {
          return server.serve(s, last);
        }) {
    server_.door = &door_;
  }
  ~DoorQueue() override { server_.door = nullptr; }
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { door_.shutdown(); }

 private:
  GuardedServer& server_;
  front_door::Door door_;
};

void free_tls(SSL_CTX* ctx) {
  SSL_CTX_free(ctx);
}

SSL_CTX* load_tls(const std::string& cert, const std::string& key) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return nullptr;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Partial writes for non-blocking sockets; idle connections give their buffers back.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

void refuse(httplib::Response& res, front_door::RequestStream* stream, int status, const char* message) {
  res.status = status;
  res.set_content(message, "text/plain");
  // The body was not read: the connection cannot carry another request.
  res.set_header("Connection", "close");
  if (stream) stream->close_after_response();
}
}  // namespace

HttpServer::HttpServer(const std::string& tls_cert_file, const std::string& tls_key_file)
    : server_(std::make_unique<GuardedServer>()), tls_(nullptr, &free_tls) {
  if (!tls_cert_file.empty()) {
    tls_.reset(load_tls(tls_cert_file, tls_key_file));
    if (!tls_)
      throw std::runtime_error("TLS: cannot load the certificate " + tls_cert_file + " and key " + tls_key_file);
  }
  auto& s = *server_;
  s.set_payload_max_length(limits::request_body_max_bytes);
  s.set_write_timeout(limits::write_timeout);
  s.set_keep_alive_timeout(limits::keep_alive_timeout.count());
  s.set_keep_alive_max_count(limits::keep_alive_max_requests);
  // Replies are small and written at once: without TCP_NODELAY, Nagle holds each one until the
  // client's delayed ACK, about 40 ms per keep-alive request (bench/README.md).
  s.set_tcp_nodelay(true);
  s.new_task_queue = [this] {
    front_door::Options options;
    options.workers = limits::worker_threads;
    options.body_limit = [this](std::string_view path) { return body_limit(path); };
    options.tls = tls_.get();
    return new DoorQueue(static_cast<GuardedServer&>(*server_), std::move(options));
  };
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = std::chrono::steady_clock::now();
    request_context::begin(request_id_for(req));
    // Runs before the body is read, on every path. The limit is the raw path's, as the front
    // door's, so both agree on how much body there may be.
    auto* stream = front_door::RequestStream::current();
    if (stream) stream->mark_checked();
    const std::string_view target(req.target);
    const std::size_t limit = body_limit(target.substr(0, target.find('?')));
    // A chunked body has no length to check before reading it (RFC 9112 lets a server ask for
    // one with 411); the platforms and the nginx front always send Content-Length.
    if (req.has_header("Transfer-Encoding")) {
      refuse(res, stream, 411, "send the body with Content-Length, not Transfer-Encoding\n");
      return httplib::Server::HandlerResponse::Handled;
    }
    // cpp-httplib would inflate a compressed body without any limit.
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
      refuse(res, stream, 415, "compressed request bodies are not accepted\n");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_header_value_count("Content-Length") > 1) {
      refuse(res, stream, 400, "more than one Content-Length\n");
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string length = req.get_header_value("Content-Length");
    if (!length.empty()) {
      unsigned long long declared = 0;
      const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), declared);
      if (error != std::errc() || end != length.data() + length.size()) {
        refuse(res, stream, 400, "malformed Content-Length\n");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (declared > limit) {
        refuse(res, stream, 413, "request body too large\n");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (stream) stream->allow_body(declared);
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.get_header_value("Connection") == "close") res.headers.erase("Keep-Alive");
    res.set_header("X-Request-Id", request_context::request_id());
  });
  // One line per request: adapter, command, status, latency, request id, and the adapter's note.
  // Never the query string (a legacy Matrix access_token travels there) nor a header (but the
  // client address the local proxy vouches for).
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const auto elapsed = std::chrono::steady_clock::now() - request_started;
    const std::string& adapter = adapter_of(req.path);
    const std::string& command = request_context::command();
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    const std::string& note = request_context::note();
    spdlog::info("{} {} {} {} command={} {:.2f}ms request_id={} client={}{}{}", adapter, log_text::field(req.method),
                 log_text::field(req.path), res.status, command.empty() ? "-" : command, ms,
                 request_context::request_id(), client_address(req), note.empty() ? "" : " ", note);
    auto& m = Metrics::global();
    m.count("whygo_http_requests_total", {{"adapter", adapter},
                                          {"command", command.empty() ? "none" : command},
                                          {"status", std::to_string(res.status)}});
    m.observe("whygo_http_request_duration_seconds", {{"adapter", adapter}}, elapsed);
    // Adapters answer 401 (or Matrix 403) only when a signature or token is missing or wrong.
    if (adapter != "http" && (res.status == 401 || res.status == 403))
      m.count("whygo_signature_failures_total", {{"adapter", adapter}});
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", log_text::field(req.method), log_text::field(req.path), e.what());
    } catch (...) {
      spdlog::error("{} {} failed", log_text::field(req.method), log_text::field(req.path));
    }
    res.status = 500;
    res.set_content("internal error\n", "text/plain");
  });
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
}

HttpServer::~HttpServer() = default;

void post_raw(httplib::Server& routes, const std::string& path,
              std::function<void(const httplib::Request&, httplib::Response&)> handler) {
  routes.Post(path, [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& read) {
    // The request is cpp-httplib's own non-const object, handed over by const reference; its body
    // is filled here, as its plain routes fill it before calling theirs.
    std::string& body = const_cast<httplib::Request&>(req).body;
    const bool complete = read([&body](const char* data, std::size_t size) {
      body.append(data, size);
      return true;
    });
    if (!complete) {
      // cpp-httplib set 413 if the body was over its limit; otherwise the client went away.
      if (res.status < 400) res.status = 400;
      return;
    }
    handler(req, res);
  });
}

void HttpServer::name_routes(std::string prefix, std::string adapter) {
  adapter_prefixes_.emplace_back(std::move(prefix), std::move(adapter));
}

const std::string& HttpServer::adapter_of(const std::string& path) const {
  static const std::string none = "http";
  for (const auto& [prefix, adapter] : adapter_prefixes_)
    if (path.rfind(prefix, 0) == 0) return adapter;
  return none;
}

std::size_t HttpServer::body_limit(std::string_view path) const {
  std::size_t limit = limits::request_body_max_bytes;
  for (const auto& [prefix, max] : larger_bodies_)
    if (path.substr(0, prefix.size()) == prefix) limit = max;
  return limit;
}

void HttpServer::allow_larger_bodies(std::string prefix, std::size_t max_bytes) {
  larger_bodies_.emplace_back(std::move(prefix), max_bytes);
  std::size_t largest = limits::request_body_max_bytes;
  for (const auto& [p, max] : larger_bodies_) largest = std::max(largest, max);
  server_->set_payload_max_length(largest);
}

int HttpServer::bind(const ListenAddress& address, bool share_port) {
  // cpp-httplib sets SO_REUSEPORT by default, so a second whygo on the same port would start
  // and silently take half the requests, perhaps over another database. Only SO_REUSEADDR (a
  // restart binds at once despite old connections in TIME_WAIT), unless sharing is asked for.
  server_->set_socket_options([share_port](int sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (share_port) setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  });
  const int port = address.port == 0 ? server_->bind_to_any_port(address.host)
                                     : (server_->bind_to_port(address.host, address.port) ? address.port : -1);
  // Why is found by the caller (app/serve.cpp tries a plain socket and says what to do).
  if (port <= 0) throw std::runtime_error("cannot listen on " + address.host + ":" + std::to_string(address.port));
  static_cast<GuardedServer&>(*server_).widen_backlog();
  return port;
}

bool HttpServer::run() {
  return server_->listen_after_bind();
}

void HttpServer::stop() {
  server_->stop();
}

}  // namespace whygo
