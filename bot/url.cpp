#include "bot/url.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::url {
namespace {

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

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
  Parts parts;
  if (!split(url, parts)) return Problem{"That does not look like a link; it should start with https:// (or http://)."};
  if (parts.scheme != "http" && parts.scheme != "https") return Problem{"Only http and https links are accepted."};
  if (parts.authority.find('@') != std::string::npos)
    return Problem{"Remove the user name or password (the part before '@') from the link."};
  std::string_view host = parts.authority;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return Problem{"The link's host is malformed."};
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && (after[0] != ':' || after.size() == 1)) return Problem{"The link's port is malformed."};
    host = host.substr(1, close - 1);
    if (host.empty()) return Problem{"The link has no host."};
    return std::nullopt;
  }
  if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(std::string(port)) > 65535)
      return Problem{"The link's port is malformed."};
    host = host.substr(0, colon);
  }
  if (host.empty()) return Problem{"The link has no host, e.g. https://example.org/post."};
  if (!std::all_of(host.begin(), host.end(), is_host_char) || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string_view::npos)
    return Problem{"The link's host \"" + std::string(host) + "\" is not a valid host name."};
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
