#include "bot/link_check.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <stdexcept>
#include <thread>

#include "bot/metrics.hpp"
#include "bot/text.hpp"
#include "bot/url.hpp"

namespace whygo {
namespace {

constexpr std::int64_t day_seconds = 24 * 60 * 60;

bool positive_digits(const std::string& s) {
  return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void count_check(Verdict verdict) {
  static const char* names[] = {"alive", "failed", "unsure"};
  Metrics::global().count("whygo_link_checks_total", {{"result", names[static_cast<int>(verdict)]}});
}

}  // namespace

DeadRule DeadRule::parse(const std::string& text, const std::string& setting) {
  const std::size_t slash = text.find('/');
  const std::string n = text.substr(0, slash);
  const std::string d = slash == std::string::npos ? "" : text.substr(slash + 1);
  if (!positive_digits(n) || !positive_digits(d) || std::stoi(n) < 1)
    throw std::invalid_argument(setting +
                                ": expected N/D, failed checks in a row / days they span, e.g. 3/7 (1/0: "
                                "dead at the first failure), got \"" +
                                text + "\"");
  return {std::stoi(n), std::stoi(d)};
}

std::string DeadRule::text() const {
  return std::to_string(failures) + "/" + std::to_string(days);
}

std::string link_host(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  std::size_t start = scheme + 3;
  const std::size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (const std::size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[')
    return text::lower_ascii(authority.substr(0, authority.find(']') + 1));
  return text::lower_ascii(authority.substr(0, authority.find(':')));
}

LinkChecker::LinkChecker(LinkHealthBook& book, const Fetcher& fetcher, const Clock& clock, LinkCheckSettings settings)
    : book_(book), fetcher_(fetcher), clock_(clock), settings_(std::move(settings)) {}

Verdict LinkChecker::verdict(const FetchResponse& r) {
  if (r.error == FetchError::none && r.status >= 200 && r.status < 300) return Verdict::alive;
  // The site would not tell us (a login, a wall against bots, too many requests): no evidence.
  if (r.status == 401 || r.status == 403 || r.status == 429) return Verdict::unsure;
  return Verdict::failed;
}

std::string LinkChecker::permanent_target(const FetchResponse& r) {
  if (verdict(r) != Verdict::alive) return {};
  std::string target;
  for (std::size_t i = 0; i + 1 < r.hops.size(); ++i) {
    if (r.hops[i].status != 301 && r.hops[i].status != 308) break;
    target = r.hops[i + 1].url;
  }
  return target;
}

void LinkChecker::pace() {
  if (settings_.rate <= 0) return;
  const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / settings_.rate));
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard lock(pace_mutex_);
    const auto now = std::chrono::steady_clock::now();
    slot = std::max(now, next_slot_);
    next_slot_ = slot + gap;
  }
  std::this_thread::sleep_until(slot);
}

FetchResponse LinkChecker::visit(const std::string& url) {
  pace();
  FetchResponse head = fetcher_.fetch({"HEAD", url, {}});
  // HEAD refused (405 Method Not Allowed, 501 Not Implemented): the first byte by GET instead.
  if (head.status != 405 && head.status != 501) return head;
  pace();
  return fetcher_.fetch({"GET", url, {{"Range", "bytes=0-0"}}});
}

// The Internet Archive's availability API (https://archive.org/help/wayback_api.php):
// GET <base>?url=<link> answers {"archived_snapshots": {"closest": {"available": true,
// "url": "http://web.archive.org/web/2013.../example.com", "timestamp": "...", "status": "200"}}}.
std::string LinkChecker::archived_copy(const std::string& url) {
  if (settings_.archive_url.empty()) return {};
  pace();
  const std::string separator = settings_.archive_url.find('?') == std::string::npos ? "?" : "&";
  const FetchResponse r =
      fetcher_.fetch({"GET", settings_.archive_url + separator + "url=" + text::percent_encode(url), {}});
  if (r.status != 200) {
    spdlog::warn("archive lookup for {} failed: {} {}", url, r.status, r.detail);
    return {};
  }
  const auto json = nlohmann::json::parse(r.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return {};
  const auto snapshots = json.find("archived_snapshots");
  if (snapshots == json.end() || !snapshots->is_object()) return {};
  const auto closest = snapshots->find("closest");
  if (closest == snapshots->end() || !closest->is_object()) return {};
  const auto available = closest->find("available");
  const auto snapshot = closest->find("url");
  if (available == closest->end() || !available->is_boolean() || !available->get<bool>()) return {};
  if (snapshot == closest->end() || !snapshot->is_string()) return {};
  const auto status = closest->find("status");
  if (status != closest->end() && status->is_string() && status->get<std::string>().rfind("2", 0) != 0) return {};
  // Shown to people as a link: held to the same rules as the links admins add.
  const std::string copy = snapshot->get<std::string>();
  if (url::problem(copy)) return {};
  return copy;
}

LinkHealth LinkChecker::check_one(const Link& link) {
  const std::int64_t now = unix_seconds(clock_);
  LinkHealth h = book_.link_health(link.id).value_or(LinkHealth{});
  if (h.url != link.url) {
    h = LinkHealth{};  // a new URL starts afresh
    h.link_id = link.id;
    h.url = link.url;
  }
  const FetchResponse r = visit(link.url);
  const Verdict v = verdict(r);
  count_check(v);
  h.checked_at = now;
  h.status = r.status;
  h.final_url = r.final_url;
  h.error = r.error == FetchError::none ? "" : std::string(to_string(r.error)) + ": " + r.detail;
  if (v == Verdict::alive) {
    h.last_success = now;
    h.failures = 0;
    h.failing_since = 0;
    h.dead = false;
    const std::string target = permanent_target(r);
    h.fix_url = target != link.url ? target : "";
  } else if (v == Verdict::failed) {
    if (h.failures == 0) h.failing_since = now;
    ++h.failures;
    h.fix_url.clear();
    const bool long_enough = now - h.failing_since >= std::int64_t{settings_.dead.days} * day_seconds;
    h.dead = h.failures >= settings_.dead.failures && long_enough;
    // A dead link's archived copy, looked up again at most once a week.
    if (h.dead && (h.archive_url.empty() || now - h.archive_checked_at >= 7 * day_seconds) &&
        now - h.archive_checked_at >= day_seconds) {
      h.archive_url = archived_copy(link.url);
      h.archive_checked_at = now;
    }
  }
  book_.save_link_health(h);
  return h;
}

CheckSummary LinkChecker::check(const std::vector<Link>& links) {
  // One queue per host; a worker takes a whole host, so one request per host is ever in flight.
  std::map<std::string, std::vector<const Link*>> by_host;
  for (const Link& link : links) by_host[link_host(link.url)].push_back(&link);
  std::deque<std::vector<const Link*>> hosts;
  for (auto& [host, queue] : by_host) hosts.push_back(std::move(queue));
  std::mutex mutex;
  CheckSummary summary;
  const auto work = [&] {
    while (!stopping_) {
      std::vector<const Link*> queue;
      {
        std::lock_guard lock(mutex);
        if (hosts.empty()) return;
        queue = std::move(hosts.front());
        hosts.pop_front();
      }
      for (std::size_t i = 0; i < queue.size() && !stopping_; ++i) {
        if (i > 0) std::this_thread::sleep_for(settings_.host_delay);
        const bool was_dead = [&] {
          const auto before = book_.link_health(queue[i]->id);
          return before && before->dead && before->url == queue[i]->url;
        }();
        LinkHealth h;
        try {
          h = check_one(*queue[i]);
        } catch (const std::exception& e) {
          spdlog::error("link check of {} failed: {}", queue[i]->url, e.what());
          continue;
        }
        std::lock_guard lock(mutex);
        ++summary.checked;
        if (h.error.empty() && h.status >= 200 && h.status < 300) {
          ++summary.alive;
        } else if (h.status == 401 || h.status == 403 || h.status == 429) {
          ++summary.unsure;
        } else {
          ++summary.failed;
        }
        if (h.dead && !was_dead) ++summary.newly_dead;
        if (!h.fix_url.empty()) ++summary.fixes;
        // A host that asks us to slow down is left alone for the rest of this run.
        if (h.status == 429) {
          spdlog::info("link check: {} answered 429; its other links wait for the next run", link_host(h.url));
          break;
        }
      }
    }
  };
  std::vector<std::thread> threads;
  const int n = std::max(1, std::min<int>(settings_.workers, static_cast<int>(hosts.size())));
  for (int i = 0; i < n; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  return summary;
}

}  // namespace whygo
