// Helpers shared by the libFuzzer targets: splitting one input into fields, failing loudly on a
// broken invariant, and one App over a temporary SQLite file per fuzzing process.
#pragma once
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "bot/clock.hpp"
#include "bot/config.hpp"

namespace whygo::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Up to max_parts pieces separated by sep; the last piece keeps any further separators.
inline std::vector<std::string_view> split(std::string_view input, char sep, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const std::size_t at = input.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + 1);
  }
  parts.push_back(input);
  return parts;
}

// A broken invariant: print it and abort, so libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "\nwhygo fuzz invariant broken: %s\n  %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}
#define WHYGO_FUZZ_CHECK(cond, detail)                 \
  do {                                                 \
    if (!(cond)) ::whygo::fuzz::fail(#cond, (detail)); \
  } while (false)

// Logging off: the fuzzers run millions of inputs and the log lines are no finding. Set
// WHYGO_FUZZ_LOG=1 to see them while reproducing a crash (e.g. which exception a command threw).
inline void quiet() {
  static const bool once = [] {
    const char* log = std::getenv("WHYGO_FUZZ_LOG");
    if (!(log && *log && *log != '0')) spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)once;
}

inline std::chrono::system_clock::time_point fuzz_epoch() {
  // 2026-11-27 08:00 UTC, as the tests use.
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours(8);
}

// One App per process over a temporary database seeded with the bundled catalog. The seeded file
// is made once and kept as a template; reset() puts a fresh copy in place, so writes made by
// earlier inputs do not pile up (call it every few thousand inputs). The folder is removed at exit.
class AppFixture {
 public:
  static AppFixture& get() {
    static AppFixture fixture;
    return fixture;
  }

  App& app() { return *app_; }
  ManualClock& clock() { return clock_; }
  std::size_t base_link_count() const { return base_links_; }

  void reset() {
    app_.reset();
    remove_db(work_);
    std::filesystem::copy_file(template_, work_, std::filesystem::copy_options::overwrite_existing);
    Config config;
    config.db_path = work_.string();
    app_ = std::make_unique<App>(config, clock_);
  }

 private:
  AppFixture() : clock_(fuzz_epoch()) {
    quiet();
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/whygo-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    dir_ = pattern;
    template_ = dir_ / "template.db";
    work_ = dir_ / "work.db";
    {
      Config config;
      config.db_path = template_.string();
      App seed(config, clock_);  // imports data/WhyGo.md, then closes (and checkpoints) the file
      base_links_ = seed.store().link_count();
    }
    remove_sidecars(template_);
    reset();
    std::atexit([] { get().cleanup(); });
  }

  void cleanup() {
    app_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static void remove_sidecars(const std::filesystem::path& db) {
    std::error_code ignored;
    std::filesystem::remove(db.string() + "-wal", ignored);
    std::filesystem::remove(db.string() + "-shm", ignored);
    std::filesystem::remove(db.string() + "-journal", ignored);
  }
  static void remove_db(const std::filesystem::path& db) {
    std::error_code ignored;
    std::filesystem::remove(db, ignored);
    remove_sidecars(db);
  }

  ManualClock clock_;
  std::filesystem::path dir_, template_, work_;
  std::size_t base_links_ = 0;
  std::unique_ptr<App> app_;
};

}  // namespace whygo::fuzz
