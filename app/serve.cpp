#include "app/serve.hpp"

#include <httplib.h>
#include <netdb.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>

#include "app/cli.hpp"
#include "app/install_page.hpp"
#include "app/link_checking.hpp"
#include "app/posting.hpp"
#include "bot/background.hpp"
#include "bot/limits.hpp"
#include "bot/metrics.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"
#include "bot/server.hpp"
#include "bot/sync_schedule.hpp"

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
  metrics.describe("whygo_upstream_syncs_total",
                   "syncs of the upstream wiki page by outcome: changed, unchanged, refused, failed", "counter");
  metrics.describe("whygo_outbound_calls_total", "calls to platform APIs by platform and status class", "counter");
  metrics.describe("whygo_outbound_retries_total", "retried calls to platform APIs", "counter");
  metrics.describe("whygo_outbound_failures_total", "calls to platform APIs given up on", "counter");
  metrics.describe("whygo_story_posts_total", "daily story posts by platform and outcome", "counter");
  metrics.describe("whygo_build_info", "the running build", "gauge");
  metrics.count("whygo_build_info", {{"version", WHYGO_VERSION}}, 0);
  metrics.count("whygo_build_info", {{"version", WHYGO_VERSION}}, 1);
  metrics.gauge("whygo_catalog_links", [&app] { return static_cast<double>(app.store().link_count()); });
  metrics.gauge("whygo_subscriptions", [&app] { return static_cast<double>(app.store().subscriptions().size()); });
  metrics.describe("whygo_link_checks_total", "link health checks by result (alive, failed, unsure)", "counter");
  metrics.gauge("whygo_links_alive", [&app] { return static_cast<double>(app.store().health_counts().alive); });
  metrics.gauge("whygo_links_redirected",
                [&app] { return static_cast<double>(app.store().health_counts().redirected); });
  metrics.gauge("whygo_links_dead", [&app] { return static_cast<double>(app.store().health_counts().dead); });
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

// An adapter that is off answers its routes with why, so whoever set up the platform's side (or
// tries it with curl) learns what is missing rather than meeting a bare 404.
void mount_off(HttpServer& server, const Adapter& adapter) {
  const std::string body = adapter.name + " is off on this server: " + adapter.off_reason +
                           ". Set it where whygo reads its settings and restart whygo (README, " + adapter.name +
                           " section; `whygo config check` shows what is missing).\n";
  const auto answer = [body](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(body, "text/plain");
  };
  for (const std::string& prefix : adapter.route_prefixes) {
    std::string pattern;
    for (const char c : prefix) {
      if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) pattern += '\\';
      pattern += c;
    }
    pattern += ".*";
    server.routes().Get(pattern, answer);
    server.routes().Post(pattern, answer);
    server.routes().Put(pattern, answer);
    server.routes().Patch(pattern, answer);
    server.routes().Delete(pattern, answer);
  }
}

// Why the address cannot be bound, found by trying once more with a plain socket (cpp-httplib
// reports only that it failed), in words that say what to do.
std::string listen_problem(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int error = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); error != 0)
    return "cannot resolve " + address.host + " (" + gai_strerror(error) + "); use an address such as 127.0.0.1";
  int error = 0;
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) {
    error = errno;
  } else {
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  switch (error) {
    case 0:
      return "it failed, then worked when tried again; start whygo again";
    case EADDRINUSE:
      return "the port is in use: another process listens there (another whygo? `ss -ltnp 'sport = :" + port +
             "'` names it); stop it, or choose another port";
    case EACCES:
      return "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE; listen on a port above 1023 "
             "behind a reverse proxy";
    case EADDRNOTAVAIL:
      return "this machine has no address " + address.host + "; use 127.0.0.1, 0.0.0.0 or one of its own addresses";
    default:
      return std::strerror(error);
  }
}

void stop_adapters(std::vector<Adapter>& adapters) {
  for (Adapter& adapter : adapters)
    if (adapter.enabled && adapter.stop) adapter.stop();
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
      [&app](std::string_view query, std::size_t limit) { return app.search().find(query, 0, limit); },
      app.store(),
      app.store(),
      app.store(),
      {}};
  services.health = &app.store();
  for (const Adapter& adapter : adapters)
    services.install.insert(services.install.end(), adapter.install.begin(), adapter.install.end());
  // Each adapter with its secret mounts its routes; one without is off and says so once.
  for (Adapter& adapter : adapters) {
    for (const std::string& prefix : adapter.route_prefixes) server.name_routes(prefix, adapter.name);
    if (adapter.enabled) {
      adapter.mount(server, services);
    } else {
      spdlog::info("{}: off ({})", adapter.name, adapter.off_reason);
      mount_off(server, adapter);
    }
  }
  mount_operations(server, app, adapters);
  mount_install_page(server, adapters);
  int port = 0;
  try {
    port = server.bind(address, app.config().share_port);
  } catch (const std::exception& e) {
    stop_adapters(adapters);  // what mount started uses `services`, which goes with this frame
    return cli::fail(
        std::string(e.what()) + " (WHYGO_LISTEN, or \"listen\" in the --config file): " + listen_problem(address), 1);
  }
  std::thread signal_waiter([&server, &stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("signal {}: stopping", signal);
    server.stop();
  });
  spdlog::info("{} links in the catalog, database {}", app.store().link_count(), app.store().describe());
  Scheduler scheduler(app.store(), app.clock(), story_posters(adapters, outbound, app.clock(), app.store()),
                      process_name());
  scheduler.start(limits::scheduler_tick);
  LinkCheckLoop link_checks(app, app.config().link_check_period());
  link_checks.start();
  SyncSchedule sync_schedule(app.store(), *app.syncer(), app.clock(), app.config().sync_every, process_name());
  sync_schedule.start(limits::scheduler_tick);
  std::cout << "whygo listening on " << (app.config().tls.enabled() ? "https://" : "http://") << address.host << ":"
            << port << std::endl;
  const bool ok = server.run();
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  signal_waiter.join();
  stop_adapters(adapters);  // e.g. Matrix's sync loop, mid long poll
  link_checks.stop();       // the links not visited yet wait for the next start
  scheduler.stop();         // finish the posts already claimed
  sync_schedule.stop();     // after a sync under way
  background.stop();        // finish replies already queued
  spdlog::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace whygo
