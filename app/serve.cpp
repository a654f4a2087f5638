#include "app/serve.hpp"

#include <httplib.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "app/cli.hpp"
#include "app/posting.hpp"
#include "bot/background.hpp"
#include "bot/limits.hpp"
#include "bot/metrics.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"
#include "bot/server.hpp"

namespace whygo {
namespace {

// /readyz and /metrics, for load balancers and Prometheus.
void mount_operations(HttpServer& server, App& app, const std::vector<Adapter>& adapters) {
  auto& metrics = Metrics::global();
  metrics.describe("whygo_http_requests_total", "HTTP requests by adapter, command and status", "counter");
  metrics.describe("whygo_http_request_duration_seconds", "HTTP request latency by adapter", "histogram");
  metrics.describe("whygo_signature_failures_total", "requests refused for a missing or wrong signature or token",
                   "counter");
  metrics.describe("whygo_commands_total", "chat commands by platform, command and outcome", "counter");
  metrics.describe("whygo_outbound_calls_total", "calls to platform APIs by platform and status class", "counter");
  metrics.describe("whygo_outbound_retries_total", "retried calls to platform APIs", "counter");
  metrics.describe("whygo_outbound_failures_total", "calls to platform APIs given up on", "counter");
  metrics.describe("whygo_story_posts_total", "daily story posts by platform and outcome", "counter");
  metrics.describe("whygo_build_info", "the running build", "gauge");
  metrics.count("whygo_build_info", {{"version", WHYGO_VERSION}}, 0);
  metrics.count("whygo_build_info", {{"version", WHYGO_VERSION}}, 1);
  metrics.gauge("whygo_catalog_links", [&app] { return static_cast<double>(app.store().link_count()); });
  metrics.gauge("whygo_subscriptions", [&app] { return static_cast<double>(app.store().subscriptions().size()); });
  server.routes().Get("/readyz", [&app, &adapters](const httplib::Request&, httplib::Response& res) {
    std::string problems;
    if (const auto db = app.store().write_problem()) problems += "database not writable: " + db->text + "\n";
    // An adapter that is on must be able to answer and to post: its outbound credentials too.
    for (const Adapter& adapter : adapters) {
      if (!adapter.enabled || !adapter.readiness) continue;
      for (const std::string& problem : adapter.readiness()) problems += adapter.name + ": " + problem + "\n";
    }
    res.status = problems.empty() ? 200 : 503;
    res.set_content(problems.empty() ? "ready\n" : problems, "text/plain");
  });
  server.routes().Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics::global().render(), "text/plain; version=0.0.4");
  });
}

}  // namespace

int serve(App& app, std::vector<Adapter>& adapters) {
  const ListenAddress& address = app.config().listen;

  // SIGINT and SIGTERM are taken by one thread with sigwait(), so the server stops cleanly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<HttpServer> tls_or_plain;
  try {
    tls_or_plain = std::make_unique<HttpServer>(app.config().tls.cert_file, app.config().tls.key_file);
  } catch (const std::exception& e) {
    return cli::fail(e.what(), 1);
  }
  HttpServer& server = *tls_or_plain;
  Background background;
  OutboundClient outbound;
  AdapterServices services{
      app.dispatcher(),
      app.clock(),
      app.store(),
      background,
      outbound,
      app.config().admins,
      [&app](std::string_view query, std::size_t limit) { return app.search().find(query, 0, limit); }};
  // Each adapter with its secret mounts its routes; one without is off and says so once.
  for (Adapter& adapter : adapters) {
    for (const std::string& prefix : adapter.route_prefixes) server.name_routes(prefix, adapter.name);
    if (adapter.enabled)
      adapter.mount(server, services);
    else
      spdlog::info("{}: off ({})", adapter.name, adapter.off_reason);
  }
  mount_operations(server, app, adapters);
  int port = 0;
  try {
    port = server.bind(address, app.config().share_port);
  } catch (const std::exception& e) {
    return cli::fail(e.what(), 1);
  }
  std::thread signal_waiter([&server, &stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("signal {}: stopping", signal);
    server.stop();
  });
  spdlog::info("{} links in the catalog, database {}", app.store().link_count(), app.config().db_path);
  Scheduler scheduler(app.store(), app.clock(), story_posters(adapters, outbound, app.clock()), process_name());
  scheduler.start(limits::scheduler_tick);
  std::cout << "whygo listening on " << (app.config().tls.enabled() ? "https://" : "http://") << address.host << ":"
            << port << std::endl;
  const bool ok = server.run();
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  signal_waiter.join();
  scheduler.stop();   // finish the posts already claimed
  background.stop();  // finish replies already queued
  spdlog::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace whygo
