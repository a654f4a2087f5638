// A bare cpp-httplib server, the yardstick for whygo's own request path (issue 15): the same
// library, thread count (one per keep-alive connection, as cpp-httplib serves), TCP_NODELAY and
// an answer of the same size as whygo's to /whygo docker, with no signature check, search,
// logging or metrics.
//
//   whygo_bench_bare PORT [THREADS=32]
#include <httplib.h>

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: whygo_bench_bare PORT [THREADS]\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::size_t threads = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 32;
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const std::string answer = "{\"response_type\":\"in_channel\",\"text\":\"" + std::string(560, 'x') + "\"}";
  server.Post("/slack/commands", [&answer](const httplib::Request&, httplib::Response& res) {
    res.set_content(answer, "application/json");
  });
  server.Post("/discord/interactions", [&answer](const httplib::Request&, httplib::Response& res) {
    res.set_content(answer, "application/json");
  });
  server.Get("/healthz",
             [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
