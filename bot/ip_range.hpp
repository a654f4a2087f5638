// Which addresses the service may fetch from: public ones only, unless the operator opens a range
// (WHYGO_FETCH_ALLOW). Links are untrusted input; a link to 169.254.169.254 or 10.0.0.1 must not
// make whygo call the cloud metadata service or a neighbour on the private network for anyone.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace whygo {

// An IPv4 or IPv6 address in 16 bytes; IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one
// comparison covers both families and a mapped address is judged as the IPv4 it carries.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  static std::optional<IpAddress> parse(std::string_view text);  // "10.0.0.1", "::1"; no scope, no port
  static std::optional<IpAddress> from_sockaddr(const sockaddr* address);
  bool is_v4() const;        // an IPv4-mapped address
  std::string text() const;  // "10.0.0.1", "2001:db8::1"
  bool operator==(const IpAddress&) const = default;
};

// A CIDR block: "127.0.0.1/32", "10.0.0.0/8", "fd00::/8"; a bare address is one host.
struct IpRange {
  IpAddress base;
  int prefix = 128;  // over the 16 bytes: an IPv4 /8 is 104 here

  static std::optional<IpRange> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
  std::string text() const;
};

// Comma-separated CIDR blocks (WHYGO_FETCH_ALLOW); empty text is an empty list. Throws
// std::invalid_argument naming `setting` and the block that is not one.
std::vector<IpRange> parse_ip_ranges(std::string_view text, const std::string& setting);

// Why an address is not on the public internet ("loopback", "private", "link-local", ...); empty
// for a public one. IPv4 inside IPv6 (mapped, NAT64 64:ff9b::/96) is judged as that IPv4.
std::string non_public_reason(const IpAddress& address);

}  // namespace whygo
