// Calls to platform APIs: every call has a timeout, 429 and 5xx are retried with backoff that
// honours Retry-After, and what is given up on is logged. Base URLs come from config, so tests
// point them at a fake platform on loopback.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace whygo {

struct OutboundRequest {
  std::string platform = "other";  // for metrics and logs: slack, discord, matrix
  std::string method = "POST";     // GET, POST, PUT, PATCH, DELETE
  std::string url;                 // absolute: "https://slack.com/api/chat.postMessage"
  std::string setting;             // where the URL's base is set ("SLACK_API_BASE"), named when unreachable
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
};

struct OutboundResponse {
  int status = 0;  // 0: no HTTP answer (connection failed, timed out)
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::string error;  // transport error, when status is 0: what failed, the origin and its setting
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
  // How long a 429 asks us to wait; the default reads the Retry-After header (seconds).
  // Platforms that say it in the body (Discord retry_after, Matrix retry_after_ms) set their own.
  std::function<std::optional<std::chrono::milliseconds>(const OutboundResponse&)> retry_after;
};

// Sleeps between attempts; tests pass one that records instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

class OutboundClient {
 public:
  explicit OutboundClient(Sleeper sleeper = {});

  // One attempt, no retries.
  OutboundResponse send_once(const OutboundRequest& request, const RetryPolicy& policy) const;
  // Retries 429 and 5xx (and connection failures) up to policy.max_attempts.
  OutboundResponse send(const OutboundRequest& request, const RetryPolicy& policy = {}) const;

 private:
  Sleeper sleep_;
};

// The Retry-After header as a delay (seconds, or an HTTP date is ignored).
std::optional<std::chrono::milliseconds> retry_after_header(const OutboundResponse& response);

}  // namespace whygo
