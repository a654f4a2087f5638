#include "app/cli.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "adapters/console/console.hpp"
#include "app/posting.hpp"
#include "bot/limits.hpp"
#include "bot/scheduler.hpp"
#include "bot/story.hpp"
#include "bot/wiki.hpp"

namespace whygo::cli {

int fail(const std::string& message, int code) {
  std::cerr << "whygo: " << message << "\n";
  return code;
}

int ask(App& app, const std::vector<std::string>& args) {
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

int import(App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("usage: whygo import FILE");
  std::ifstream in(args[0], std::ios::binary);
  if (!in) return fail("cannot read " + args[0]);
  std::ostringstream content;
  content << in.rdbuf();
  const std::string markdown = content.str();
  if (markdown.size() > limits::wiki_max_bytes) return fail(args[0] + " is larger than 4 MiB");
  const wiki::Page page = wiki::parse(markdown);
  if (page.links.empty()) return fail(args[0] + " holds no links (\"* [title](url) by author\" items)");
  const ImportCounts counts = app.store().import_links(page.sections, page.links, unix_seconds(app.clock()));
  std::cout << "imported " << args[0] << ": " << counts.added << " added, " << counts.updated << " updated, "
            << counts.unchanged << " unchanged; the catalog holds " << app.store().link_count() << " links\n";
  return 0;
}

int export_catalog(App& app, const std::vector<std::string>& args) {
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

int story(App& app, const std::vector<std::string>& args) {
  std::string text = "story";
  if (args.size() == 2 && args[0] == "--date")
    text += " " + args[1];
  else if (!args.empty())
    return fail("usage: whygo story [--date YYYY-MM-DD]");
  const Reply reply = app.dispatcher().handle(console::request(text, 0));
  std::cout << console::render(reply);
  return reply.error == ErrorKind::none ? 0 : 1;
}

int post_story(App& app, const std::vector<Adapter>& adapters, const std::vector<std::string>& args) {
  std::optional<std::int64_t> day;
  if (args.size() == 2 && args[0] == "--date") {
    const auto parsed = parse_date(args[1]);
    if (!parsed) return fail("--date takes YYYY-MM-DD, e.g. 2026-11-27");
    day = parsed->time_since_epoch().count();
  } else if (!args.empty()) {
    return fail("usage: whygo post-story [--date YYYY-MM-DD]");
  }
  OutboundClient outbound;
  auto posters = story_posters(adapters, outbound, app.clock());
  if (posters.empty()) return fail("no platform can post: configure a bot token (see README)", 1);
  Scheduler scheduler(app.store(), app.clock(), std::move(posters), process_name());
  scheduler.post_now(day);
  scheduler.wait_idle();
  const PostCounts counts = scheduler.counts();
  std::cout << "posted " << counts.sent << ", failed " << counts.failed << ", abandoned " << counts.abandoned << " ("
            << app.store().subscriptions().size() << " subscriptions; the rest had it already)\n";
  return counts.failed == 0 ? 0 : 1;
}

int config(const Config& config, const std::vector<Adapter>& adapters, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "check") return fail("usage: whygo config check [--config FILE]");
  nlohmann::json settings = config.describe();
  for (const Adapter& adapter : adapters) settings[adapter.name] = adapter.settings;
  std::cout << settings.dump(2) << "\nconfig OK\n";
  return 0;
}

int backup(App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("usage: whygo backup FILE");
  if (std::ifstream(args[0]).good()) return fail(args[0] + " exists; choose a new file");
  app.store().backup_to(args[0]);
  std::cout << "backed up " << app.store().link_count() << " links to " << args[0] << "\n";
  return 0;
}

}  // namespace whygo::cli
