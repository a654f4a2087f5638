// Search alone, over the bundled catalog and synthetic ones (bench/synthetic.hpp): what building
// and opening the index costs, and the latency of Search::find (5 results) for the fixed query
// mix of bench/queries.hpp. A plain std::chrono loop. Per catalog, in a fresh SQLite file (WAL,
// as served) with its index beside it:
//   store    import_links of the whole catalog (SQL only)
//   index    the first Search over it: builds the index from the store
//   open     a second Search: opens the index as it is (what a restart costs)
//   follow   one link added through the store, then the first query (applies it, then answers)
// then the mix in rounds (at least 20, otherwise about 3 s) with no answer cache (every query is
// a first asking) and with the cache as served (repeats are look-ups), and for synthetic catalogs
// 2,000 distinct queries over its words, each asked once. Percentiles are over single queries.
//
//   whygo_bench_search [SIZE...]      sizes of synthetic catalogs; 0 means the bundled one
//
// WHYGO_BENCH_DIR=folder keeps the catalogs and their indexes there and reuses them on the next
// run (to compare two builds on the queries alone: run them at once, one per core, so both see
// the same noise); WHYGO_BENCH_BY_QUERY=1 adds a column per query to the table by kind.
//
// Prints markdown tables, then "SEARCH key=value" lines for bench/run.sh.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "bench/queries.hpp"
#include "bench/synthetic.hpp"
#include "bot/catalog_watch.hpp"
#include "bot/embedded.hpp"
#include "bot/limits.hpp"
#include "bot/search.hpp"
#include "bot/search_index.hpp"
#include "bot/store.hpp"
#include "bot/synonyms.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using whygo::Link;
using whygo::bench::query_mix;

double micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}
double millis(Clock::time_point since) {
  return micros(Clock::now() - since) / 1000.0;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())));
  return v[at];
}

// Peak resident memory of this process so far (VmHWM), in MB.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

std::uint64_t folder_bytes(const std::filesystem::path& folder) {
  std::uint64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder, error))
    if (entry.is_regular_file(error)) bytes += entry.file_size(error);
  return bytes;
}

struct Timings {
  std::string mode;  // "uncached": every query a first asking; "cached": as served; "distinct": each asked once
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_kind;
};

struct Catalog {
  std::string name;
  std::size_t links = 0, terms = 0;
  double store_ms = 0, index_ms = 0, open_ms = 0, follow_ms = 0, index_mb = 0, rss_mb = 0;
  std::vector<Timings> timings;
};

using Query = std::pair<std::string, std::string>;  // kind, text

Timings time_queries(whygo::Store& store, const std::string& mode, const std::vector<Query>& queries, bool repeat) {
  Timings t;
  t.mode = mode;
  // As the server searches: the catalog version kept in memory (bot/catalog_watch.hpp).
  whygo::CatalogWatch watch(store);
  whygo::Search search(watch, whygo::Synonyms::parse(whygo::embedded::synonyms_txt),
                       mode == "cached" ? whygo::limits::search_cache_entries : 0);
  const bool by_query = std::getenv("WHYGO_BENCH_BY_QUERY") != nullptr;
  const auto budget_end = Clock::now() + std::chrono::seconds(3);
  std::size_t sink = 0;
  for (int round = 0; round < (repeat ? 500 : 1) && (round < 20 || Clock::now() < budget_end); ++round) {
    for (const auto& [kind, text] : queries) {
      const auto t0 = Clock::now();
      const auto result = search.find(text, 0, 5);
      const double us = micros(Clock::now() - t0);
      sink += result.links.size();
      t.all.push_back(us);
      t.by_kind[kind].push_back(us);
      if (by_query) t.by_kind[kind + ":" + text].push_back(us);
    }
  }
  if (sink == 0) std::cerr << "warning: no query found anything\n";
  return t;
}

Catalog run(std::size_t size, const std::filesystem::path& dir) {
  const std::string db = (dir / ("search-" + std::to_string(size) + ".db")).string();
  Catalog c;
  c.name = size == 0 ? "bundled" : std::to_string(size);
  whygo::bench::Synthetic synthetic;
  const std::int64_t now = whygo::unix_seconds(std::chrono::system_clock::now());
  std::vector<Query> distinct;
  const bool reuse = std::filesystem::exists(db);
  {
    whygo::Store store(db);
    auto started = Clock::now();
    if (size == 0) {
      if (!reuse) whygo::import_wiki(store, whygo::embedded::wiki_md, now);
    } else {
      const std::vector<std::string> sections = {"Why Go", "Benchmarks", "Conference & Meetup", "Articles", "Talks"};
      const auto links = synthetic.catalog(size, sections);
      distinct = synthetic.queries(2000);
      started = Clock::now();
      if (!reuse) store.import_links(sections, links, now);
    }
    c.store_ms = reuse ? 0 : millis(started);
    c.links = store.link_count();
  }
  whygo::Store store(db);
  {
    auto started = Clock::now();
    { whygo::Search built(store, whygo::Synonyms{}); }
    c.index_ms = millis(started);
    started = Clock::now();
    whygo::Search opened(store, whygo::Synonyms{});
    c.open_ms = millis(started);
    Link added;
    added.title = "Go at Benchmarkcorp";
    added.url = "https://benchmarkcorp.example/blog/why-we-chose-go/";
    added.section = "Why Go";
    store.import_links({}, {added}, now);
    started = Clock::now();
    if (opened.find("benchmarkcorp", 0, 5).links.empty()) std::cerr << "warning: the added link was not found\n";
    c.follow_ms = millis(started);
  }
  {
    whygo::SearchIndex index(store, std::chrono::minutes(10));
    c.terms = index.read([](const Xapian::Database& db) {
      std::size_t n = 0;
      for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++n;
      return n;
    });
    c.index_mb = static_cast<double>(folder_bytes(index.folder())) / 1e6;
  }
  std::vector<Query> mix;
  for (const auto& q : query_mix) mix.emplace_back(q.kind, q.text);
  c.timings.push_back(time_queries(store, "uncached", mix, true));
  c.timings.push_back(time_queries(store, "cached", mix, true));
  if (!distinct.empty()) c.timings.push_back(time_queries(store, "distinct", distinct, false));
  c.rss_mb = peak_rss_mb();
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  if (sizes.empty()) sizes = {0, 10'000, 100'000};

  // WHYGO_BENCH_DIR keeps the catalogs there and reuses them on the next run (to iterate on
  // queries alone); by default they are built in a fresh folder and removed.
  const char* keep_in = std::getenv("WHYGO_BENCH_DIR");
  const bool keep = keep_in && *keep_in;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/whygo-search-bench-XXXXXX";
  if (keep) {
    pattern = keep_in;
    std::filesystem::create_directories(pattern);
  } else if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = pattern;
  std::vector<Catalog> catalogs;
  try {
    for (const std::size_t size : sizes) catalogs.push_back(run(size, dir));
  } catch (const std::exception& e) {
    std::cerr << "whygo_bench_search: " << e.what() << "\n";
    if (!keep) std::filesystem::remove_all(dir);
    return 1;
  }
  if (!keep) std::filesystem::remove_all(dir);

  std::printf("| catalog | links | index terms | index size | store | index | open | follow one change | peak RSS |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& c : catalogs)
    std::printf("| %s | %zu | %zu | %.1f MB | %.0f ms | %.0f ms | %.1f ms | %.2f ms | %.0f MB |\n", c.name.c_str(),
                c.links, c.terms, c.index_mb, c.store_ms, c.index_ms, c.open_ms, c.follow_ms, c.rss_mb);
  std::printf(
      "\n| catalog | queries | answers | samples | p50 | p90 | p99 | max |\n|---|---|---|---:|---:|---:|---:|---:|\n");
  for (const auto& c : catalogs)
    for (const auto& t : c.timings)
      std::printf("| %s | %s | %s | %zu | %.0f µs | %.0f µs | %.0f µs | %.0f µs |\n", c.name.c_str(),
                  t.mode == "distinct" ? "2,000 distinct" : "mix of 18", t.mode == "cached" ? "cached" : "first asking",
                  t.all.size(), percentile(t.all, 50), percentile(t.all, 90), percentile(t.all, 99),
                  *std::max_element(t.all.begin(), t.all.end()));
  std::printf("\nmedian (p99) by kind of query, µs:\n\n| catalog | queries |");
  const auto& kinds = catalogs.front().timings.front().by_kind;
  for (const auto& [kind, v] : kinds) std::printf(" %s |", kind.c_str());
  std::printf("\n|---|---|");
  for (std::size_t i = 0; i < kinds.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (const auto& c : catalogs)
    for (const auto& t : c.timings) {
      std::printf("| %s | %s |", c.name.c_str(), t.mode.c_str());
      for (const auto& [kind, ignored] : kinds) {
        const auto it = t.by_kind.find(kind);
        if (it == t.by_kind.end())
          std::printf(" |");
        else
          std::printf(" %.0f (%.0f) |", percentile(it->second, 50), percentile(it->second, 99));
      }
      std::printf("\n");
    }
  std::printf("\n");
  for (const auto& c : catalogs)
    for (const auto& t : c.timings)
      std::printf(
          "SEARCH catalog=%s queries=%s links=%zu terms=%zu index_mb=%.1f store_ms=%.0f index_ms=%.0f open_ms=%.1f "
          "follow_ms=%.2f rss_mb=%.0f samples=%zu p50=%.0f p90=%.0f p99=%.0f max=%.0f\n",
          c.name.c_str(), t.mode.c_str(), c.links, c.terms, c.index_mb, c.store_ms, c.index_ms, c.open_ms, c.follow_ms,
          c.rss_mb, t.all.size(), percentile(t.all, 50), percentile(t.all, 90), percentile(t.all, 99),
          *std::max_element(t.all.begin(), t.all.end()));
  return 0;
}
