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

#include "bot/limits.hpp"
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
  static std::atomic<std::uint64_t> next{0};
  static const std::uint64_t prefix = std::random_device{}();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%08llx-%llu", static_cast<unsigned long long>(prefix & 0xFFFFFFFF),
                static_cast<unsigned long long>(++next));
  return buffer;
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
std::unique_ptr<httplib::Server> make_server(const std::string& cert, const std::string& key) {
  if (cert.empty()) return std::make_unique<httplib::Server>();
  auto tls = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  if (!tls->is_valid()) throw std::runtime_error("TLS: cannot load the certificate " + cert + " and key " + key);
  return tls;
}
}  // namespace

HttpServer::HttpServer(const std::string& tls_cert_file, const std::string& tls_key_file)
    : server_(make_server(tls_cert_file, tls_key_file)) {
  auto& s = *server_;
  s.set_payload_max_length(limits::request_body_max_bytes);
  s.set_read_timeout(limits::read_timeout);
  s.set_write_timeout(limits::write_timeout);
  s.set_keep_alive_timeout(limits::keep_alive_timeout.count());
  s.set_keep_alive_max_count(limits::keep_alive_max_requests);
  // Replies are small and written at once: without TCP_NODELAY, Nagle holds each one until the
  // client's delayed ACK, about 40 ms per keep-alive request (bench/README.md).
  s.set_tcp_nodelay(true);
  s.new_task_queue = [] { return new httplib::ThreadPool(limits::worker_threads); };
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = std::chrono::steady_clock::now();
    request_context::begin(request_id_for(req));
    // Runs before the body is read: a declared length over the path's limit is refused unread.
    std::size_t limit = limits::request_body_max_bytes;
    for (const auto& [prefix, max] : larger_bodies_)
      if (req.path.rfind(prefix, 0) == 0) limit = max;
    const std::string length = req.get_header_value("Content-Length");
    if (!length.empty()) {
      unsigned long long declared = 0;
      const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), declared);
      if (error != std::errc() || end != length.data() + length.size()) {
        res.status = 400;
        res.set_content("malformed Content-Length\n", "text/plain");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (declared > limit) {
        res.status = 413;
        res.set_content("request body too large\n", "text/plain");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Request-Id", request_context::request_id());
  });
  // One line per request: adapter, command, status, latency, request id, and the adapter's note.
  // Never the query string (a legacy Matrix access_token travels there) nor a header.
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const auto elapsed = std::chrono::steady_clock::now() - request_started;
    const std::string& adapter = adapter_of(req.path);
    const std::string& command = request_context::command();
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    const std::string& note = request_context::note();
    spdlog::info("{} {} {} {} command={} {:.2f}ms request_id={}{}{}", adapter, req.method, req.path, res.status,
                 command.empty() ? "-" : command, ms, request_context::request_id(), note.empty() ? "" : " ", note);
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
      spdlog::error("{} {} failed: {}", req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("{} {} failed", req.method, req.path);
    }
    res.status = 500;
    res.set_content("internal error\n", "text/plain");
  });
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
}

HttpServer::~HttpServer() = default;

void HttpServer::name_routes(std::string prefix, std::string adapter) {
  adapter_prefixes_.emplace_back(std::move(prefix), std::move(adapter));
}

const std::string& HttpServer::adapter_of(const std::string& path) const {
  static const std::string none = "http";
  for (const auto& [prefix, adapter] : adapter_prefixes_)
    if (path.rfind(prefix, 0) == 0) return adapter;
  return none;
}

void HttpServer::allow_larger_bodies(std::string prefix, std::size_t max_bytes) {
  larger_bodies_.emplace_back(std::move(prefix), max_bytes);
  std::size_t largest = limits::request_body_max_bytes;
  for (const auto& [p, max] : larger_bodies_) largest = std::max(largest, max);
  server_->set_payload_max_length(largest);
}

int HttpServer::bind(const ListenAddress& address) {
  const int port = address.port == 0 ? server_->bind_to_any_port(address.host)
                                     : (server_->bind_to_port(address.host, address.port) ? address.port : -1);
  if (port <= 0) throw std::runtime_error("cannot listen on " + address.host + ":" + std::to_string(address.port));
  return port;
}

bool HttpServer::run() {
  return server_->listen_after_bind();
}

void HttpServer::stop() {
  server_->stop();
}

}  // namespace whygo
