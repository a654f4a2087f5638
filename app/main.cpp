// whygo: the command line. `whygo serve` runs the service; the other verbs are for operators.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/adapters.hpp"
#include "app/app.hpp"
#include "app/cli.hpp"
#include "app/serve.hpp"
#include "bot/log_text.hpp"

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

// Text log lines: every message escaped (bot/log_text.hpp), so nothing a request carries can
// start a line or drive the terminal, whichever log call let it in.
class TextMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string escaped = log_text::line(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<TextMessage>(); }
};

void use_json_logs() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JsonMessage>('*').set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":%*})");
  spdlog::set_formatter(std::move(formatter));
}

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("whygo");
  spdlog::set_default_logger(logger);
  auto text = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  text->add_flag<TextMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  spdlog::set_formatter(std::move(text));
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
  static const std::vector<std::string> core_verbs = {"serve", "ask",        "import", "export",
                                                      "story", "post-story", "config", "backup"};
  const std::vector<std::string> platforms = platform_names();
  const bool platform_verb = std::find(platforms.begin(), platforms.end(), verb) != platforms.end();
  if (!platform_verb && std::find(core_verbs.begin(), core_verbs.end(), verb) == core_verbs.end())
    return cli::fail("unknown command \"" + verb + "\"; see whygo help");
  Config config;
  std::vector<Adapter> adapters;
  try {
    config = Config::load(config_file, platforms);
    if (!log_format.empty()) {
      if (log_format != "text" && log_format != "json") return cli::fail("--log-format takes text or json");
      config.log_format = log_format;
    }
    adapters = make_adapters(config);
  } catch (const std::exception& e) {
    return cli::fail(std::string("configuration: ") + e.what(), 2);
  }
  if (config.log_format == "json") use_json_logs();
  if (verb == "config") return cli::config(config, adapters, args);
  if (verb != "serve") spdlog::set_level(spdlog::level::warn);  // keep one-shot output clean
  try {
    // A platform's own set-up verbs need no database: `whygo discord register`, `whygo matrix ...`.
    if (platform_verb) {
      const auto adapter =
          std::find_if(adapters.begin(), adapters.end(), [&](const Adapter& a) { return a.name == verb; });
      if (!adapter->cli) return cli::fail("\"" + verb + "\" has no commands of its own; see whygo help");
      return adapter->cli(args, std::cout, std::cerr);
    }
    SystemClock clock;
    App app(config, clock);
    if (verb == "serve") return serve(app, adapters);
    if (verb == "ask") return cli::ask(app, args);
    if (verb == "import") return cli::import(app, args);
    if (verb == "export") return cli::export_catalog(app, args);
    if (verb == "post-story") return cli::post_story(app, adapters, args);
    if (verb == "backup") return cli::backup(app, args);
    return cli::story(app, args);
  } catch (const std::exception& e) {
    return cli::fail(e.what(), 1);
  }
}
