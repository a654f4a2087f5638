#include "bot/ip_range.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <stdexcept>

#include "bot/text.hpp"

namespace whygo {
namespace {

constexpr std::array<std::uint8_t, 12> v4_mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

IpAddress from_v4(const std::uint8_t* four) {
  IpAddress a;
  std::memcpy(a.bytes.data(), v4_mapped_prefix.data(), 12);
  std::memcpy(a.bytes.data() + 12, four, 4);
  return a;
}

struct Special {
  const char* range;
  const char* reason;
};

// IANA's special-purpose registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
// https://www.iana.org/assignments/iana-ipv6-special-registry): none of these is a web site on the
// public internet. The first match names the reason.
const std::vector<std::pair<IpRange, std::string>>& v4_specials() {
  static const std::vector<std::pair<IpRange, std::string>> all = [] {
    const Special list[] = {
        {"0.0.0.0/8", "unspecified (0.0.0.0/8)"},
        {"10.0.0.0/8", "private (10.0.0.0/8)"},
        {"100.64.0.0/10", "private (shared address space, 100.64.0.0/10)"},
        {"127.0.0.0/8", "loopback"},
        {"169.254.0.0/16", "link-local (169.254.0.0/16, cloud metadata)"},
        {"172.16.0.0/12", "private (172.16.0.0/12)"},
        {"192.0.0.0/24", "reserved (192.0.0.0/24)"},
        {"192.0.2.0/24", "documentation (192.0.2.0/24)"},
        {"192.168.0.0/16", "private (192.168.0.0/16)"},
        {"198.18.0.0/15", "reserved for benchmarks (198.18.0.0/15)"},
        {"198.51.100.0/24", "documentation (198.51.100.0/24)"},
        {"203.0.113.0/24", "documentation (203.0.113.0/24)"},
        {"224.0.0.0/4", "multicast"},
        {"240.0.0.0/4", "reserved (240.0.0.0/4, broadcast)"},
    };
    std::vector<std::pair<IpRange, std::string>> out;
    for (const auto& s : list) out.emplace_back(*IpRange::parse(s.range), s.reason);
    return out;
  }();
  return all;
}

const std::vector<std::pair<IpRange, std::string>>& v6_specials() {
  static const std::vector<std::pair<IpRange, std::string>> all = [] {
    const Special list[] = {
        {"::/128", "unspecified (::)"},
        {"::1/128", "loopback (::1)"},
        {"::/96", "reserved (IPv4-compatible, ::/96)"},
        {"64:ff9b:1::/48", "private (local-use NAT64, 64:ff9b:1::/48)"},
        {"100::/64", "reserved (discard, 100::/64)"},
        {"2001::/32", "reserved (Teredo tunnel, 2001::/32)"},
        {"2001:db8::/32", "documentation (2001:db8::/32)"},
        {"fc00::/7", "private (unique local, fc00::/7)"},
        {"fe80::/10", "link-local (fe80::/10)"},
        {"fec0::/10", "private (site-local, fec0::/10)"},
        {"ff00::/8", "multicast"},
    };
    std::vector<std::pair<IpRange, std::string>> out;
    for (const auto& s : list) out.emplace_back(*IpRange::parse(s.range), s.reason);
    return out;
  }();
  return all;
}

std::string v4_reason(const IpAddress& a) {
  for (const auto& [range, reason] : v4_specials())
    if (range.contains(a)) return reason;
  return {};
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  std::uint8_t buffer[16];
  // inet_pton takes dotted quads only (no "127.1", no octal), unlike inet_aton.
  if (inet_pton(AF_INET, s.c_str(), buffer) == 1) return from_v4(buffer);
  if (inet_pton(AF_INET6, s.c_str(), buffer) == 1) {
    IpAddress a;
    std::memcpy(a.bytes.data(), buffer, 16);
    return a;
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr* address) {
  if (address == nullptr) return std::nullopt;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return from_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    IpAddress a;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    return a;
  }
  return std::nullopt;
}

bool IpAddress::is_v4() const {
  return std::memcmp(bytes.data(), v4_mapped_prefix.data(), 12) == 0;
}

std::string IpAddress::text() const {
  char out[INET6_ADDRSTRLEN] = {};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes.data() + 12, out, sizeof out);
  } else {
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
  }
  return out;
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
  text = text::trim(text);
  const std::size_t slash = text.find('/');
  const auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int width = address->is_v4() ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > width) return std::nullopt;
  }
  IpRange range;
  range.prefix = address->is_v4() ? prefix + 96 : prefix;
  range.base = *address;
  // The base keeps only its network bits, so "10.1.2.3/8" means 10.0.0.0/8.
  for (int bit = range.prefix; bit < 128; ++bit)
    range.base.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  return range;
}

bool IpRange::contains(const IpAddress& address) const {
  for (int bit = 0; bit < prefix; ++bit) {
    const std::uint8_t mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
    if ((address.bytes[bit / 8] & mask) != (base.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

std::string IpRange::text() const {
  return base.text() + "/" + std::to_string(base.is_v4() && prefix >= 96 ? prefix - 96 : prefix);
}

std::vector<IpRange> parse_ip_ranges(std::string_view text, const std::string& setting) {
  std::vector<IpRange> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view block = text::trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (block.empty()) continue;
    const auto range = IpRange::parse(block);
    if (!range)
      throw std::invalid_argument(setting + ": \"" + std::string(block) +
                                  "\" is not an address block; expected CIDR like 127.0.0.1/32 or fd00::/8, "
                                  "comma-separated");
    out.push_back(*range);
  }
  return out;
}

std::string non_public_reason(const IpAddress& address) {
  if (address.is_v4()) return v4_reason(address);
  // IPv4 carried inside IPv6 reaches that IPv4: NAT64's well-known prefix (RFC 6052), 6to4
  // (RFC 3056, 2002:AABB:CCDD::) and IPv4-translated ::ffff:0:a.b.c.d (RFC 2765).
  static const IpRange nat64 = *IpRange::parse("64:ff9b::/96");
  static const IpRange translated = *IpRange::parse("::ffff:0:0:0/96");
  static const IpRange six_to_four = *IpRange::parse("2002::/16");
  if (nat64.contains(address) || translated.contains(address)) return v4_reason(from_v4(address.bytes.data() + 12));
  if (six_to_four.contains(address)) return v4_reason(from_v4(address.bytes.data() + 2));
  for (const auto& [range, reason] : v6_specials())
    if (range.contains(address)) return reason;
  return {};
}

}  // namespace whygo
