#include "bot/url.hpp"

#include <uriparser/Uri.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::url {
namespace {

// A host name (RFC 1123 section 2.1, RFC 952): dot-separated labels of 1 to 63 letters, digits and
// hyphens, none starting or ending with a hyphen; 253 characters at most. RFC 3986's reg-name
// would also take "%3C", "!" or "$": no DNS name holds them.
bool host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  while (true) {
    const std::size_t dot = host.find('.');
    const std::string_view label = host.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    if (dot == std::string_view::npos) return true;
    host.remove_prefix(dot + 1);
  }
}

// What uriparser should read: the URL with the bytes RFC 3986 leaves out of paths and queries,
// but that browsers accept there and people paste (non-ASCII letters, | { } ^ ` \ " < >, a '%'
// that starts no escape, '[' ']' and a second '#'), percent-encoded. The scheme and authority
// are left as typed, so the host is held to the standard.
std::string rfc3986_for_parsing(std::string_view url) {
  static constexpr char hex[] = "0123456789ABCDEF";
  const std::size_t authority = url.find("://") + 3;
  const std::size_t rest = std::min(url.size(), url.find_first_of("/?#", authority));
  std::string out(url.substr(0, rest));
  bool in_fragment = false;
  for (std::size_t i = rest; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    const bool escape_start = c == '%' && i + 2 < url.size() && std::isxdigit(static_cast<unsigned char>(url[i + 1])) &&
                              std::isxdigit(static_cast<unsigned char>(url[i + 2]));
    const bool second_hash = c == '#' && in_fragment;
    in_fragment = in_fragment || c == '#';
    if (c >= 0x80 || std::string_view("|{}^`\\\"<>[]").find(static_cast<char>(c)) != std::string_view::npos ||
        (c == '%' && !escape_start) || second_hash) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string range(const UriTextRangeA& r) {
  return r.first ? std::string(r.first, r.afterLast) : std::string();
}

// uriparser's parse of one URI, freed on the way out.
struct Parsed {
  UriUriA uri{};
  bool ok = false;
  std::size_t error_at = 0;
  explicit Parsed(const std::string& text) {
    const char* error = nullptr;
    ok = uriParseSingleUriA(&uri, text.c_str(), &error) == URI_SUCCESS;
    if (!ok && error) error_at = static_cast<std::size_t>(error - text.c_str());
  }
  ~Parsed() { uriFreeUriMembersA(&uri); }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;
};

bool is_tracking_parameter(std::string_view name) {
  static constexpr std::array<std::string_view, 9> exact = {"fbclid", "gclid", "dclid",  "msclkid", "mc_cid",
                                                            "mc_eid", "_r",    "igshid", "ref_src"};
  return name.substr(0, 4) == "utm_" || std::find(exact.begin(), exact.end(), name) != exact.end();
}

struct Parts {
  std::string scheme, authority, path, query;
};

// Splits "scheme://authority/path?query#fragment"; the fragment is dropped.
bool split(std::string_view url, Parts& parts) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  parts.scheme = text::lower_ascii(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find('#'));
  const std::size_t end = rest.find_first_of("/?");
  parts.authority = std::string(rest.substr(0, end));
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  const std::size_t q = rest.find('?');
  parts.path = std::string(rest.substr(0, q));
  parts.query = q == std::string_view::npos ? std::string() : std::string(rest.substr(q + 1));
  return true;
}

}  // namespace

std::optional<Problem> problem(std::string_view url) {
  if (url.empty()) return Problem{"Give the link's address, starting with https://."};
  if (url.size() > limits::url_max_bytes)
    return Problem{"That link is longer than " + std::to_string(limits::url_max_bytes) +
                   " characters; use a shorter one."};
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return Problem{"A link cannot contain spaces or control characters."};
  }
  if (!text::valid_utf8(url))
    return Problem{"That link holds bytes that are not text (invalid UTF-8); paste it again."};
  if (url.find("://") == std::string_view::npos)
    return Problem{"That does not look like a link; it should start with https:// (or http://)."};
  const std::string ascii = rfc3986_for_parsing(url);
  Parsed parsed(ascii);
  if (!parsed.ok) {
    const std::size_t authority = ascii.find("://") + 3;
    if (parsed.error_at >= authority && parsed.error_at <= ascii.find_first_of("/?#", authority))
      return Problem{"The link's host is malformed."};
    return Problem{"That is not a well-formed link (RFC 3986); check it and paste it again."};
  }
  const UriUriA& uri = parsed.uri;
  const std::string scheme = text::lower_ascii(range(uri.scheme));
  if (scheme != "http" && scheme != "https") return Problem{"Only http and https links are accepted."};
  if (uri.userInfo.first) return Problem{"Remove the user name or password (the part before '@') from the link."};
  const std::string host = range(uri.hostText);
  if (uri.portText.first) {
    const std::string port = range(uri.portText);
    if (port.empty() || port.size() > 5 || std::stoi(port) > 65535) return Problem{"The link's port is malformed."};
  }
  if (uri.hostData.ip6 || uri.hostData.ip4) return std::nullopt;
  if (uri.hostData.ipFuture.first) return Problem{"The link's host is malformed."};
  if (host.empty()) return Problem{"The link has no host, e.g. https://example.org/post."};
  if (!host_name(host)) return Problem{"The link's host \"" + host + "\" is not a valid host name."};
  return std::nullopt;
}

std::string key(std::string_view url) {
  Parts parts;
  if (!split(url, parts)) return std::string(url);
  std::string host = text::lower_ascii(parts.authority);
  if (host.size() > 3 && host.compare(host.size() - 3, 3, ":80") == 0) host.resize(host.size() - 3);
  if (host.size() > 4 && host.compare(host.size() - 4, 4, ":443") == 0) host.resize(host.size() - 4);
  std::string path = parts.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::vector<std::string> kept;
  std::string_view query = parts.query;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (!pair.empty() && !is_tracking_parameter(text::lower_ascii(name))) kept.emplace_back(pair);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  std::string out = host + path;
  for (std::size_t i = 0; i < kept.size(); ++i) out += (i == 0 ? "?" : "&") + kept[i];
  return out;
}

}  // namespace whygo::url
