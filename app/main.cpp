// whygo: the command line. `whygo serve` runs the service; the other verbs are for operators.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/adapters.hpp"
#include "app/app.hpp"
#include "app/cli.hpp"
#include "app/link_checking.hpp"
#include "app/log_sink.hpp"
#include "app/options.hpp"
#include "app/origins.hpp"
#include "app/serve.hpp"
#include "bot/log_text.hpp"

using namespace whygo;

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
  const cli::Options globals =
      cli::parse_options(std::vector<std::string>(argv + 1, argv + argc), cli::global_options(), true);
  // The server's log, a line per request, is written in batches unless a person watches it; the
  // other verbs' few lines go out at once, in order with what they print.
  const bool serving = !globals.words.empty() && globals.words[0] == "serve";
  spdlog::set_default_logger(serving && isatty(STDERR_FILENO) == 0 ? batched_stderr_logger("whygo")
                                                                   : spdlog::stderr_color_mt("whygo"));
  auto text = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  text->add_flag<TextMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  spdlog::set_formatter(std::move(text));
  if (globals.error) return cli::fail(*globals.error + "; see whygo help");
  if (globals.has("--version")) {
    std::cout << cli::version();
    return 0;
  }
  const std::vector<std::string>& words = globals.words;
  const std::vector<std::string> platforms = platform_names();
  if (words.empty() || words[0] == "help" || words[0] == "-h" || globals.has("--help")) {
    std::vector<Adapter> adapters;
    try {
      adapters = make_adapters(Config{});
    } catch (const std::exception&) {
      // A malformed setting is reported by the verbs that use it; help lists what exists.
    }
    const bool asked = globals.has("--help") || !words.empty();
    (asked ? std::cout : std::cerr) << cli::help(adapters);
    return asked ? 0 : 2;
  }
  const std::string verb = words[0];
  const std::vector<std::string> args(words.begin() + 1, words.end());
  if (verb.rfind("-", 0) == 0) return cli::fail("unknown option " + verb + "; see whygo help");
  const bool platform_verb = std::find(platforms.begin(), platforms.end(), verb) != platforms.end();
  const cli::Verb* core_verb = cli::find_verb(verb);
  if (!platform_verb && !core_verb) return cli::fail("unknown command \"" + verb + "\"; see whygo help");
  if (core_verb) {
    if (const auto problem = cli::check_usage(*core_verb, args)) return cli::usage_error(*core_verb, *problem);
  }
  Config config;
  std::vector<Adapter> adapters;
  try {
    config = Config::load(globals.value("--config"), platforms, chat_platform_names());
    if (globals.has("--db")) {
      if (globals.value("--db").empty()) return cli::fail("--db needs FILE");
      config.db_path = globals.value("--db");
      config.command_line["db"] = "--db";
    }
    if (globals.has("--log-format")) {
      const std::string format = globals.value("--log-format");
      if (format != "text" && format != "json") return cli::fail("--log-format takes text or json");
      config.log_format = format;
      config.command_line["log_format"] = "--log-format";
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
      return adapter->cli(cli::split_equals(args), std::cout, std::cerr);
    }
    // Only serve and import create a database: any other verb on a missing one was pointed at the
    // wrong place, and would answer from (or write into) a stray copy.
    if (verb != "serve" && verb != "import") {
      if (const auto missing = missing_database(config)) return cli::fail(*missing, 2);
    }
    // import reads its file first: a file that cannot be imported creates no database.
    std::optional<cli::ImportFile> import_file;
    if (verb == "import" && !(import_file = cli::read_import(args))) return 2;
    SystemClock clock;
    App app(config, clock, verb != "import");
    if (verb == "serve") return serve(app, adapters);
    if (verb == "ask") return cli::ask(app, args);
    if (verb == "import") return cli::import(app, *import_file);
    if (verb == "export") return cli::export_catalog(app, args);
    if (verb == "post-story") return cli::post_story(app, adapters, args);
    if (verb == "backup") return cli::backup(app, args);
    if (verb == "copy-store") return cli::copy_store(app, args);
    if (verb == "rotate-key") return cli::rotate_key(app, adapters);
    if (verb == "check-links") return check_links(app, args);
    if (verb == "sync") return cli::sync(app, args);
    return cli::story(app, args);
  } catch (const std::exception& e) {
    return cli::fail(e.what(), 1);
  }
}
