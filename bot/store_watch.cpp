// The SQLite store's watcher of other processes: `whygo ask add` or `whygo import` may write the
// file while `whygo serve` runs. PRAGMA data_version, asked on a connection of the watcher's
// own, moves when any other connection commits (https://www.sqlite.org/pragma.html#pragma_data_version);
// only then is the catalog version read, and `changed` called when it moved.
#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "bot/limits.hpp"
#include "bot/store.hpp"

namespace whygo {
namespace {

class FileWatcher final : public CatalogWatcher {
 public:
  // The first look is taken here, before the caller reads the version it starts from: what is
  // committed after that moves data_version.
  FileWatcher(std::string path, std::function<void()> changed) : path_(std::move(path)), changed_(std::move(changed)) {
    try {
      look(false);
    } catch (const std::exception& e) {
      fail(e);
    }
    thread_ = std::thread([this] { loop(); });
  }
  ~FileWatcher() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  // Calls changed_ when the catalog version moved since the last look (tell), or when this look
  // follows a failure (what happened meanwhile is unknown).
  void look(bool tell) {
    if (!db_) {
      db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READONLY);
      db_->setBusyTimeout(1000);
    }
    const std::int64_t now = db_->execAndGet("PRAGMA data_version").getInt64();
    if (now == data_version_) return;
    data_version_ = now;
    const std::int64_t version = db_->execAndGet("SELECT value FROM meta WHERE key = 'catalog_version'").getInt64();
    if (failing_) spdlog::info("database {}: watching for catalog changes again", path_);
    const bool unknown = failing_;
    failing_ = false;
    if (version == catalog_version_ && !unknown) return;
    catalog_version_ = version;
    if (tell || unknown) changed_();
  }

  void fail(const std::exception& e) {
    if (!failing_) spdlog::warn("database {}: cannot watch for catalog changes: {}", path_, e.what());
    failing_ = true;
    db_.reset();
    data_version_ = -1;
  }

  void loop() {
    // Signals are for the threads that wait for them (`whygo serve` takes SIGTERM with sigwait);
    // this one may start before they are blocked.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, limits::catalog_check, [this] { return stop_; })) return;
      }
      try {
        look(true);
      } catch (const std::exception& e) {
        fail(e);
      }
    }
  }

  std::string path_;
  std::function<void()> changed_;
  std::unique_ptr<SQLite::Database> db_;  // the watcher's own connection
  std::int64_t data_version_ = -1;
  std::int64_t catalog_version_ = -1;
  bool failing_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<CatalogWatcher> Store::watch_other_processes(std::function<void()> changed) {
  return std::make_unique<FileWatcher>(path_, std::move(changed));
}

}  // namespace whygo
