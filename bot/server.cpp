#include "server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

#include "limits.hpp"

namespace whygo {
namespace {
// Each request is served on one worker thread from pre-routing to logging.
thread_local std::chrono::steady_clock::time_point request_started;
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

HttpServer::HttpServer() : server_(std::make_unique<httplib::Server>()) {
  auto& s = *server_;
  s.set_payload_max_length(limits::request_body_max_bytes);
  s.set_read_timeout(limits::read_timeout);
  s.set_write_timeout(limits::write_timeout);
  s.set_keep_alive_timeout(limits::keep_alive_timeout.count());
  s.set_keep_alive_max_count(limits::keep_alive_max_requests);
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = std::chrono::steady_clock::now();
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
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - request_started);
    spdlog::info("{} {} {} {:.2f}ms", req.method, req.path, res.status, static_cast<double>(micros.count()) / 1000.0);
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
