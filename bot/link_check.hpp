// Link health: visits each catalog link (HEAD, then a one-byte ranged GET where HEAD is refused)
// through the safe fetcher (bot/fetch.hpp), politely: one request per host at a time, a pause
// between two requests to the same host, a global rate, whygo's own User-Agent. It records what
// it saw (LinkHealthBook); a link failing N checks in a row that span D days is dead, and search
// and the story of the day skip it. A permanent redirect to a live page becomes a fix offered to
// admins; a dead link's archived copy is looked up in the Internet Archive. Nothing fetched is
// kept but status, addresses and the archive's snapshot URL: no body is ever shown.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/fetch.hpp"
#include "bot/limits.hpp"
#include "bot/link.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

// WHYGO_LINK_DEAD_AFTER=N/D: dead after N failed checks in a row spanning at least D days.
struct DeadRule {
  int failures = 3;
  int days = 7;
  // "3/7"; throws std::invalid_argument naming `setting` otherwise.
  static DeadRule parse(const std::string& text, const std::string& setting);
  std::string text() const;
};

// What one visit says about a link.
enum class Verdict {
  alive,   // 2xx at the end
  failed,  // 404, 410, 5xx, timeout, no such host, refused address...: counts toward dead
  unsure,  // 401, 403, 429: the site would not say; neither success nor failure
};

struct LinkCheckSettings {
  DeadRule dead;
  std::chrono::milliseconds host_delay = limits::link_check_host_delay;  // between two requests to one host
  double rate = limits::link_check_rate;                                 // requests per second, over all hosts
  int workers = limits::link_check_workers;                              // hosts visited at once
  std::string archive_url = "https://archive.org/wayback/available";     // WHYGO_ARCHIVE_URL; empty: off
};

// What a run did, for the CLI, stats and metrics.
struct CheckSummary {
  std::size_t checked = 0;
  std::size_t alive = 0;
  std::size_t failed = 0;
  std::size_t unsure = 0;
  std::size_t newly_dead = 0;
  std::size_t fixes = 0;  // permanent redirects offered as fixes
};

class LinkChecker {
 public:
  LinkChecker(LinkHealthBook& book, const Fetcher& fetcher, const Clock& clock, LinkCheckSettings settings);

  // Visits these links, politely, and records each; returns when all are done or stop() is called.
  CheckSummary check(const std::vector<Link>& links);
  // One visit of one link and its record (what check() does for each).
  LinkHealth check_one(const Link& link);
  // Ends a run early (serve shutting down): the links not visited yet are left for the next run.
  void stop() { stopping_ = true; }

  // The verdict a visit's answer earns.
  static Verdict verdict(const FetchResponse& response);
  // The target of the permanent redirects the answer began with, when they lead to a live page.
  static std::string permanent_target(const FetchResponse& response);

 private:
  FetchResponse visit(const std::string& url);
  std::string archived_copy(const std::string& url);
  void pace();  // waits for the global rate's next slot

  LinkHealthBook& book_;
  const Fetcher& fetcher_;
  const Clock& clock_;
  LinkCheckSettings settings_;
  std::atomic<bool> stopping_ = false;
  std::mutex pace_mutex_;
  std::chrono::steady_clock::time_point next_slot_{};
};

// The host a link's URL names, lower case ("" when it has none): the unit of politeness.
std::string link_host(const std::string& url);

}  // namespace whygo
