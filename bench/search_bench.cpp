// Search alone: per-query latency of Search::find over the bundled catalog and over synthetic
// catalogs (default 10,000 and 100,000 links), for the fixed query mix of bench/queries.hpp.
// A plain std::chrono loop: each catalog is built in a fresh SQLite file (WAL, as served), the
// first query (which builds the typo vocabulary) is timed on its own, then the mix is run in
// rounds until a time budget is spent, and percentiles are taken over every single query.
//
//   whygo_bench_search [SIZE...]      sizes of synthetic catalogs; 0 means the bundled one
//
// Prints a markdown table, then one "SEARCH key=value" line per catalog for bench/run.sh.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "bench/queries.hpp"
#include "bot/embedded.hpp"
#include "bot/limits.hpp"
#include "bot/search.hpp"
#include "bot/store.hpp"
#include "bot/synonyms.hpp"
#include "bot/tags.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using whygo::Link;
using whygo::bench::query_mix;

double micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())));
  return v[at];
}

// Zipf-distributed picks from [0, n): a few items are common, most are rare, as words in titles.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cumulative_(n) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) cumulative_[r] = sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

// Pronounceable made-up words, so the vocabulary keeps growing with the catalog (as real titles'
// does) and typo correction has neighbours to consider.
std::vector<std::string> pseudo_words(std::size_t count, std::mt19937_64& rng) {
  static const char* onsets[] = {"b", "c", "d", "f",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",
                                 "v", "w", "z", "br", "cl", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th"};
  static const char* vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
  static const char* codas[] = {"", "", "", "n", "r", "s", "t", "l", "x", "nd", "st"};
  std::vector<std::string> out;
  std::map<std::string, bool> seen;
  while (out.size() < count) {
    std::string w;
    const int syllables = 2 + static_cast<int>(rng() % 3);
    for (int i = 0; i < syllables; ++i) {
      w += onsets[rng() % std::size(onsets)];
      w += vowels[rng() % std::size(vowels)];
    }
    w += codas[rng() % std::size(codas)];
    if (!seen.emplace(w, true).second) continue;
    out.push_back(w);
  }
  return out;
}

std::string capital(std::string w) {
  if (!w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
  return w;
}

// A catalog of n links shaped like the wiki's: "Go at Company" stories, "Why X chose Go",
// talks and articles by people, on a few thousand hosts, in the wiki's sections.
std::vector<Link> synthetic_catalog(std::size_t n, const std::vector<std::string>& sections) {
  std::mt19937_64 rng(42);
  static const std::vector<std::string> real_companies = {
      "Docker",     "YouTube",   "Cloudflare", "Dropbox",    "Uber",     "Twitch",     "Kubernetes", "InfluxDB",
      "SoundCloud", "Canonical", "Heroku",     "Bitly",      "Iron.io",  "CloudFlare", "Shopify",    "Netflix",
      "Monzo",      "Stripe",    "Segment",    "Mozilla",    "Facebook", "Google",     "Baidu",      "Tumblr",
      "Zalando",    "Basecamp",  "Vitess",     "Prometheus", "Grafana",  "HashiCorp"};
  static const std::vector<std::string> real_words = {
      "concurrency", "performance", "garbage",  "collection",     "gopher",     "gophers",  "microservices",
      "latency",     "compiler",    "scale",    "scaling",        "production", "rewrite",  "rewriting",
      "migration",   "python",      "java",     "ruby",           "node",       "services", "backend",
      "systems",     "network",     "cloud",    "simple",         "fast",       "lessons",  "learned",
      "years",       "journey",     "building", "infrastructure", "tooling",    "testing",  "deploy",
      "teams",       "goroutines",  "channels", "memory",         "runtime",    "database", "api",
      "web",         "servers",     "streaming"};
  static const std::vector<std::string> first_names = {
      "Rob",    "Brad",   "Dave",  "Andrew", "Russ",   "Ian",      "Robert", "Sameer",  "Francesc", "Katie",
      "Jaana",  "Carmen", "Bryan", "Peter",  "John",   "Matt",     "Steve",  "Paul",    "Derek",    "Joe",
      "Tobias", "Sugu",   "Alan",  "Bill",   "Kelsey", "Mitchell", "Ashley", "Natalie", "Julia",    "Sarah",
      "Emma",   "Liam",   "Noah",  "Mia",    "Lucas",  "Elena",    "Ivan",   "Yuki",    "Wei",      "Priya"};
  static const std::vector<std::string> last_names = {
      "Pike",      "Fitzpatrick", "Cheney",   "Gerrand",  "Cox",      "Taylor",       "Griesemer",      "Ajmani",
      "Campoy",    "Hockman",     "Dogan",    "Andrade",  "Mills",    "Bourgon",      "Graham-Cumming", "Holt",
      "Bate",      "Dix",         "Collison", "Beda",     "Lutke",    "Sougoumarane", "Donovan",        "Kennedy",
      "Hightower", "Hashimoto",   "McNamara", "Pantos",   "Evans",    "Smith",        "Jones",          "Brown",
      "Garcia",    "Miller",      "Davis",    "Martinez", "Lopez",    "Wilson",       "Anderson",       "Thomas",
      "Moore",     "Jackson",     "Martin",   "Lee",      "Perez",    "Thompson",     "White",          "Harris",
      "Sanchez",   "Clark",       "Ramirez",  "Lewis",    "Robinson", "Walker",       "Young",          "Allen",
      "King",      "Wright",      "Scott",    "Torres"};
  static const std::vector<std::string> media = {
      "YouTube", "Article", "dotGo 2015", "GopherCon 2016", "Slides", "FOSDEM 2017", "", "", "Blog"};
  const auto words = pseudo_words(60'000, rng);
  const auto made_up_companies = pseudo_words(3'000, rng);
  const auto host_words = pseudo_words(4'000, rng);
  static const char* tlds[] = {".com", ".io", ".org", ".net", ".dev", ".co.uk", ".de"};
  const Zipf word_pick(words.size(), 1.0), company_pick(made_up_companies.size() + real_companies.size(), 1.1),
      host_pick(host_words.size(), 1.05), person_pick(first_names.size() * last_names.size(), 0.9),
      real_word_pick(real_words.size(), 0.8);

  const auto word = [&] { return rng() % 10 < 3 ? real_words[real_word_pick(rng)] : words[word_pick(rng)]; };
  const auto company = [&] {
    const std::size_t at = company_pick(rng);
    return at < real_companies.size() ? real_companies[at] : capital(made_up_companies[at - real_companies.size()]);
  };

  std::vector<Link> links;
  links.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Link link;
    switch (rng() % 6) {
      case 0:
        link.title = "Go at " + company();
        break;
      case 1:
        link.title = "Why " + company() + " chose Go for " + word() + " " + word();
        break;
      case 2:
        link.title = capital(word()) + " " + word() + " " + word() + " in Go at " + company();
        break;
      default: {
        const int count = 3 + static_cast<int>(rng() % 5);
        link.title = capital(word());
        for (int k = 1; k < count; ++k) link.title += " " + word();
        if (rng() % 3 == 0) link.title += " with Go";
      }
    }
    if (rng() % 4 != 0) {
      const std::size_t p = person_pick(rng);
      link.author = first_names[p % first_names.size()] + " " + last_names[p / first_names.size()];
    }
    const std::size_t host = host_pick(rng);
    link.url = "https://" + std::string(rng() % 2 ? "www." : "") + host_words[host] + tlds[host % std::size(tlds)] +
               "/" + words[word_pick(rng)] + "/" + std::to_string(i);
    link.medium = media[rng() % media.size()];
    link.section = sections[rng() % sections.size()];
    whygo::tags::derive(link);
    links.push_back(std::move(link));
  }
  return links;
}

struct Row {
  std::string name;
  std::string mode;  // "uncached": every query ranked afresh; "cached": repeats hit the ranking cache
  std::size_t links = 0, terms = 0;
  double build_ms = 0, reimport_ms = 0, first_query_ms = 0, file_mb = 0;
  std::size_t samples = 0;
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_kind;
};

// Times the query mix against `store`, with or without Search's ranking cache.
void time_queries(whygo::Store& store, bool cached, Row& row) {
  row.mode = cached ? "cached" : "uncached";
  whygo::Search search(store, whygo::Synonyms::parse(whygo::embedded::synonyms_txt),
                       cached ? whygo::limits::search_cache_entries : 0);
  const auto first = Clock::now();
  const auto first_result = search.find(query_mix[0].text, 0, 5);
  row.first_query_ms = micros(Clock::now() - first) / 1000.0;
  if (first_result.links.empty()) std::cerr << "warning: no result for '" << query_mix[0].text << "'\n";

  // At least 20 rounds of the mix; more until ~3 s were spent or 500 rounds were run.
  const auto budget_end = Clock::now() + std::chrono::seconds(3);
  std::size_t sink = 0;
  for (int round = 0; round < 500 && (round < 20 || Clock::now() < budget_end); ++round) {
    for (const auto& q : query_mix) {
      const auto t0 = Clock::now();
      const auto result = search.find(q.text, 0, 5);
      const double us = micros(Clock::now() - t0);
      sink += result.links.size();
      row.all.push_back(us);
      row.by_kind[std::string(q.kind)].push_back(us);
    }
  }
  if (sink == 0) std::cerr << "warning: no query found anything\n";
  row.samples = row.all.size();
}

std::vector<Row> run(std::size_t size, const std::filesystem::path& dir) {
  const std::string db = (dir / ("search-" + std::to_string(size) + ".db")).string();
  Row row;
  row.name = size == 0 ? "bundled" : std::to_string(size);
  const std::int64_t now = whygo::unix_seconds(std::chrono::system_clock::now());
  const auto built = Clock::now();
  whygo::Store store(db);
  if (size == 0) {
    whygo::import_wiki(store, whygo::embedded::wiki_md, now);
  } else {
    const std::vector<std::string> sections = {"Why Go", "Benchmarks", "Conference & Meetup", "Articles", "Talks"};
    const auto links = synthetic_catalog(size, sections);
    store.import_links(sections, links, now);
    row.build_ms = micros(Clock::now() - built) / 1000.0;
    // The same catalog again: every link is matched to its row and found unchanged.
    const auto again = Clock::now();
    store.import_links(sections, links, now);
    row.reimport_ms = micros(Clock::now() - again) / 1000.0;
  }
  if (size == 0) row.build_ms = micros(Clock::now() - built) / 1000.0;
  row.links = store.link_count();
  row.terms = store.vocabulary().size();
  std::error_code ignored;
  row.file_mb = static_cast<double>(std::filesystem::file_size(db, ignored)) / 1e6;
  Row cached = row;
  time_queries(store, false, row);
  time_queries(store, true, cached);
  return {row, cached};
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  if (sizes.empty()) sizes = {0, 10'000, 100'000};

  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/whygo-search-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = pattern;
  std::vector<Row> rows;
  try {
    for (const std::size_t size : sizes)
      for (auto& row : run(size, dir)) rows.push_back(std::move(row));
  } catch (const std::exception& e) {
    std::cerr << "whygo_bench_search: " << e.what() << "\n";
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);

  std::printf(
      "| catalog | links | indexed terms | build | re-import | ranking | first query | queries | p50 | p90 | p99 | max "
      "|\n");
  std::printf("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& r : rows)
    std::printf("| %s | %zu | %zu | %.0f ms | %.0f ms | %s | %.2f ms | %zu | %.0f µs | %.0f µs | %.0f µs | %.0f µs |\n",
                r.name.c_str(), r.links, r.terms, r.build_ms, r.reimport_ms, r.mode.c_str(), r.first_query_ms,
                r.samples, percentile(r.all, 50), percentile(r.all, 90), percentile(r.all, 99),
                *std::max_element(r.all.begin(), r.all.end()));
  std::printf("\nmedian (p99) by kind of query, µs:\n\n| catalog | ranking |");
  for (const auto& [kind, v] : rows.front().by_kind) std::printf(" %s |", kind.c_str());
  std::printf("\n|---|---|");
  for (std::size_t i = 0; i < rows.front().by_kind.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (const auto& r : rows) {
    std::printf("| %s | %s |", r.name.c_str(), r.mode.c_str());
    for (const auto& [kind, v] : r.by_kind) std::printf(" %.0f (%.0f) |", percentile(v, 50), percentile(v, 99));
    std::printf("\n");
  }
  std::printf("\n");
  for (const auto& r : rows)
    std::printf(
        "SEARCH catalog=%s ranking=%s links=%zu terms=%zu build_ms=%.0f reimport_ms=%.0f first_ms=%.2f samples=%zu "
        "p50=%.0f p90=%.0f "
        "p99=%.0f max=%.0f\n",
        r.name.c_str(), r.mode.c_str(), r.links, r.terms, r.build_ms, r.reimport_ms, r.first_query_ms, r.samples,
        percentile(r.all, 50), percentile(r.all, 90), percentile(r.all, 99),
        *std::max_element(r.all.begin(), r.all.end()));
  return 0;
}
