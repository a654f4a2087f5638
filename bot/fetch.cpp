#include "bot/fetch.hpp"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <uriparser/Uri.h>

#include <algorithm>
#include <memory>

#include "bot/text.hpp"

namespace whygo {
namespace {

using steady = std::chrono::steady_clock;

struct Target {
  std::string url;  // normalized, without the fragment
  bool https = false;
  std::string host;  // without brackets for an IPv6 literal
  int port = 0;
  std::string path;  // path and query: "/a/b?c"
};

std::string range_text(const UriTextRangeA& r) {
  return r.first == nullptr ? std::string() : std::string(r.first, r.afterLast);
}

std::string uri_string(const UriUriA& uri) {
  int chars = 0;
  if (uriToStringCharsRequiredA(&uri, &chars) != URI_SUCCESS) return {};
  std::string out(static_cast<std::size_t>(chars) + 1, '\0');
  if (uriToStringA(out.data(), &uri, chars + 1, nullptr) != URI_SUCCESS) return {};
  out.resize(static_cast<std::size_t>(chars));
  return out;
}

// RFC 3986 section 5.2: `reference` (a Location header) against the URL it answered.
std::optional<std::string> resolve(const std::string& base, const std::string& reference) {
  UriUriA base_uri, ref_uri, out;
  const char* error = nullptr;
  if (uriParseSingleUriA(&base_uri, base.c_str(), &error) != URI_SUCCESS) return std::nullopt;
  if (uriParseSingleUriA(&ref_uri, reference.c_str(), &error) != URI_SUCCESS) {
    uriFreeUriMembersA(&base_uri);
    return std::nullopt;
  }
  std::optional<std::string> result;
  if (uriAddBaseUriA(&out, &ref_uri, &base_uri) == URI_SUCCESS) {
    result = uri_string(out);
    uriFreeUriMembersA(&out);
  }
  uriFreeUriMembersA(&ref_uri);
  uriFreeUriMembersA(&base_uri);
  if (result && result->empty()) return std::nullopt;
  return result;
}

// nullopt with error set when the URL cannot be fetched at all.
std::optional<Target> parse_target(const std::string& url, FetchError& error, std::string& detail) {
  UriUriA uri;
  const char* error_at = nullptr;
  if (url.size() > 8192 || uriParseSingleUriA(&uri, url.c_str(), &error_at) != URI_SUCCESS) {
    error = FetchError::bad_url;
    detail = "not a URL";
    return std::nullopt;
  }
  Target t;
  const std::string scheme = text::lower_ascii(range_text(uri.scheme));
  t.host = text::lower_ascii(range_text(uri.hostText));
  const std::string port = range_text(uri.portText);
  const bool user_info = uri.userInfo.first != nullptr;
  uri.fragment.first = uri.fragment.afterLast = nullptr;
  t.url = uri_string(uri);
  uriFreeUriMembersA(&uri);
  if (scheme != "http" && scheme != "https") {
    error = scheme.empty() ? FetchError::bad_url : FetchError::bad_scheme;
    detail = scheme.empty() ? "not an absolute URL" : "only http and https are fetched, not " + scheme;
    return std::nullopt;
  }
  if (t.host.empty() || user_info || t.url.empty()) {
    error = FetchError::bad_url;
    detail = t.host.empty() ? "no host" : "a user name or password in the URL";
    return std::nullopt;
  }
  t.https = scheme == "https";
  t.port = t.https ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      error = FetchError::bad_url;
      detail = "bad port " + port;
      return std::nullopt;
    }
    t.port = std::stoi(port);
  }
  const std::size_t authority = t.url.find("://") + 3;
  const std::size_t path = t.url.find_first_of("/?", authority);
  t.path = path == std::string::npos ? "/" : t.url.substr(path);
  if (t.path.front() == '?') t.path.insert(0, "/");
  return t;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

struct Attempt {
  int status = 0;
  httplib::Headers headers;
  std::string body;
  bool truncated = false;
  bool deadline_passed = false;
  httplib::Error error = httplib::Error::Success;
  steady::duration took{};
};

template <typename Rep, typename Period>
std::chrono::milliseconds at_most(std::chrono::duration<Rep, Period> a, std::chrono::milliseconds b) {
  return std::max(std::chrono::milliseconds(1), std::min(std::chrono::duration_cast<std::chrono::milliseconds>(a), b));
}

Attempt request_once(const Target& target, const IpAddress& address, const FetchRequest& request,
                     const FetchSettings& settings, const std::string& user_agent, steady::time_point deadline) {
  Attempt a;
  const auto started = steady::now();
  std::unique_ptr<httplib::ClientImpl> client;
  if (target.https) {
    auto tls = std::make_unique<httplib::SSLClient>(target.host, target.port);
    tls->enable_server_certificate_verification(true);
    client = std::move(tls);
  } else {
    client = std::make_unique<httplib::ClientImpl>(target.host, target.port);
  }
  // The host name stays the client's (Host header, TLS SNI, certificate check); the socket goes to
  // the address vetted above, so a second DNS answer cannot send it elsewhere.
  client->set_hostname_addr_map({{target.host, address.text()}});
  const auto left = deadline - started;
  client->set_connection_timeout(at_most(left, settings.connect_timeout));
  client->set_read_timeout(at_most(left, settings.read_timeout));
  client->set_write_timeout(at_most(left, settings.read_timeout));
  client->set_keep_alive(false);
  client->set_follow_location(false);
  httplib::Headers headers(request.headers.begin(), request.headers.end());
  headers.erase("Host");
  headers.erase("User-Agent");
  headers.emplace("User-Agent", user_agent);
  httplib::Result result{nullptr, httplib::Error::Unknown};
  if (request.method == "HEAD") {
    result = client->Head(target.path, headers);
    if (result) {
      a.status = result->status;
      a.headers = result->headers;
    }
  } else {
    result = client->Get(
        target.path, headers,
        [&a](const httplib::Response& response) {
          a.status = response.status;
          a.headers = response.headers;
          return true;
        },
        [&a, &settings, deadline](const char* data, std::size_t length) {
          if (steady::now() >= deadline) {
            a.deadline_passed = true;
            return false;
          }
          const std::size_t room = settings.max_body - a.body.size();
          a.body.append(data, std::min(room, length));
          if (length > room) {
            a.truncated = true;  // enough read: the rest is not waited for
            return false;
          }
          return true;
        });
  }
  a.error = result.error();
  a.took = steady::now() - started;
  if (a.truncated && a.error == httplib::Error::Canceled) a.error = httplib::Error::Success;
  return a;
}

FetchError error_kind(const Attempt& a, const FetchSettings& settings, std::string& detail) {
  if (a.deadline_passed) {
    detail = "the fetch took longer than its deadline";
    return FetchError::timeout;
  }
  switch (a.error) {
    case httplib::Error::Success:
      return FetchError::none;
    case httplib::Error::ConnectionTimeout:
      detail = "timed out connecting";
      return FetchError::timeout;
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      detail = "could not connect";
      return FetchError::connect_failure;
    case httplib::Error::SSLConnection:
      detail = "TLS handshake failed";
      return FetchError::connect_failure;
    case httplib::Error::SSLLoadingCerts:
      detail = "could not load the system's CA certificates";
      return FetchError::connect_failure;
    case httplib::Error::SSLServerVerification:
      detail = "the TLS certificate is not trusted for this host";
      return FetchError::connect_failure;
    case httplib::Error::Read:
      // cpp-httplib says Read for a read that timed out too: the clock tells them apart.
      if (a.took + std::chrono::milliseconds(50) >= settings.read_timeout) {
        detail = "timed out waiting for the answer";
        return FetchError::timeout;
      }
      detail = "the answer broke off or was not HTTP";
      return FetchError::transport;
    default:
      detail = httplib::to_string(a.error);
      return FetchError::transport;
  }
}

}  // namespace

std::string default_user_agent(const std::string& contact) {
#ifndef WHYGO_VERSION
#define WHYGO_VERSION "0"
#endif
  // The catalog's source when the service has no public address to point at.
  return std::string("whygo-link-checker/") + WHYGO_VERSION + " (+" +
         (contact.empty() ? std::string("https://go.dev/wiki/WhyGo") : contact) + "; a bot checking catalog links)";
}

std::string_view to_string(FetchError error) {
  switch (error) {
    case FetchError::none:
      return "none";
    case FetchError::bad_url:
      return "bad URL";
    case FetchError::bad_scheme:
      return "bad scheme";
    case FetchError::dns_failure:
      return "DNS failure";
    case FetchError::refused_address:
      return "refused address";
    case FetchError::connect_failure:
      return "connect failure";
    case FetchError::timeout:
      return "timeout";
    case FetchError::too_many_redirects:
      return "too many redirects";
    case FetchError::transport:
      return "broken answer";
  }
  return "unknown";
}

std::string FetchResponse::header(std::string_view name) const {
  const std::string wanted = text::lower_ascii(name);
  for (const auto& [key, value] : headers)
    if (text::lower_ascii(key) == wanted) return value;
  return {};
}

Fetcher::Fetcher(FetchSettings settings) : settings_(std::move(settings)) {
  if (settings_.user_agent.empty()) settings_.user_agent = default_user_agent();
}

bool Fetcher::allowed(const IpAddress& address) const {
  for (const auto& range : settings_.allow)
    if (range.contains(address)) return true;
  return non_public_reason(address).empty();
}

Fetcher::Vetted Fetcher::vet_host(const std::string& host) const {
  Vetted v;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  // An IP literal is taken as it is written (inet_pton), never as "127.1" or 0x7f000001.
  const auto literal = IpAddress::parse(host);
  std::vector<IpAddress> addresses;
  if (literal) {
    addresses.push_back(*literal);
  } else {
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (rc != 0 || found == nullptr) {
      v.error = FetchError::dns_failure;
      v.detail = "no address for " + host + " (" + gai_strerror(rc) + ")";
      return v;
    }
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next)
      if (const auto ip = IpAddress::from_sockaddr(a->ai_addr);
          ip && std::find(addresses.begin(), addresses.end(), *ip) == addresses.end())
        addresses.push_back(*ip);
    freeaddrinfo(found);
  }
  std::string refused;
  for (const auto& ip : addresses) {
    if (allowed(ip)) {
      v.addresses.push_back(ip);
    } else if (refused.empty()) {
      refused = ip.text() + " is " + non_public_reason(ip);
    }
  }
  if (v.addresses.empty()) {
    v.error = addresses.empty() ? FetchError::dns_failure : FetchError::refused_address;
    v.detail = addresses.empty() ? "no address for " + host
                                 : host + ": " + refused + " (not fetched; WHYGO_FETCH_ALLOW opens a range)";
  }
  return v;
}

FetchResponse Fetcher::fetch(const FetchRequest& request) const {
  FetchResponse response;
  const auto deadline = steady::now() + settings_.deadline;
  std::string url = request.url;
  std::string first_host;
  FetchRequest current = request;
  if (current.method != "HEAD") current.method = "GET";
  for (int redirects = 0;; ++redirects) {
    const auto target = parse_target(url, response.error, response.detail);
    if (!target) return response;
    response.final_url = target->url;
    if (first_host.empty()) first_host = target->host;
    // Credentials the caller meant for the first host are not handed to another.
    if (target->host != first_host) {
      for (const char* name : {"Authorization", "Cookie"}) current.headers.erase(name);
    }
    const Vetted vetted = vet_host(target->host);
    if (vetted.error != FetchError::none) {
      response.error = vetted.error;
      response.detail = vetted.detail;
      response.hops.push_back({target->url, "", 0});
      return response;
    }
    Attempt attempt;
    std::string connected;
    // The next allowed address when one does not answer; a handful at most.
    for (std::size_t i = 0; i < vetted.addresses.size() && i < 3; ++i) {
      if (steady::now() >= deadline) {
        attempt = {};
        attempt.deadline_passed = true;
        break;
      }
      attempt = request_once(*target, vetted.addresses[i], current, settings_, settings_.user_agent, deadline);
      connected = vetted.addresses[i].text();
      if (attempt.error != httplib::Error::Connection && attempt.error != httplib::Error::ConnectionTimeout) break;
    }
    response.hops.push_back({target->url, connected, attempt.status});
    response.status = attempt.status;
    response.headers.clear();
    response.headers.insert(attempt.headers.begin(), attempt.headers.end());
    response.body = std::move(attempt.body);
    response.truncated = attempt.truncated;
    response.error = error_kind(attempt, settings_, response.detail);
    if (response.error != FetchError::none) return response;
    const std::string location = response.header("Location");
    if (!is_redirect(attempt.status) || location.empty()) return response;
    if (redirects >= settings_.max_redirects) {
      response.error = FetchError::too_many_redirects;
      response.detail = "more than " + std::to_string(settings_.max_redirects) + " redirects";
      return response;
    }
    const auto next = resolve(target->url, location);
    if (!next) {
      response.error = FetchError::bad_url;
      response.detail = "a redirect to something that is not a URL";
      return response;
    }
    url = *next;
  }
}

}  // namespace whygo
