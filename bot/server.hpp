// The one HTTP server (cpp-httplib): limits from limits.hpp, a log line per request, and
// /healthz. Platform adapters mount their routes on routes().
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib
typedef struct ssl_ctx_st SSL_CTX;

namespace whygo {

struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 8080;
};

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; nullopt when malformed.
std::optional<ListenAddress> parse_listen(std::string_view text);

// A POST route whose handler finds the body in req.body as sent. cpp-httplib's plain routes also
// decode an application/x-www-form-urlencoded body into req.params, a second parse of every Slack
// command, and refuse such a body over 8 KiB (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH),
// under the route's own limit; a route with a content reader does neither.
void post_raw(httplib::Server& routes, const std::string& path,
              std::function<void(const httplib::Request&, httplib::Response&)> handler);

class HttpServer {
 public:
  // With a certificate and key (PEM files), serves HTTPS through OpenSSL; throws if they do not load.
  // Connections wait in the front door (front_door.hpp) until their request is complete.
  explicit HttpServer(const std::string& tls_cert_file = {}, const std::string& tls_key_file = {});
  ~HttpServer();

  httplib::Server& routes() { return *server_; }

  // Requests to paths starting with prefix are the adapter's in the log line and metrics;
  // others are "http".
  void name_routes(std::string prefix, std::string adapter);

  // Paths starting with prefix may carry bodies up to max_bytes; every other path keeps
  // limits::request_body_max_bytes. (Matrix homeservers batch many events in one transaction.)
  void allow_larger_bodies(std::string prefix, std::size_t max_bytes);

  // Binds the address (port 0 picks a free port) and returns the port; throws on failure,
  // saying why. With share_port, other processes may bind the same port (SO_REUSEPORT).
  int bind(const ListenAddress& address, bool share_port = false);
  // Serves until stop(); returns false if the server failed.
  bool run();
  void stop();

 private:
  std::size_t body_limit(std::string_view path) const;

  std::unique_ptr<httplib::Server> server_;
  const std::string& adapter_of(const std::string& path) const;

  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> tls_;
  std::vector<std::pair<std::string, std::size_t>> larger_bodies_;
  std::vector<std::pair<std::string, std::string>> adapter_prefixes_;
};

}  // namespace whygo
