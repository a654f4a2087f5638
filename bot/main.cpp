// whygo: the command line. `whygo serve` runs the service; the other verbs are for operators.
#include <httplib.h>
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <spdlog/pattern_formatter.h>
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../adapters/console/console.hpp"
#include "../adapters/discord/poster.hpp"
#include "../adapters/discord/register.hpp"
#include "../adapters/discord/routes.hpp"
#include "../adapters/matrix/poster.hpp"
#include "../adapters/matrix/registration.hpp"
#include "../adapters/matrix/routes.hpp"
#include "../adapters/slack/poster.hpp"
#include "../adapters/slack/routes.hpp"
#include "adapter.hpp"
#include "app.hpp"
#include "limits.hpp"
#include "metrics.hpp"
#include "scheduler.hpp"
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
  whygo post-story [--date YYYY-MM-DD]
                                    post the day's story now to every subscribed channel that
                                    has not had it (cron-friendly; exactly once per channel and day)
  whygo matrix registration [--url URL] [--id ID]
                                    print the Matrix application service registration (YAML)
  whygo discord register [--guild ID]
                                    register /whygo with Discord (DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN)
  whygo config check                validate the settings and print them, secrets masked
  whygo backup FILE                 copy the live database to FILE, consistently
  whygo help                        this text

Options (before or after the command):
  --config FILE                     JSON settings (see deploy/whygo.example.json); the
                                    environment wins over the file
  --log-format text|json            log lines as text (default) or JSON for log shippers

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

// What a long import is doing, on stderr when that is a terminal (a script's log gets none).
class ImportProgress {
 public:
  ImportProgress() : on_(::isatty(STDERR_FILENO) == 1) {}
  ~ImportProgress() { clear(); }
  void step(const std::string& what) { show(what + "..."); }
  void clear() {
    if (shown_) show("");
    shown_ = false;
  }
  Search::Progress counter(const std::string& what) {
    return [this, what](std::size_t done, std::size_t total) {
      show(what + " " + std::to_string(done) + " of " + std::to_string(total) + " links");
    };
  }

 private:
  void show(const std::string& line) {
    if (!on_) return;
    std::cerr << "\r\033[K" << line << std::flush;  // the line is written over each time
    shown_ = true;
  }
  bool on_;
  bool shown_ = false;
};

int cmd_import(App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("usage: whygo import FILE");
  std::ifstream in(args[0], std::ios::binary);
  if (!in) return fail("cannot read " + args[0]);
  ImportProgress progress;
  progress.step("reading " + args[0]);
  std::string markdown;
  std::vector<char> chunk(1 << 16);
  while (markdown.size() <= limits::wiki_max_bytes &&  // no more than the limit is ever read
         (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0))
    markdown.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  if (markdown.size() > limits::wiki_max_bytes) {
    progress.clear();
    return fail(args[0] + " is larger than " + std::to_string(limits::wiki_max_bytes >> 20) + " MiB");
  }
  const wiki::Page page = wiki::parse(markdown);
  if (page.links.empty()) {
    progress.clear();
    return fail(args[0] + " holds no links (\"* [title](url) by author\" items)");
  }
  progress.step("saving " + std::to_string(page.links.size()) + " links");
  const ImportCounts counts = app.store().import_links(page.sections, page.links);
  app.search().catch_up(progress.counter("indexing"));  // searchable at once, here and in a running server
  progress.clear();
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

int cmd_discord(App& app, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "register") return fail("usage: whygo discord register [--guild ID]");
  OutboundClient outbound;
  return discord::register_commands(app.config().discord, outbound, app.clock(),
                                    std::vector<std::string>(args.begin() + 1, args.end()), std::cout, std::cerr);
}

// Needs no database: prints the registration from the environment.
int cmd_matrix(const Config& config, const std::vector<std::string>& args) {
  try {
    return matrix::run_cli(config, args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
}

// The daily post through each configured platform. Posting needs the bot's token, not only the
// inbound secret.
std::map<std::string, Poster> story_posters(const Config& config, const OutboundClient& outbound, const Clock& clock) {
  std::map<std::string, Poster> posters;
  if (config.discord.enabled() && !config.discord.bot_token.empty())
    posters["discord"] = discord::story_poster(config.discord, outbound, clock);
  if (config.matrix.enabled() && !config.matrix.homeserver_url.empty())
    posters["matrix"] = matrix::story_poster(config.matrix, outbound);
  if (config.slack.enabled() && !config.slack.bot_token.empty())
    posters["slack"] = slack::story_poster(config.slack, outbound);
  return posters;
}

// Who holds a post claim: host, process and start time, for the logs and stale-claim recovery.
std::string process_name() {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
}

int cmd_post_story(App& app, const std::vector<std::string>& args) {
  std::optional<std::int64_t> day;
  if (args.size() == 2 && args[0] == "--date") {
    const auto parsed = parse_date(args[1]);
    if (!parsed) return fail("--date takes YYYY-MM-DD, e.g. 2026-11-27");
    day = parsed->time_since_epoch().count();
  } else if (!args.empty()) {
    return fail("usage: whygo post-story [--date YYYY-MM-DD]");
  }
  OutboundClient outbound;
  auto posters = story_posters(app.config(), outbound, app.clock());
  if (posters.empty()) return fail("no platform can post: configure a bot token (see README)", 1);
  Scheduler scheduler(app.store(), app.clock(), std::move(posters), process_name());
  scheduler.post_now(day);
  scheduler.wait_idle();
  const PostCounts counts = scheduler.counts();
  std::cout << "posted " << counts.sent << ", failed " << counts.failed << ", abandoned " << counts.abandoned << " ("
            << app.store().subscriptions().size() << " subscriptions; the rest had it already)\n";
  return counts.failed == 0 ? 0 : 1;
}

// /readyz and /metrics, for load balancers and Prometheus.
void mount_operations(HttpServer& server, App& app) {
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
  const Config& config = app.config();
  server.routes().Get("/readyz", [&app, &config](const httplib::Request&, httplib::Response& res) {
    std::string problems;
    if (const std::string db = app.store().write_problem(); !db.empty())
      problems += "database not writable: " + db + "\n";
    // An adapter that is on must be able to answer and to post: its outbound credentials too.
    if (config.slack.enabled() && config.slack.bot_token.empty()) problems += "slack: SLACK_BOT_TOKEN is not set\n";
    if (config.discord.enabled() && config.discord.application_id.empty())
      problems += "discord: DISCORD_APPLICATION_ID is not set\n";
    if (config.matrix.enabled() && (config.matrix.homeserver_url.empty() || config.matrix.bot_user.empty()))
      problems += "matrix: MATRIX_HOMESERVER_URL and MATRIX_BOT_USER are both needed\n";
    res.status = problems.empty() ? 200 : 503;
    res.set_content(problems.empty() ? "ready\n" : problems, "text/plain");
  });
  server.routes().Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics::global().render(), "text/plain; version=0.0.4");
  });
}

int cmd_config(const Config& config, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "check") return fail("usage: whygo config check [--config FILE]");
  std::cout << config.describe() << "\nconfig OK\n";
  return 0;
}

int cmd_backup(App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("usage: whygo backup FILE");
  if (std::ifstream(args[0]).good()) return fail(args[0] + " exists; choose a new file");
  app.store().backup_to(args[0]);
  std::cout << "backed up " << app.store().link_count() << " links to " << args[0] << "\n";
  return 0;
}

int cmd_serve(App& app) {
  const ListenAddress* address = &app.config().listen;

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
    return fail(e.what(), 1);
  }
  HttpServer& server = *tls_or_plain;
  Background background;
  OutboundClient outbound;
  // Each adapter with its secret mounts its routes; one without is off and says so once.
  AdapterContext adapters{app, background, outbound};
  if (app.config().matrix.enabled()) {
    server.allow_larger_bodies("/_matrix/app/v1/transactions/", limits::matrix_transaction_max_bytes);
    server.allow_larger_bodies("/transactions/", limits::matrix_transaction_max_bytes);
    matrix::mount(server.routes(), adapters);
  } else {
    spdlog::info("matrix: off (MATRIX_AS_TOKEN and MATRIX_HS_TOKEN are not set)");
  }
  if (app.config().discord.enabled())
    discord::mount(server.routes(), adapters);
  else
    spdlog::info("discord: off (DISCORD_PUBLIC_KEY is not set)");
  if (app.config().slack.enabled())
    slack::mount(server.routes(), adapters);
  else
    spdlog::info("slack: off (SLACK_SIGNING_SECRET is not set)");
  mount_operations(server, app);
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
  Scheduler scheduler(app.store(), app.clock(), story_posters(app.config(), outbound, app.clock()), process_name());
  scheduler.start(limits::scheduler_tick);
  std::cout << "whygo listening on " << (app.config().tls.enabled() ? "https://" : "http://") << address->host << ":"
            << port << std::endl;
  const bool ok = server.run();
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  signal_waiter.join();
  scheduler.stop();   // finish the posts already claimed
  background.stop();  // finish replies already queued
  spdlog::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace

// JSON log lines: spdlog's pattern cannot escape the message, so a formatter flag does.
class JsonMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string escaped = nlohmann::json(std::string(msg.payload.data(), msg.payload.size())).dump();
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessage>(); }
};

void use_json_logs() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JsonMessage>('*').set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":%*})");
  spdlog::set_formatter(std::move(formatter));
}

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("whygo");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v", spdlog::pattern_time_type::utc);
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_file, log_format;
  for (std::size_t i = 0; i < args.size();) {
    if ((args[i] == "--config" || args[i] == "--log-format") && i + 1 < args.size()) {
      (args[i] == "--config" ? config_file : log_format) = args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    } else {
      ++i;
    }
  }
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  args.erase(args.begin());
  static const std::vector<std::string> verbs = {"serve",      "ask",     "import", "export", "story",
                                                 "post-story", "discord", "matrix", "config", "backup"};
  if (std::find(verbs.begin(), verbs.end(), verb) == verbs.end())
    return fail("unknown command \"" + verb + "\"; see whygo help");
  Config config;
  try {
    config = Config::load(config_file);
    if (!log_format.empty()) {
      if (log_format != "text" && log_format != "json") return fail("--log-format takes text or json");
      config.log_format = log_format;
    }
  } catch (const std::exception& e) {
    return fail(std::string("configuration: ") + e.what(), 2);
  }
  if (config.log_format == "json") use_json_logs();
  if (verb == "config") return cmd_config(config, args);
  if (verb == "matrix") return cmd_matrix(config, args);
  if (verb != "serve") spdlog::set_level(spdlog::level::warn);  // keep one-shot output clean
  try {
    SystemClock clock;
    App app(config, clock);
    if (verb == "serve") return cmd_serve(app);
    if (verb == "ask") return cmd_ask(app, args);
    if (verb == "import") return cmd_import(app, args);
    if (verb == "export") return cmd_export(app, args);
    if (verb == "discord") return cmd_discord(app, args);
    if (verb == "post-story") return cmd_post_story(app, args);
    if (verb == "backup") return cmd_backup(app, args);
    return cmd_story(app, args);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
}
