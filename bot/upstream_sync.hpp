// Following the upstream wiki page: fetch it (conditionally, with the validators of the last
// time), check that it still reads as the wiki's "Why Go" page, and import it as the upstream's
// change (Database::apply_upstream). Used by `whygo sync`, the `sync` chat command and the
// schedule in `whygo serve`. The fetch itself is a function the composition root hands in (the
// safe fetcher: public addresses only, bodies capped), so this knows no HTTP client.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/clock.hpp"
#include "bot/database.hpp"
#include "bot/ip_range.hpp"
#include "bot/wiki.hpp"

namespace whygo::upstream {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct FetchRequest {
  std::string url;
  Headers headers;  // request headers to send (If-None-Match, If-Modified-Since, Accept)
  std::size_t max_body_bytes = 0;
};

struct FetchResponse {
  int status = 0;  // 0: no answer; error says why
  Headers headers;
  std::string body;
  std::string error;  // refused address, timeout, body over the cap, ...
  // The first header of that name (case-insensitive); empty when there is none.
  std::string header(std::string_view name) const;
};

// GET url with the request's headers.
using Fetch = std::function<FetchResponse(const FetchRequest&)>;

// The safe fetcher (bot/fetch.hpp) as a Fetch: public addresses only unless `allow` opens a
// block (WHYGO_FETCH_ALLOW), vetted after DNS and at every redirect, the body capped at the
// request's max_body_bytes (a longer page is an error, never half a page), within
// limits::upstream_fetch_timeout. `contact` (WHYGO_PUBLIC_URL) goes into its User-Agent.
Fetch safe_fetch(std::vector<IpRange> allow, std::string contact);

enum class Outcome { changed, unchanged, refused, failed };
std::string_view to_string(Outcome outcome);

struct Report {
  Outcome outcome = Outcome::failed;
  std::string url;
  bool not_modified = false;  // answered 304
  UpstreamApplied changes;
  std::string reason;  // refused or failed: why
};

// The report in a few lines, for chat and the command line: what was added, changed and
// removed (by id and title), or why nothing changed.
std::string describe(const Report& report);

// nullopt when the answer reads as the wiki page; otherwise why not.
std::optional<std::string> not_wiki_page(const FetchResponse& response, const wiki::Page& page);

// The actor a sync's audit rows name: platform "upstream", the page's URL as the user.
Actor actor_for(const std::string& url, std::int64_t at);

class Syncer {
 public:
  Syncer(Database& store, Fetch fetch, const Clock& clock, std::string url);
  // Syncs once, now, from the configured URL or `url`; logs the outcome (a refusal as a
  // warning), counts it in whygo_upstream_syncs_total and records it with the page's
  // validators. Never throws: a store failure is a failed report.
  Report run(const std::string& asked_by, const std::string& url = {});
  const std::string& url() const { return url_; }

 private:
  Database& store_;
  Fetch fetch_;
  const Clock& clock_;
  std::string url_;
};

}  // namespace whygo::upstream
