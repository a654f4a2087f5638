#include "bot/upstream_sync.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/catalog_import.hpp"
#include "bot/fetch.hpp"
#include "bot/limits.hpp"
#include "bot/log_text.hpp"
#include "bot/metrics.hpp"

namespace whygo::upstream {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "#12 "Title"", for the report; at most `shown` of them, then how many more.
std::string named(const std::vector<const Link*>& links, std::size_t shown = 10) {
  std::string out;
  for (std::size_t i = 0; i < links.size() && i < shown; ++i)
    out += (i ? ", " : "") + ("#" + std::to_string(links[i]->id) + " \"" + links[i]->title + "\"");
  if (links.size() > shown) out += " and " + std::to_string(links.size() - shown) + " more";
  return out;
}

// Which fields of a link the page changed: "title, url".
std::string changed_fields(const Link& before, const Link& after) {
  std::vector<std::string> fields;
  if (before.title != after.title) fields.emplace_back("title");
  if (before.url != after.url) fields.emplace_back("url");
  if (before.author != after.author) fields.emplace_back("author");
  if (before.medium != after.medium) fields.emplace_back("medium");
  if (before.section != after.section) fields.emplace_back("section");
  if (fields.empty()) fields.emplace_back("tags");
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace

std::string FetchResponse::header(std::string_view name) const {
  const std::string wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (lower(key) == wanted) return value;
  return {};
}

Fetch safe_fetch(std::vector<IpRange> allow, std::string contact) {
  return [allow = std::move(allow), contact = std::move(contact)](const FetchRequest& request) {
    FetchSettings settings;
    settings.allow = allow;
    settings.max_body = request.max_body_bytes;
    settings.deadline = limits::upstream_fetch_timeout;
    settings.user_agent = default_user_agent(contact);
    whygo::FetchRequest get;
    get.url = request.url;
    for (const auto& [name, value] : request.headers) get.headers.emplace(name, value);
    const whygo::FetchResponse got = Fetcher(std::move(settings)).fetch(get);
    FetchResponse out;
    if (got.error != FetchError::none) {
      out.error = got.detail.empty() ? std::string(to_string(got.error)) : got.detail;
      return out;
    }
    if (got.truncated) {
      out.error = "the page is larger than " + std::to_string(request.max_body_bytes / (1024 * 1024)) + " MiB";
      return out;
    }
    out.status = got.status;
    out.headers.assign(got.headers.begin(), got.headers.end());
    out.body = got.body;
    return out;
  };
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::changed:
      return "changed";
    case Outcome::unchanged:
      return "unchanged";
    case Outcome::refused:
      return "refused";
    case Outcome::failed:
      return "failed";
  }
  return "failed";
}

Actor actor_for(const std::string& url, std::int64_t at) {
  return {catalog_import::upstream_platform, url, at};
}

std::optional<std::string> not_wiki_page(const FetchResponse& response, const wiki::Page& page) {
  // Nothing fetched is rendered as HTML: an HTML page (go.dev/wiki/WhyGo, a login or error
  // page) is not the markdown source, whatever links it holds.
  const std::string type = lower(response.header("Content-Type"));
  std::string_view start(response.body);
  while (!start.empty() &&
         (start.front() == ' ' || start.front() == '\n' || start.front() == '\r' || start.front() == '\t'))
    start.remove_prefix(1);
  const std::string opening = lower(start.substr(0, 15));
  if (type.rfind("text/html", 0) == 0 || type.rfind("application/xhtml", 0) == 0 ||
      opening.rfind("<!doctype html", 0) == 0 || opening.rfind("<html", 0) == 0)
    return "it is an HTML page, not the wiki's markdown (the URL should be the raw .md file)";
  if (page.links.empty())
    return "it holds no \"* [title](url) by author\" items under \"# Section\" headings: not the wiki's format";
  if (page.skipped.size() > page.links.size())
    return "most of its list items (" + std::to_string(page.skipped.size()) + " of " +
           std::to_string(page.skipped.size() + page.links.size()) + ") are not links the catalog takes";
  return std::nullopt;
}

std::string describe(const Report& r) {
  switch (r.outcome) {
    case Outcome::failed:
      return "Sync from " + r.url + " failed, nothing changed: " + r.reason + ".";
    case Outcome::refused:
      return "Sync from " + r.url + " refused, nothing changed: " + r.reason + ".";
    case Outcome::unchanged:
      if (r.not_modified) return "Sync from " + r.url + ": unchanged since the last sync (the page was not modified).";
      return "Sync from " + r.url + ": unchanged; the catalog already holds the page (" +
             std::to_string(r.changes.unchanged) + " links).";
    case Outcome::changed:
      break;
  }
  const UpstreamApplied& c = r.changes;
  std::string out = "Synced from " + r.url + ": " + std::to_string(c.added.size()) + " added, " +
                    std::to_string(c.updated.size()) + " changed, " + std::to_string(c.removed.size()) + " removed, " +
                    std::to_string(c.unchanged) + " unchanged.";
  std::vector<const Link*> list;
  for (const Link& l : c.added) list.push_back(&l);
  if (!list.empty()) out += "\nAdded: " + named(list) + ".";
  if (!c.updated.empty()) {
    out += "\nChanged: ";
    for (std::size_t i = 0; i < c.updated.size() && i < 10; ++i) {
      const auto& [before, after] = c.updated[i];
      out += (i ? ", " : "") +
             ("#" + std::to_string(after.id) + " \"" + after.title + "\" (" + changed_fields(before, after) + ")");
    }
    if (c.updated.size() > 10) out += " and " + std::to_string(c.updated.size() - 10) + " more";
    out += ".";
  }
  list.clear();
  for (const Link& l : c.removed) list.push_back(&l);
  if (!list.empty()) out += "\nRemoved (gone from the page): " + named(list) + ".";
  if (c.kept)
    out += "\nKept " + std::to_string(c.kept) + (c.kept == 1 ? " link" : " links") +
           " the page lacks: admins added or changed " + (c.kept == 1 ? "it." : "them.");
  return out;
}

Syncer::Syncer(Database& store, Fetch fetch, const Clock& clock, std::string url)
    : store_(store), fetch_(std::move(fetch)), clock_(clock), url_(std::move(url)) {}

Report Syncer::run(const std::string& asked_by, const std::string& url) {
  Report report;
  report.url = url.empty() ? url_ : url;
  const std::int64_t now = unix_seconds(clock_);
  std::optional<UpstreamState> before;
  try {
    before = store_.upstream_state(report.url);
    FetchRequest request{
        report.url, {{"Accept", "text/markdown, text/plain;q=0.9, */*;q=0.1"}}, limits::upstream_max_bytes};
    // RFC 9110 13.1.2 / 13.1.3: the validators the page sent with the version imported last.
    if (before && !before->etag.empty()) request.headers.emplace_back("If-None-Match", before->etag);
    if (before && !before->last_modified.empty())
      request.headers.emplace_back("If-Modified-Since", before->last_modified);
    const FetchResponse response = fetch_(request);
    if (!response.error.empty()) {
      report.reason = response.error;
    } else if (response.status == 304) {
      report.outcome = Outcome::unchanged;
      report.not_modified = true;
    } else if (response.status != 200) {
      report.reason = "the page answered HTTP " + std::to_string(response.status);
    } else {
      const wiki::Page page = wiki::parse(response.body);
      if (const auto why = not_wiki_page(response, page)) {
        report.outcome = Outcome::refused;
        report.reason = *why;
      } else {
        report.changes = store_.apply_upstream(page.sections, page.links, actor_for(report.url, now),
                                               limits::sync_max_removed_share);
        if (report.changes.refused) {
          report.outcome = Outcome::refused;
          report.reason = *report.changes.refused;
        } else {
          const auto& c = report.changes;
          report.outcome =
              c.added.empty() && c.updated.empty() && c.removed.empty() ? Outcome::unchanged : Outcome::changed;
        }
      }
    }
    UpstreamState state = before.value_or(UpstreamState{});
    state.url = report.url;
    state.checked_at = now;
    if (report.outcome == Outcome::changed) state.changed_at = now;
    if ((report.outcome == Outcome::changed || report.outcome == Outcome::unchanged) && !report.not_modified) {
      // Taken: its validators are the ones to send next time (none when it sent none).
      state.etag = response.header("ETag");
      state.last_modified = response.header("Last-Modified");
    }
    state.outcome = std::string(to_string(report.outcome)) + (report.reason.empty() ? "" : ": " + report.reason);
    store_.save_upstream_state(state);
  } catch (const StoreError& e) {
    report.outcome = Outcome::failed;
    report.reason = e.what();
  }
  Metrics::global().count("whygo_upstream_syncs_total", {{"outcome", std::string(to_string(report.outcome))}});
  const auto& c = report.changes;
  if (report.outcome == Outcome::refused || report.outcome == Outcome::failed)
    spdlog::warn("sync from {} (asked by {}) {}: {}", log_text::field(report.url), log_text::field(asked_by),
                 to_string(report.outcome), log_text::field(report.reason));
  else
    spdlog::info("sync from {} (asked by {}): {}, {} added, {} changed, {} removed, {} kept",
                 log_text::field(report.url), log_text::field(asked_by), to_string(report.outcome), c.added.size(),
                 c.updated.size(), c.removed.size(), c.kept);
  return report;
}

}  // namespace whygo::upstream
