// The outbound client's waits: Retry-After as delay-seconds or as an HTTP-date. RFC 9110 section
// 10.2.3 allows both (Retry-After = HTTP-date / delay-seconds), and Matrix asks homeservers for
// exactly that header on 429 (https://spec.matrix.org/latest/client-server-api/#rate-limiting).
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <date/date.h>
#include <catch2/catch.hpp>

#include "bot/outbound.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

OutboundResponse with_retry_after(const std::string& value) {
  OutboundResponse r;
  r.status = 429;
  r.headers.emplace("Retry-After", value);
  return r;
}

}  // namespace

TEST_CASE("Retry-After in delay-seconds and in the three HTTP-date formats", "[outbound]") {
  const auto now = date::sys_days{date::year{1994} / 11 / 6} + std::chrono::hours(8) + std::chrono::minutes(49) +
                   std::chrono::seconds(30);
  CHECK(retry_after_header(with_retry_after("120"), now) == std::chrono::seconds(120));
  // IMF-fixdate, the obsolete RFC 850 form and asctime's: all seven seconds after `now`.
  CHECK(retry_after_header(with_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), now) == std::chrono::seconds(7));
  CHECK(retry_after_header(with_retry_after("Sunday, 06-Nov-94 08:49:37 GMT"), now) == std::chrono::seconds(7));
  CHECK(retry_after_header(with_retry_after("Sun Nov  6 08:49:37 1994"), now) == std::chrono::seconds(7));
  // A date already past means no wait; garbage is no answer.
  CHECK(retry_after_header(with_retry_after("Sun, 06 Nov 1994 08:00:00 GMT"), now) == std::chrono::milliseconds(0));
  CHECK_FALSE(retry_after_header(with_retry_after("soon"), now));
  CHECK_FALSE(retry_after_header(with_retry_after("-5"), now));
}

TEST_CASE("a 429 with an HTTP-date Retry-After is waited out until that date", "[outbound]") {
  test::FakePlatform fake;
  std::atomic<int> calls = 0;  // each attempt may be served by another of the fake's threads
  fake.routes().Post("/send", [&calls](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 429;
      const auto at = date::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::seconds(3);
      res.set_header("Retry-After", date::format("%a, %d %b %Y %H:%M:%S GMT", at));
      return;
    }
    res.set_content("{}", "application/json");
  });
  fake.start();
  std::vector<std::chrono::milliseconds> slept;
  OutboundClient client([&slept](std::chrono::milliseconds d) { slept.push_back(d); });
  OutboundRequest request;
  request.url = fake.base_url() + "/send";
  const auto response = client.send(request);
  CHECK(response.ok());
  REQUIRE(slept.size() == 1);
  CHECK(slept[0] >= std::chrono::milliseconds(1900));  // not the 500 ms first backoff
  CHECK(slept[0] <= std::chrono::milliseconds(3300));  // the date, plus at most 10% jitter
}

TEST_CASE("a call that may not be repeated is retried only on 429 and when nothing was sent", "[outbound]") {
  test::FakePlatform fake;
  std::atomic<int> calls = 0;  // each attempt may be served by another of the fake's threads
  fake.routes().Post("/post", [&calls](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = calls == 1 ? 429 : 502;
    res.set_header("Retry-After", "0");
  });
  fake.start();
  OutboundClient client([](std::chrono::milliseconds) {});
  OutboundRequest request;
  request.url = fake.base_url() + "/post";
  RetryPolicy once;
  once.repeatable = false;
  const auto response = client.send(request, once);
  CHECK(response.status == 502);
  CHECK(calls == 2);  // the 429 again, the 502 not
  CHECK(response.sent);
}

TEST_CASE("a cancelled call ends at once, mid-answer, and later calls are not sent", "[outbound]") {
  // Declared before the fake, so they outlive its threads: a handler may still be waking up
  // when the test ends.
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  std::atomic<int> calls = 0;
  test::FakePlatform fake;
  // A long poll: the answer comes when released (or after 20 s).
  fake.routes().Get("/poll", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    std::unique_lock lock(mutex);
    released.wait_for(lock, std::chrono::seconds(20), [&] { return release; });
    res.set_content("{}", "application/json");
  });
  fake.start();
  OutboundClient client;
  OutboundRequest request;
  request.method = "GET";
  request.url = fake.base_url() + "/poll";
  request.cancellation = std::make_shared<Cancellation>();
  RetryPolicy policy;
  policy.read_timeout = std::chrono::seconds(30);
  const auto started = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    while (calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    request.cancellation->cancel();
  });
  const OutboundResponse response = client.send(request, policy);
  canceller.join();
  CHECK(response.status == 0);
  CHECK(response.attempts == 1);  // not retried
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  const OutboundResponse later = client.send(request, policy);
  CHECK(later.status == 0);
  CHECK_FALSE(later.sent);
  CHECK(calls.load() == 1);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  released.notify_all();
}
