// Fetching a URL someone else chose (a catalog link, an upstream page) without becoming their
// proxy into our network: http and https only; the host is resolved here and every address is
// judged (bot/ip_range.hpp) before connecting, and the vetted address is the one connected to, so
// a DNS answer cannot change between check and connect, while TLS still checks the certificate
// against the host name. Redirects are followed by hand, each hop judged again. The body is
// capped, and the whole fetch has a deadline.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/ip_range.hpp"

namespace whygo {

struct FetchSettings {
  std::vector<IpRange> allow;  // WHYGO_FETCH_ALLOW: blocks fetched from although not public
  int max_redirects = 5;
  std::size_t max_body = 256 * 1024;  // bytes kept; the rest is not read
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds deadline{30'000};  // for the whole fetch, every hop included
  std::string user_agent;                      // empty: default_user_agent()
};

// "whygo-link-checker/0.1.0 (+https://...)": who is knocking and where to read about it, so a
// site's operator can tell us apart and reach us. `contact` is the service's public URL, when set.
std::string default_user_agent(const std::string& contact = {});

struct FetchRequest {
  std::string method = "GET";  // GET or HEAD
  std::string url;
  std::multimap<std::string, std::string> headers;  // e.g. Range, If-None-Match; not Host
};

enum class FetchError {
  none,
  bad_url,             // not a URL with a host
  bad_scheme,          // not http or https
  dns_failure,         // the host name has no address
  refused_address,     // every address is loopback, private, link-local... and not allowed
  connect_failure,     // refused, unreachable, TLS handshake or certificate
  timeout,             // connect or read timed out, or the deadline passed
  too_many_redirects,  // more than max_redirects
  transport,           // the answer broke off or was not HTTP
};
std::string_view to_string(FetchError error);

struct FetchHop {
  std::string url;
  std::string address;  // the IP connected to; empty when none was
  int status = 0;       // 0: no answer
};

struct FetchResponse {
  int status = 0;  // the last answer's; 0 when there was none
  std::string final_url;
  std::vector<FetchHop> hops;  // one per request made, the first URL first
  std::multimap<std::string, std::string> headers;
  std::string body;  // at most max_body bytes
  bool truncated = false;
  FetchError error = FetchError::none;
  std::string detail;  // what went wrong, for logs and operators

  std::string header(std::string_view name) const;  // case-insensitive; "" when absent
};

// Thread-safe: fetch() keeps no state between calls. The host is resolved with the system's
// resolver (getaddrinfo), the very answer that is then judged and connected to.
class Fetcher {
 public:
  explicit Fetcher(FetchSettings settings = {});
  FetchResponse fetch(const FetchRequest& request) const;
  const FetchSettings& settings() const { return settings_; }

  // The addresses `host` may be reached at, or why not (`error` and `detail`).
  struct Vetted {
    std::vector<IpAddress> addresses;  // allowed ones, in resolver order
    FetchError error = FetchError::none;
    std::string detail;
  };
  Vetted vet_host(const std::string& host) const;
  bool allowed(const IpAddress& address) const;

 private:
  FetchSettings settings_;
};

}  // namespace whygo
