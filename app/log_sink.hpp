// Where `whygo serve` writes its log when stderr is not a terminal (a pipe, a file, the journal).
//
// spdlog's console sinks take one process-wide lock around formatting a line and writing it, one
// write(2) per line. With a line per request, at 25,000 requests a second that was a tenth of the
// server's time, a third of it threads waiting for that lock (perf, bench/frontdoor.sh). Here each
// thread formats with its own copy of the formatter, and the lines are gathered and written
// together: when the buffer fills, at once for warnings and errors (flush_on), at least every
// second (flush_every), and when the sink goes at exit.
#pragma once
#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace whygo {

class BatchedSink final : public spdlog::sinks::sink {
 public:
  explicit BatchedSink(int fd);
  ~BatchedSink() override;

  void log(const spdlog::details::log_msg& msg) override;
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

  static constexpr std::size_t flush_bytes = 32 * 1024;

 private:
  int fd_;
  std::mutex formatter_mutex_;
  std::unique_ptr<spdlog::formatter> formatter_;  // each thread formats with a clone
  std::atomic<std::uint64_t> generation_;         // which formatter the clones were made from
  std::mutex buffer_mutex_;
  std::string buffer_;  // lines not written yet
  std::mutex write_mutex_;
  std::string writing_;  // under write_mutex_: what leaves, in the order it was gathered
};

// The logger `whygo serve` uses when stderr is not a terminal: a BatchedSink on stderr.
std::shared_ptr<spdlog::logger> batched_stderr_logger(const std::string& name);

}  // namespace whygo
