// Request bodies seen by a fake Discord route. test::FakePlatform records requests in its
// pre-routing handler, which cpp-httplib runs before it reads the body, so its `body` is empty;
// the routes here keep the bodies themselves.
#pragma once
#include <mutex>
#include <string>
#include <vector>

namespace whygo::test {

class BodyLog {
 public:
  void add(std::string body) {
    std::lock_guard lock(mutex_);
    bodies_.push_back(std::move(body));
  }
  std::vector<std::string> all() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
};

}  // namespace whygo::test
