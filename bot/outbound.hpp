// Calls to platform APIs: every call has a timeout, 429 and 5xx are retried with backoff that
// honours Retry-After, and what is given up on is logged. Base URLs come from config, so tests
// point them at a fake platform on loopback.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace whygo {

// Ends calls from another thread: a long poll the service must not wait out when it stops. Once
// cancelled, the call in flight fails at once and later ones fail without being sent.
class Cancellation {
 public:
  void cancel();
  bool cancelled() const;

 private:
  friend class OutboundClient;
  bool attach(std::function<void()> stop_call);  // false when already cancelled
  void detach();

  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::function<void()> stop_call_;
};

struct OutboundRequest {
  std::string platform = "other";  // for metrics and logs: slack, discord, matrix
  std::string method = "POST";     // GET, POST, PUT, PATCH, DELETE
  std::string url;                 // absolute: "https://slack.com/api/chat.postMessage"
  std::string setting;             // where the URL's base is set ("SLACK_API_BASE"), named when unreachable
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::shared_ptr<Cancellation> cancellation;  // may be null: the call runs to its timeout
};

struct OutboundResponse {
  int status = 0;  // 0: no HTTP answer (connection failed, timed out)
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::string error;  // transport error, when status is 0: what failed, the origin and its setting
  // Whether the request may have reached the other side: false only when the connection (or its
  // TLS handshake) failed, so nothing was sent.
  bool sent = false;
  int attempts = 0;

  bool ok() const { return status >= 200 && status < 300; }
  std::string header(std::string_view name) const;  // case-insensitive; "" when absent
};

struct RetryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds read_timeout{10};
  // How long a 429 asks us to wait; the default reads the Retry-After header.
  // Platforms that say it in the body (Discord retry_after, Matrix retry_after_ms) set their own.
  std::function<std::optional<std::chrono::milliseconds>(const OutboundResponse&)> retry_after;
  // false for a call that takes effect and has no idempotency key (a Slack post): a 5xx or an
  // answer that did not come may mean it was done, so only 429 and failures before anything was
  // sent are retried.
  bool repeatable = true;
};

// Sleeps between attempts; tests pass one that records instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

class OutboundClient {
 public:
  explicit OutboundClient(Sleeper sleeper = {});

  // One attempt, no retries.
  OutboundResponse send_once(const OutboundRequest& request, const RetryPolicy& policy) const;
  // Retries 429, 5xx and transport failures up to policy.max_attempts (for a call that is not
  // repeatable, 429 and failures before anything was sent).
  OutboundResponse send(const OutboundRequest& request, const RetryPolicy& policy = {}) const;

 private:
  Sleeper sleep_;
};

// The Retry-After header as a delay: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3; all
// three date formats of section 5.6.7), counted from `now`; a date in the past is no wait.
std::optional<std::chrono::milliseconds> retry_after_header(
    const OutboundResponse& response, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace whygo
