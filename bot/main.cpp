// whygo: the command line. `whygo serve` runs the service; the other verbs are for operators.
#include <httplib.h>
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../adapters/console/console.hpp"
#include "adapter.hpp"
#include "app.hpp"
#include "limits.hpp"
#include "server.hpp"
#include "story.hpp"
#include "wiki.hpp"

namespace {

using namespace whygo;

constexpr const char* usage = R"(whygo: links on why teams chose Go, for Slack, Discord and Matrix.

Usage:
  whygo serve                       run the service (WHYGO_LISTEN, default 127.0.0.1:8080)
  whygo ask [--json] [--offset N] TEXT...
                                    run one chat command locally, e.g. whygo ask docker
  whygo import FILE                 load wiki markdown into the catalog (idempotent)
  whygo export [FILE]               write the catalog as wiki markdown (default: stdout)
  whygo story [--date YYYY-MM-DD]   which story a day gets
  whygo help                        this text

Environment: WHYGO_DB (database file, default ./whygo.db), WHYGO_SYNONYMS (synonyms file,
default: the bundled data/synonyms.txt), WHYGO_LISTEN.
)";

int fail(const std::string& message, int code = 2) {
  std::cerr << "whygo: " << message << "\n";
  return code;
}

int cmd_ask(App& app, std::vector<std::string> args) {
  bool json = false;
  std::size_t offset = 0;
  std::string text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (text.empty() && args[i] == "--json") {
      json = true;
    } else if (text.empty() && args[i] == "--offset" && i + 1 < args.size()) {
      try {
        offset = std::stoul(args[++i]);
      } catch (const std::exception&) {
        return fail("--offset takes a number");
      }
    } else {
      text += (text.empty() ? "" : " ") + args[i];
    }
  }
  const Reply reply = app.dispatcher().handle(console::request(text, offset));
  if (json)
    std::cout << console::to_json(reply).dump(2) << "\n";
  else
    std::cout << console::render(reply);
  return reply.error == ErrorKind::none ? 0 : 1;
}

int cmd_import(App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("usage: whygo import FILE");
  std::ifstream in(args[0], std::ios::binary);
  if (!in) return fail("cannot read " + args[0]);
  std::ostringstream content;
  content << in.rdbuf();
  const std::string markdown = content.str();
  if (markdown.size() > limits::wiki_max_bytes) return fail(args[0] + " is larger than 4 MiB");
  const wiki::Page page = wiki::parse(markdown);
  if (page.links.empty()) return fail(args[0] + " holds no links (\"* [title](url) by author\" items)");
  const ImportCounts counts = app.store().import_links(page.sections, page.links);
  std::cout << "imported " << args[0] << ": " << counts.added << " added, " << counts.updated << " updated, "
            << counts.unchanged << " unchanged; the catalog holds " << app.store().link_count() << " links\n";
  return 0;
}

int cmd_export(App& app, const std::vector<std::string>& args) {
  if (args.size() > 1) return fail("usage: whygo export [FILE]");
  const std::string markdown = wiki::render(app.store().section_names(), app.store().links());
  if (args.empty()) {
    std::cout << markdown;
    return 0;
  }
  const std::string tmp = args[0] + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!(out << markdown) || !out.flush()) return fail("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), args[0].c_str()) != 0) return fail("cannot write " + args[0]);
  return 0;
}

int cmd_story(App& app, const std::vector<std::string>& args) {
  std::string text = "story";
  if (args.size() == 2 && args[0] == "--date")
    text += " " + args[1];
  else if (!args.empty())
    return fail("usage: whygo story [--date YYYY-MM-DD]");
  const Reply reply = app.dispatcher().handle(console::request(text, 0));
  std::cout << console::render(reply);
  return reply.error == ErrorKind::none ? 0 : 1;
}

int cmd_serve(App& app) {
  const ListenAddress* address = &app.config().listen;

  // SIGINT and SIGTERM are taken by one thread with sigwait(), so the server stops cleanly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  HttpServer server;
  Background background;
  OutboundClient outbound;
  AdapterContext adapters{app, background, outbound};
  (void)adapters;  // platform adapters mount their routes here
  int port = 0;
  try {
    port = server.bind(*address);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
  std::thread signal_waiter([&server, &stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("signal {}: stopping", signal);
    server.stop();
  });
  spdlog::info("{} links in the catalog, database {}", app.store().link_count(), app.config().db_path);
  std::cout << "whygo listening on http://" << address->host << ":" << port << std::endl;
  const bool ok = server.run();
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  signal_waiter.join();
  background.stop();  // finish replies already queued
  spdlog::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("whygo");
  spdlog::set_default_logger(logger);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  args.erase(args.begin());
  if (verb != "serve" && verb != "ask" && verb != "import" && verb != "export" && verb != "story")
    return fail("unknown command \"" + verb + "\"; see whygo help");
  if (verb != "serve") spdlog::set_level(spdlog::level::warn);  // keep one-shot output clean
  try {
    SystemClock clock;
    App app(Config::from_environment(), clock);
    if (verb == "serve") return cmd_serve(app);
    if (verb == "ask") return cmd_ask(app, args);
    if (verb == "import") return cmd_import(app, args);
    if (verb == "export") return cmd_export(app, args);
    return cmd_story(app, args);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
}
