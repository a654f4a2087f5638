#include "app/link_checking.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "app/cli.hpp"
#include "bot/metrics.hpp"

namespace whygo {
namespace {

std::string line_for(const Link& link, const LinkHealth& h) {
  std::string state = h.dead ? "dead" : h.failures > 0 ? "failing (" + std::to_string(h.failures) + " in a row)" : "ok";
  if (h.failures == 0 && !h.dead && (h.status == 401 || h.status == 403 || h.status == 429)) state = "unsure";
  std::string line = "#" + std::to_string(link.id) + " " + state + " " +
                     (h.status ? std::to_string(h.status) : std::string("-")) + " " + link.url;
  if (!h.error.empty()) line += " (" + h.error + ")";
  if (!h.fix_url.empty())
    line += " moved permanently to " + h.fix_url + " (fix offered: accept " + std::to_string(link.id) + ")";
  if (h.dead && !h.archive_url.empty()) line += " archived copy: " + h.archive_url;
  return line;
}

}  // namespace

FetchSettings fetch_settings(const Config& config) {
  FetchSettings s;
  s.allow = config.fetch_allow;
  s.user_agent = default_user_agent(config.public_url);
  return s;
}

LinkCheckSettings link_check_settings(const Config& config) {
  LinkCheckSettings s;
  s.dead = DeadRule::parse(config.link_dead_after, "WHYGO_LINK_DEAD_AFTER");
  s.archive_url = config.archive_url == "off" ? "" : config.archive_url;
  s.host_delay = std::chrono::milliseconds(config.link_host_delay_ms);
  return s;
}

int check_links(App& app, const std::vector<std::string>& arguments) {
  const cli::Options options = cli::parse_options(arguments, cli::find_verb("check-links")->options);
  std::vector<Link> links;
  if (options.has("--id")) {
    const std::string id = options.value("--id");
    const auto link = app.store().link(std::stoll(id));
    if (!link) return cli::fail("there is no link #" + id + " in the catalog", 1);
    links.push_back(*link);
  } else {
    links = app.store().links();
  }
  const Fetcher fetcher(fetch_settings(app.config()));
  LinkChecker checker(app.store(), fetcher, app.clock(), link_check_settings(app.config()));
  const CheckSummary summary = checker.check(links);
  for (const Link& link : links)
    if (const auto h = app.store().link_health(link.id); h && h->url == link.url)
      std::cout << line_for(link, *h) << "\n";
  const HealthCounts counts = app.store().health_counts();
  std::cout << "checked " << summary.checked << ": " << summary.alive << " ok, " << summary.failed << " failed, "
            << summary.unsure << " unsure; " << summary.newly_dead << " newly dead. Catalog: " << counts.alive
            << " alive, " << counts.redirected << " redirected (fixes offered), " << counts.dead << " dead, "
            << counts.failing << " failing\n";
  return 0;
}

std::size_t link_check_batch(std::size_t links, std::chrono::seconds period, std::chrono::milliseconds tick) {
  const auto ticks =
      static_cast<std::size_t>(std::max<std::int64_t>(1, period / std::max(tick, std::chrono::milliseconds(1))));
  return std::max<std::size_t>(1, (links + ticks - 1) / ticks);
}

LinkCheckLoop::LinkCheckLoop(App& app, std::chrono::seconds period, std::chrono::milliseconds tick)
    : app_(app),
      period_(period),
      tick_(tick),
      fetcher_(fetch_settings(app.config())),
      checker_(app.store(), fetcher_, app.clock(), link_check_settings(app.config())) {}

LinkCheckLoop::~LinkCheckLoop() {
  stop();
}

void LinkCheckLoop::start() {
  if (period_.count() <= 0) {
    spdlog::info("link check: off (WHYGO_LINK_CHECK=never)");
    return;
  }
  thread_ = std::thread([this] { run(); });
}

void LinkCheckLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  checker_.stop();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LinkCheckLoop::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // The first batch waits a tick too: a restart does not hammer the sites.
      if (wake_.wait_for(lock, tick_, [this] { return stopping_; })) return;
    }
    try {
      // Each tick takes its share of the catalog, so every link comes round about once a period.
      const std::size_t batch = link_check_batch(app_.store().link_count(), period_, tick_);
      const std::int64_t due = unix_seconds(app_.clock()) - period_.count();
      const auto links = app_.store().links_to_check(due, batch);
      if (!links.empty()) checker_.check(links);
    } catch (const std::exception& e) {
      spdlog::error("link check: {}", e.what());
    }
  }
}

}  // namespace whygo
