// The one HTTP server (cpp-httplib): limits from limits.hpp, a log line per request, and
// /healthz. Platform adapters mount their routes on routes().
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace httplib {
class Server;
}

namespace whygo {

struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 8080;
};

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; nullopt when malformed.
std::optional<ListenAddress> parse_listen(std::string_view text);

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();

  httplib::Server& routes() { return *server_; }

  // Binds the address (port 0 picks a free port) and returns the port; throws on failure.
  int bind(const ListenAddress& address);
  // Serves until stop(); returns false if the server failed.
  bool run();
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace whygo
