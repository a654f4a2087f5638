// The PostgreSQL store's watcher of other replicas: the catalog trigger NOTIFYs whygo_catalog
// with every new version (data/migrations/postgresql/001_schema.sql); a connection of the
// watcher's own LISTENs (https://www.postgresql.org/docs/current/sql-listen.html). Notifications
// are delivered after the writing transaction commits. In case one is lost, the version is read
// anyway every limits::catalog_poll; a dropped connection is opened again, and the version read
// then, since notifications sent meanwhile are gone.
#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>
#include <pqxx/notification>

#include <pthread.h>
#include <atomic>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "bot/limits.hpp"
#include "bot/pg_store.hpp"

namespace whygo {
namespace {

constexpr const char* catalog_channel = "whygo_catalog";

class Heard final : public pqxx::notification_receiver {
 public:
  Heard(pqxx::connection_base& c, bool& heard) : pqxx::notification_receiver(c, catalog_channel), heard_(heard) {}
  void operator()(const std::string&, int) override { heard_ = true; }

 private:
  bool& heard_;
};

class ListenWatcher final : public CatalogWatcher {
 public:
  // LISTEN is in force before the caller reads the version it starts from (when the server
  // answers now; otherwise the thread keeps trying, and reads the version once it does).
  ListenWatcher(std::string uri, std::function<void()> changed) : uri_(std::move(uri)), changed_(std::move(changed)) {
    try {
      listen();
      version_ = read_version(*connection_);
      heard_ = false;
    } catch (const std::exception& e) {
      fail(e);
    }
    thread_ = std::thread([this] { loop(); });
  }
  ~ListenWatcher() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  bool stopping(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, wait, [this] { return stop_; });
  }

  std::int64_t read_version(pqxx::connection& c) {
    pqxx::nontransaction q(c);
    return q.exec("SELECT value FROM meta WHERE key = 'catalog_version'")[0][0].as<std::int64_t>();
  }

  // A new connection, listening; what was committed before it is read as if heard of.
  void listen() {
    connection_ = std::make_unique<pqxx::connection>(uri_);
    receiver_ = std::make_unique<Heard>(*connection_, heard_);
    heard_ = true;
    polled_ = std::chrono::steady_clock::now();
    if (failing_) spdlog::info("PostgreSQL {}: listening for catalog changes again", redact_uri(uri_));
    failing_ = false;
  }

  void fail(const std::exception& e) {
    if (!failing_)
      spdlog::warn("PostgreSQL {}: lost the catalog change notifications ({}); trying again", redact_uri(uri_),
                   e.what());
    failing_ = true;
    receiver_.reset();
    connection_.reset();
    version_ = -1;  // unknown: the next connection reads it and tells
  }

  void loop() {
    // Signals are for the threads that wait for them (`whygo serve` takes SIGTERM with sigwait);
    // this one may start before they are blocked.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    while (!stopping(connection_ ? std::chrono::milliseconds(0) : limits::catalog_reconnect)) {
      try {
        if (!connection_)
          listen();
        else
          connection_->await_notification(0, std::chrono::microseconds(limits::catalog_notify_wait).count());
        const auto now = std::chrono::steady_clock::now();
        if (!heard_ && now - polled_ < limits::catalog_poll) continue;
        heard_ = false;
        polled_ = now;
        const std::int64_t read = read_version(*connection_);
        if (read == version_) continue;
        version_ = read;
        changed_();
      } catch (const std::exception& e) {
        fail(e);
      }
    }
  }

  std::string uri_;
  std::function<void()> changed_;
  std::unique_ptr<pqxx::connection> connection_;  // the watcher's own, listening
  std::unique_ptr<Heard> receiver_;
  bool heard_ = false;
  bool failing_ = false;
  std::int64_t version_ = -1;
  std::chrono::steady_clock::time_point polled_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<CatalogWatcher> PgStore::watch_other_processes(std::function<void()> changed) {
  return std::make_unique<ListenWatcher>(uri_, std::move(changed));
}

}  // namespace whygo
