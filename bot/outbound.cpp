#include "bot/outbound.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <random>
#include <thread>

#include "bot/metrics.hpp"
#include "bot/text.hpp"

namespace whygo {
namespace {

// "https://host:8443/api/x?y" -> {"https://host:8443", "/api/x?y"}
std::pair<std::string, std::string> split_url(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

bool retryable(const OutboundResponse& r, const RetryPolicy& policy) {
  if (r.status == 429) return true;
  if (!policy.repeatable) return r.status == 0 && !r.sent;
  return r.status == 0 || r.status >= 500;
}

// Failures of the connection itself: the request never left.
bool nothing_sent(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return true;
    default:
      return false;
  }
}

// What went wrong on the way, in words an operator can act on (cpp-httplib says "Connection").
std::string transport_problem(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect to";
    case httplib::Error::ConnectionTimeout:
      return "timed out connecting to";
    case httplib::Error::Read:
      return "no complete answer (read failed or timed out) from";
    case httplib::Error::Write:
      return "could not send the request to";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed with";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the system's CA certificates (ca-certificates) to reach";
    case httplib::Error::SSLServerVerification:
      return "the TLS certificate is not trusted (expired, self-signed or for another name) at";
    default:
      return httplib::to_string(error) + " error reaching";
  }
}

// An HTTP-date in any of the three formats recipients must accept (RFC 9110 section 5.6.7). The
// names are English whatever the locale: whygo never leaves the "C" locale strptime reads them in.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& value) {
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm fields{};
    const char* end = strptime(value.c_str(), format, &fields);
    if (end == nullptr || *end != '\0') continue;
    const std::time_t at = timegm(&fields);
    if (at == static_cast<std::time_t>(-1)) continue;
    return std::chrono::system_clock::from_time_t(at);
  }
  return std::nullopt;
}

}  // namespace

std::string OutboundResponse::header(std::string_view name) const {
  const std::string wanted = text::lower_ascii(name);
  for (const auto& [key, value] : headers)
    if (text::lower_ascii(key) == wanted) return value;
  return {};
}

std::optional<std::chrono::milliseconds> retry_after_header(const OutboundResponse& response,
                                                            std::chrono::system_clock::time_point now) {
  const std::string value = std::string(text::trim(response.header("Retry-After")));
  if (value.empty()) return std::nullopt;
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto at = parse_http_date(value);
    if (!at) return std::nullopt;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*at - now);
    return std::clamp(wait, std::chrono::milliseconds(0), std::chrono::milliseconds(std::chrono::hours(24)));
  }
  if (value.size() > 6) return std::chrono::milliseconds(std::chrono::hours(24));
  return std::chrono::seconds(std::stol(value));
}

void Cancellation::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  // cpp-httplib's stop() only shuts the socket down while a request is in flight, which is safe
  // from another thread; the caller sees a failed read at once.
  if (stop_call_) stop_call_();
}

bool Cancellation::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

bool Cancellation::attach(std::function<void()> stop_call) {
  std::lock_guard lock(mutex_);
  if (cancelled_) return false;
  stop_call_ = std::move(stop_call);
  return true;
}

void Cancellation::detach() {
  std::lock_guard lock(mutex_);
  stop_call_ = nullptr;
}

OutboundClient::OutboundClient(Sleeper sleeper) : sleep_(std::move(sleeper)) {
  if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

OutboundResponse OutboundClient::send_once(const OutboundRequest& request, const RetryPolicy& policy) const {
  OutboundResponse response;
  const auto [origin, path] = split_url(request.url);
  httplib::Client client(origin);
  const std::string setting = request.setting.empty() ? "" : " (" + request.setting + ")";
  if (!client.is_valid()) {
    response.error = "invalid URL " + origin + setting;
    return response;
  }
  client.set_connection_timeout(policy.connect_timeout);
  client.set_read_timeout(policy.read_timeout);
  client.set_write_timeout(policy.read_timeout);
  client.enable_server_certificate_verification(true);
  httplib::Headers headers(request.headers.begin(), request.headers.end());
  if (request.cancellation && !request.cancellation->attach([&client] { client.stop(); })) {
    response.error = "cancelled before calling " + origin;
    return response;
  }
  // Detached on every way out below, before `client` goes.
  struct Detach {
    Cancellation* cancellation;
    ~Detach() {
      if (cancellation) cancellation->detach();
    }
  } detach{request.cancellation.get()};
  httplib::Result result{nullptr, httplib::Error::Unknown};
  if (request.method == "GET") {
    result = client.Get(path, headers);
  } else if (request.method == "POST") {
    result = client.Post(path, headers, request.body, request.content_type);
  } else if (request.method == "PUT") {
    result = client.Put(path, headers, request.body, request.content_type);
  } else if (request.method == "PATCH") {
    result = client.Patch(path, headers, request.body, request.content_type);
  } else if (request.method == "DELETE") {
    result = client.Delete(path, headers, request.body, request.content_type);
  } else {
    response.error = "unsupported method " + request.method;
    return response;
  }
  if (!result) {
    response.error = transport_problem(result.error()) + " " + origin + setting;
    response.sent = !nothing_sent(result.error());
    return response;
  }
  response.sent = true;
  response.status = result->status;
  response.body = result->body;
  response.headers.insert(result->headers.begin(), result->headers.end());
  return response;
}

OutboundResponse OutboundClient::send(const OutboundRequest& request, const RetryPolicy& policy) const {
  thread_local std::mt19937 jitter_engine{std::random_device{}()};
  OutboundResponse response;
  std::chrono::milliseconds backoff = policy.first_backoff;
  for (int attempt = 1; attempt <= std::max(1, policy.max_attempts); ++attempt) {
    response = send_once(request, policy);
    response.attempts = attempt;
    Metrics::global().count("whygo_outbound_calls_total",
                            {{"platform", request.platform},
                             {"status", response.status ? std::to_string(response.status / 100) + "xx" : "error"}});
    if (attempt > 1) Metrics::global().count("whygo_outbound_retries_total", {{"platform", request.platform}});
    if (!retryable(response, policy) || attempt == policy.max_attempts) break;
    if (request.cancellation && request.cancellation->cancelled()) break;
    std::chrono::milliseconds wait = backoff;
    if (response.status == 429) {
      const auto asked = policy.retry_after ? policy.retry_after(response) : retry_after_header(response);
      if (asked) wait = *asked;
    }
    if (wait > policy.max_backoff) {
      spdlog::warn("{} {}: asked to wait {} ms, more than {} ms; giving up", request.method,
                   split_url(request.url).first, wait.count(), policy.max_backoff.count());
      return response;
    }
    // Up to 10% jitter, so many clients do not retry in lock-step.
    std::uniform_int_distribution<long> jitter(0, std::max<long>(1, static_cast<long>(wait.count() / 10)));
    sleep_(wait + std::chrono::milliseconds(jitter(jitter_engine)));
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
  if (!response.ok()) Metrics::global().count("whygo_outbound_failures_total", {{"platform", request.platform}});
  if (!response.ok())
    spdlog::warn("{} {} gave up after {} attempt(s): {}", request.method, split_url(request.url).first,
                 response.attempts, response.status ? std::to_string(response.status) : response.error);
  return response;
}

}  // namespace whygo
