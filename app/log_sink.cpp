#include "app/log_sink.hpp"

#include <pthread.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>

namespace whygo {
namespace {

// Every formatter a sink is given gets a number no other has had, so a thread's clone is known
// by that number alone (also across sinks, and a new sink at a gone one's address).
std::atomic<std::uint64_t> formatter_generations{0};

struct ThreadFormatter {
  std::uint64_t generation = 0;
  std::unique_ptr<spdlog::formatter> formatter;
  spdlog::memory_buf_t line;
};
thread_local ThreadFormatter mine;

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed or broken log loses these lines, not the server
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

BatchedSink::BatchedSink(int fd)
    : fd_(fd), formatter_(std::make_unique<spdlog::pattern_formatter>()), generation_(++formatter_generations) {}

BatchedSink::~BatchedSink() {
  flush();
}

void BatchedSink::log(const spdlog::details::log_msg& msg) {
  if (mine.generation != generation_.load()) {
    std::lock_guard lock(formatter_mutex_);
    mine.formatter = formatter_->clone();
    mine.generation = generation_.load();
  }
  mine.line.clear();
  mine.formatter->format(msg, mine.line);
  bool full = false;
  {
    std::lock_guard lock(buffer_mutex_);
    buffer_.append(mine.line.data(), mine.line.size());
    full = buffer_.size() >= flush_bytes;
  }
  if (full) flush();
}

void BatchedSink::flush() {
  std::lock_guard writing(write_mutex_);
  {
    std::lock_guard lock(buffer_mutex_);
    buffer_.swap(writing_);
  }
  write_all(fd_, writing_);
  writing_.clear();
}

void BatchedSink::set_pattern(const std::string& pattern) {
  set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
}

void BatchedSink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
  std::lock_guard lock(formatter_mutex_);
  formatter_ = std::move(formatter);
  generation_ = ++formatter_generations;
}

std::shared_ptr<spdlog::logger> batched_stderr_logger(const std::string& name) {
  auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<BatchedSink>(STDERR_FILENO));
  logger->flush_on(spdlog::level::warn);
  // The flushing thread takes no signal: SIGTERM and SIGINT are for the thread that serve() sets
  // to wait for them, and a thread with them unblocked would let them kill the process.
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
  spdlog::flush_every(std::chrono::seconds(1));
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  return logger;
}

}  // namespace whygo
