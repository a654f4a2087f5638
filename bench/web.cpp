// GET / with a 10,000-link catalog (bench/synthetic.hpp): the server's own time to make the
// page, and the page over loopback.
//   render  what a request costs when the page is not cached (the first after a catalog change
//           or a new day): the sections with their counts, today's story through the dispatcher
//           (as `whygo story`), and the HTML
//   http    GET / on one keep-alive connection to the real server in this process, ETag cache
//           included: client, loopback and server together, an upper bound on server time
//
//   whygo_bench_web [LINKS] [ROUNDS]   (defaults 10000 and 2000)
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/web/adapter.hpp"
#include "adapters/web/pages.hpp"
#include "app/app.hpp"
#include "bench/synthetic.hpp"
#include "bot/background.hpp"
#include "bot/outbound.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void report(const char* what, std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  double sum = 0;
  for (const double m : micros) sum += m;
  const auto at = [&](double q) {
    return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * micros.size()))];
  };
  std::printf("%-8s n=%zu  mean %.3f ms  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", what, micros.size(),
              sum / micros.size() / 1000, at(0.5) / 1000, at(0.99) / 1000, micros.back() / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t size = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::size_t rounds = argc > 2 ? std::stoul(argv[2]) : 2000;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp ? tmp : "/tmp") + "/whygo-bench-web-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  int status = 0;
  spdlog::set_level(spdlog::level::warn);  // no log line per request
  {
    whygo::Config config;
    config.db_path = pattern + "/w.db";
    const whygo::SystemClock clock;
    whygo::App app(config, clock, false);
    const std::vector<std::string> sections = {"Why Go", "Benchmarks", "Conference & Meetup", "Articles", "Talks"};
    whygo::bench::Synthetic synthetic;
    app.store().import_links(sections, synthetic.catalog(size, sections), whygo::unix_seconds(clock));
    app.search().catch_up();
    std::printf("catalog: %zu links\n", app.store().link_count());

    std::vector<double> sections_only, story_only;
    whygo::Request story_request;
    story_request.platform = "web";
    story_request.text = "story";
    for (std::size_t i = 0; i < rounds / 4; ++i) {
      auto start = Clock::now();
      const auto counted = app.store().sections();
      sections_only.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      start = Clock::now();
      const auto told = app.dispatcher().handle(story_request);
      story_only.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    report("sections", sections_only);
    report("story", story_only);

    std::vector<double> render;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < rounds; ++i) {
      const auto start = Clock::now();
      const std::string page =
          whygo::web::home_page({app.store().sections(), app.dispatcher().handle(story_request), {}});
      render.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      bytes = page.size();
    }
    report("render", render);

    whygo::HttpServer server;
    whygo::Background background;
    whygo::OutboundClient outbound;
    whygo::AdapterServices services{
        app.dispatcher(),
        clock,
        app.store(),
        background,
        outbound,
        app.config().admins,
        [&app](std::string_view query, std::size_t limit) { return app.search().find(query, 0, limit); },
        app.store(),
        app.store(),
        app.store(),
        {}};
    whygo::web::adapter(config).mount(server, services);
    const int port = server.bind({"127.0.0.1", 0});
    std::thread thread([&server] { server.run(); });
    while (!server.routes().is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    std::vector<double> http;
    for (std::size_t i = 0; i < rounds; ++i) {
      const auto start = Clock::now();
      const auto res = client.Get("/");
      http.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      if (!res || res->status != 200) {
        std::fprintf(stderr, "GET / failed\n");
        status = 1;
        break;
      }
    }
    if (status == 0) report("http", http);
    std::printf("page: %zu bytes\n", bytes);
    server.stop();
    thread.join();
    background.stop();
  }
  std::filesystem::remove_all(pattern);
  return status;
}
