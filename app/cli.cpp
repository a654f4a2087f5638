#include "app/cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "adapters/console/console.hpp"
#include "app/posting.hpp"
#include "bot/limits.hpp"
#include "bot/scheduler.hpp"
#include "bot/search.hpp"
#include "bot/secret_box.hpp"
#include "bot/story.hpp"
#include "bot/wiki.hpp"

namespace whygo::cli {

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> all = {
      {"serve",
       "serve",
       "run the service: HTTP on WHYGO_LISTEN and the daily posts; creates the database when there is none",
       {},
       0,
       0,
       "It takes its address and database from the settings: WHYGO_LISTEN and WHYGO_DB, or \"listen\" and \"db\" "
       "in the --config file (whygo help lists them)."},
      {"ask",
       "ask [--json] [--offset N] [--] TEXT...",
       "run one chat command here, as an admin, and print the reply (--json: the platform-neutral reply); quote a "
       "title with spaces: whygo ask add URL \"Go by Example\"",
       {{"--json", ""}, {"--offset", "N"}},
       0,
       any_number,
       "Words that start with -- are options; put -- before chat text that starts with --."},
      {"import",
       "import FILE",
       "load wiki markdown into the catalog: adds what is new, updates what changed, keeps what admins changed; "
       "creates the database when there is none",
       {},
       1,
       1,
       ""},
      {"export",
       "export [FILE]",
       "write the catalog as wiki markdown (default: stdout) that imports back to the same catalog",
       {},
       0,
       1,
       ""},
      {"sync",
       "sync [--url URL]",
       "follow the upstream wiki page now (WHYGO_UPSTREAM_URL): add what is new, update what changed, take out "
       "what vanished from it unless admins touched it; refused when it is not the wiki's format or would remove "
       "too much",
       {{"--url", "URL"}},
       0,
       0,
       "The page is asked for with the validators of the last sync (If-None-Match, If-Modified-Since); only public "
       "http(s) addresses are fetched."},
      {"story",
       "story [--date YYYY-MM-DD]",
       "the Go story of the day (UTC), or of another date: fixed once the date has come, a forecast before",
       {{"--date", "YYYY-MM-DD"}},
       0,
       0,
       ""},
      {"post-story",
       "post-story [--date YYYY-MM-DD]",
       "post the day's story now to every subscribed channel that has not had it (for cron: once per channel and "
       "day; needs only the platforms' bot tokens)",
       {{"--date", "YYYY-MM-DD"}},
       0,
       0,
       ""},
      {"copy-store",
       "copy-store --to DATABASE",
       "copy the whole store (catalog and its history, suggestions, subscriptions, daily-post claims, tokens) into "
       "a new, empty database: a postgresql:// URI, or a SQLite file to go back; checked by counting every table",
       {{"--to", "DATABASE"}},
       0,
       0,
       "The target is created (a SQLite file) or migrated (PostgreSQL) first; it must hold nothing yet."},
      {"backup",
       "backup FILE",
       "copy the live database to a new FILE, consistently, while the service runs",
       {},
       1,
       1,
       ""},
      {"config",
       "config check",
       "check the settings as serve would read them: each value and where it came from, secrets masked; exit 1 "
       "when serve would not start or not be ready",
       {},
       1,
       1,
       ""},
      {"rotate-key",
       "rotate-key",
       "re-seal the stored platform tokens under a new WHYGO_SECRET_KEY; WHYGO_OLD_SECRET_KEY names the key they "
       "are sealed with now (safe to run again)",
       {},
       0,
       0,
       "Stop serve first, set WHYGO_SECRET_KEY to the new key and WHYGO_OLD_SECRET_KEY to the old one, run "
       "rotate-key, then start serve with the new key alone."},
      {"check-links",
       "check-links [--id N]",
       "visit every link (or link N) now, politely, and record its health: dead links leave search and the story, "
       "permanent redirects become fixes for admins (README, Link health)",
       {{"--id", "N"}},
       0,
       0,
       ""},
      {"help", "help", "this text (also --help; --version prints the version)", {}, 0, 0, ""},
  };
  return all;
}

const Verb* find_verb(const std::string& name) {
  for (const Verb& verb : verbs())
    if (verb.name == name) return &verb;
  return nullptr;
}

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> all = {
      {"--config", "FILE"}, {"--db", "FILE"}, {"--log-format", "text|json"}, {"--help", ""}, {"--version", ""}};
  return all;
}

std::optional<std::string> check_usage(const Verb& verb, const std::vector<std::string>& args) {
  const Options options = parse_options(args, verb.options);
  if (options.error) return options.error;
  const auto& words = options.words;
  if (words.size() < verb.min_words) return std::string("something is missing");
  if (words.size() > verb.max_words) return "unexpected \"" + words[verb.max_words] + "\"";
  if (verb.name == "config" && words[0] != "check") return "unknown \"" + words[0] + "\"";
  if (options.has("--offset")) {
    const std::string n = options.value("--offset");
    if (n.empty() || n.size() > 9 || !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::string("--offset takes a number, e.g. --offset 5");
  }
  if (verb.name == "check-links" && options.has("--id")) {
    const std::string id = options.value("--id");
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
      return "--id takes a link's number, e.g. --id 12";
  }
  if (verb.name == "sync" && options.has("--url")) {
    const std::string url = options.value("--url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      return std::string("--url takes an http:// or https:// URL");
  }
  if (verb.name == "post-story" && options.has("--date") && !parse_date(options.value("--date")))
    return std::string("--date takes YYYY-MM-DD, e.g. 2026-11-27");
  return std::nullopt;
}

int usage_error(const Verb& verb, const std::string& problem) {
  std::cerr << "whygo: " << verb.name << ": " << problem << "\nusage: whygo " << verb.usage << "\n";
  if (!verb.hint.empty()) std::cerr << verb.hint << "\n";
  return 2;
}

int fail(const std::string& message, int code) {
  std::cerr << "whygo: " << message << "\n";
  return code;
}

std::string version() {
  return std::string("whygo ") + WHYGO_VERSION + "\n";
}

namespace {

void setting_lines(std::ostringstream& out, const std::string& section,
                   const std::vector<settings::Documented>& documented) {
  for (const auto& s : documented) {
    std::string where = s.secret ? "(secret)" : !s.in_file ? "(environment)" : section + s.name;
    std::string line = "  " + s.variable;
    line.resize(std::max<std::size_t>(line.size() + 1, 27), ' ');
    line += where;
    line.resize(std::max<std::size_t>(line.size() + 1, 51), ' ');
    out << line << s.meaning << (s.fallback.empty() ? "" : "; default " + s.fallback) << "\n";
  }
}

}  // namespace

std::string help(const std::vector<Adapter>& adapters) {
  std::ostringstream out;
  out << "whygo " << WHYGO_VERSION << ": links on why teams chose Go, for Slack, Discord and Matrix.\n\n"
      << "Usage: whygo [--config FILE] [--db FILE] [--log-format text|json] COMMAND [ARGUMENTS]\n\nCommands:\n";
  for (const Verb& verb : verbs()) out << "  whygo " << verb.usage << "\n      " << verb.summary << "\n";
  for (const Adapter& adapter : adapters)
    if (adapter.cli)
      for (const Adapter::CliVerb& v : adapter.cli_verbs)
        out << "  whygo " << v.usage << "\n      " << v.summary << "\n";
  out << "\nOptions, before or after the command, as --name value or --name=value:\n"
         "  --config FILE            JSON settings (start from deploy/whygo.example.json); the environment wins\n"
         "  --db FILE                the database file; wins over WHYGO_DB and \"db\"\n"
         "  --log-format text|json   log lines as text or one JSON object per line\n"
         "  --version                the version\n"
         "\nSettings: the environment variable, or the key in the --config file. Secrets come only from the\n"
         "environment, directly or from the file that NAME_FILE names (SLACK_BOT_TOKEN_FILE=/run/secrets/x).\n";
  setting_lines(out, "", Config::documented());
  for (const Adapter& adapter : adapters) setting_lines(out, adapter.name + ".", adapter.documented);
  out << "\nExit codes: 0 done; 1 refused, no match or failed; 2 usage or settings error.\n";
  return out.str();
}

namespace {

// The words as one chat text. A word that holds spaces among other words was quoted for the
// shell: it keeps its quotes, so `whygo ask add URL "Go by Example"` reads "Go by Example" as the
// title. A single word is the whole text as typed (`whygo ask 'add URL "Go by Example"'`).
std::string chat_text(const std::vector<std::string>& words) {
  if (words.size() == 1) return words[0];
  std::string text;
  for (const std::string& word : words) {
    const bool spaced =
        std::any_of(word.begin(), word.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    const bool quotable = spaced && word.find('"') == std::string::npos;
    text += (text.empty() ? "" : " ") + (quotable ? "\"" + word + "\"" : word);
  }
  return text;
}

}  // namespace

int ask(App& app, const std::vector<std::string>& args) {
  const Options options = parse_options(args, find_verb("ask")->options);
  // check_usage() let only digits through.
  const std::size_t offset = options.has("--offset") ? std::stoul(options.value("--offset")) : 0;
  const Reply reply = app.dispatcher().handle(console::request(chat_text(options.words), offset));
  if (options.has("--json"))
    std::cout << console::to_json(reply).dump(2) << "\n";
  else
    std::cout << console::render(reply);
  return reply.error == ErrorKind::none ? 0 : 1;
}

std::optional<ImportFile> read_import(const std::vector<std::string>& arguments) {
  const std::vector<std::string> args = parse_options(arguments, {}).words;
  ImportFile file;
  file.name = args[0] == "-" ? "standard input" : args[0];
  std::ifstream opened;
  if (args[0] != "-") {
    errno = 0;
    opened.open(args[0], std::ios::binary);
    if (!opened) {
      fail("cannot read " + args[0] + (errno ? ": " + std::string(std::strerror(errno)) : ""));
      return std::nullopt;
    }
  }
  std::istream& in = args[0] == "-" ? std::cin : opened;
  std::string markdown;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    markdown.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (markdown.size() > limits::wiki_max_bytes) {
      fail(file.name + " is larger than " + std::to_string(limits::wiki_max_bytes >> 20) + " MiB");
      return std::nullopt;
    }
  }
  file.page = wiki::parse(markdown);
  for (const wiki::Skipped& skipped : file.page.skipped)
    std::cerr << "whygo: " << file.name << " line " << skipped.line << " skipped: " << skipped.reason << "\n";
  if (file.page.links.empty()) {
    fail(file.name + " holds no links that can be imported (\"* [title](url) by author\" items)");
    return std::nullopt;
  }
  return file;
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

int import(App& app, const ImportFile& file) {
  ImportProgress progress;
  progress.step("saving " + std::to_string(file.page.links.size()) + " links");
  const ImportCounts counts = app.store().import_links(file.page.sections, file.page.links, unix_seconds(app.clock()));
  app.search().catch_up(progress.counter("indexing"));  // searchable at once, here and in a running server
  progress.clear();
  std::cout << "imported " << file.name << ": " << counts.added << " added, " << counts.updated << " updated, "
            << counts.unchanged << " unchanged; the catalog holds " << app.store().link_count() << " links\n";
  if (file.page.skipped.empty()) return 0;
  // The rest is in; exit 1 so that a script notices what is not.
  std::cout << file.page.skipped.size() << " line(s) skipped, listed on stderr\n";
  return 1;
}

int export_catalog(App& app, const std::vector<std::string>& arguments) {
  const std::vector<std::string> args = parse_options(arguments, {}).words;
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

int sync(App& app, const std::vector<std::string>& args) {
  const Options options = parse_options(args, find_verb("sync")->options);
  const upstream::Report report = app.syncer()->run("console", options.has("--url") ? options.value("--url") : "");
  if (report.outcome == upstream::Outcome::refused || report.outcome == upstream::Outcome::failed)
    return fail(upstream::describe(report), 1);
  app.search().catch_up({});  // searchable at once, here and in a running server
  std::cout << upstream::describe(report) << "\n";
  return 0;
}

int story(App& app, const std::vector<std::string>& args) {
  const Options options = parse_options(args, find_verb("story")->options);
  std::string text = "story";
  if (options.has("--date")) text += " " + options.value("--date");
  const Reply reply = app.dispatcher().handle(console::request(text, 0));
  std::cout << console::render(reply);
  return reply.error == ErrorKind::none ? 0 : 1;
}

int rotate_key(App& app, const std::vector<Adapter>& adapters) {
  const auto fresh = SecretBox::from_text(app.config().secret_key);
  if (!fresh) return fail("rotate-key: set WHYGO_SECRET_KEY to the new key (openssl rand -hex 32)", 2);
  const auto old = SecretBox::from_text(app.config().old_secret_key);
  if (!old)
    return fail(
        "rotate-key: set WHYGO_OLD_SECRET_KEY to the key the tokens are sealed with now (64 hex digits or "
        "44 base64 characters)",
        2);
  std::size_t resealed = 0, current = 0;
  std::vector<std::string> lost;
  for (const Adapter& adapter : adapters) {
    for (Installation installation : app.store().installations(adapter.name)) {
      const std::string binding = installation_binding(installation.platform, installation.tenant);
      if (fresh->open(installation.sealed_token, binding)) {
        ++current;  // done by an earlier run
        continue;
      }
      const auto token = old->open(installation.sealed_token, binding);
      if (!token) {
        lost.push_back(binding);
        continue;
      }
      installation.sealed_token = fresh->seal(*token, binding);
      app.store().save_installation(installation);
      ++resealed;
    }
  }
  std::cout << "re-sealed " << resealed << " token(s) under the new key; " << current << " already were\n";
  for (const std::string& binding : lost)
    std::cerr << "whygo: the token of " << binding
              << " opens with neither key: that workspace must install whygo again\n";
  return lost.empty() ? 0 : 1;
}

int post_story(App& app, const std::vector<Adapter>& adapters, const std::vector<std::string>& args) {
  const Options options = parse_options(args, find_verb("post-story")->options);
  std::optional<std::int64_t> day;
  if (options.has("--date")) day = parse_date(options.value("--date"))->time_since_epoch().count();
  OutboundClient outbound;
  auto posters = story_posters(adapters, outbound, app.clock(), app.store(), true);
  // Subscriptions of a platform that cannot post are named with what posting needs there.
  std::map<std::string, std::size_t> waiting;
  const std::vector<Subscription> subscriptions = app.store().subscriptions();
  for (const Subscription& s : subscriptions)
    if (!posters.count(s.platform)) ++waiting[s.platform];
  for (const auto& [platform, count] : waiting) {
    const std::string& name = platform;  // clang 14 cannot capture a structured binding
    const auto adapter =
        std::find_if(adapters.begin(), adapters.end(), [&name](const Adapter& a) { return a.name == name; });
    const std::string needs = adapter == adapters.end() ? "an adapter this build does not have"
                                                        : adapter->posting_needs + " (see whygo config check)";
    std::cerr << "whygo: " << count << " subscribed " << platform << " channel(s) not posted: posting there needs "
              << needs << "\n";
  }
  if (subscriptions.empty()) {
    std::cout << "no channel is subscribed; nothing to post\n";
    return 0;
  }
  Scheduler scheduler(app.store(), app.clock(), std::move(posters), process_name());
  scheduler.post_now(day);
  scheduler.wait_idle();
  const PostCounts counts = scheduler.counts();
  std::cout << "posted " << counts.sent << ", failed " << counts.failed << ", abandoned " << counts.abandoned << " ("
            << subscriptions.size() << " subscriptions; the rest had it already)\n";
  return counts.failed == 0 && waiting.empty() ? 0 : 1;
}

int copy_store(App& app, const std::vector<std::string>& arguments) {
  const Options options = parse_options(arguments, find_verb("copy-store")->options);
  if (!options.has("--to")) return usage_error(*find_verb("copy-store"), "--to DATABASE is required");
  const std::string to = options.value("--to");
  if (!is_postgres_uri(to) && std::ifstream(to).good()) return fail(to + " exists; choose a new file");
  const std::unique_ptr<Database> target = open_database(to);
  const std::vector<TableRows> tables = app.store().copy_out();
  target->copy_in(tables);
  // Checked by counts: every table of the target holds as many rows as the snapshot copied.
  bool same = true;
  for (const TableRows& rows : tables) {
    const std::size_t copied = target->row_count(rows.table);
    std::cout << rows.table << ": " << rows.rows.size() << " copied, " << copied << " in the target\n";
    same = same && copied == rows.rows.size();
  }
  if (!same) return fail("the copy in " + target->describe() + " does not hold what was copied; do not use it", 1);
  std::cout << "copied " << app.store().describe() << " to " << target->describe() << "\n";
  return 0;
}

int backup(App& app, const std::vector<std::string>& arguments) {
  const std::vector<std::string> args = parse_options(arguments, {}).words;
  if (std::ifstream(args[0]).good()) return fail(args[0] + " exists; choose a new file");
  app.store().backup_to(args[0]);
  std::cout << "backed up " << app.store().link_count() << " links to " << args[0] << "\n";
  return 0;
}

}  // namespace whygo::cli
