#include "adapters/discord/permissions.hpp"

#include "adapters/discord/limits.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {

std::optional<std::uint64_t> parse_permissions(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > limits::discord::permissions_max_digits) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    // Unsigned arithmetic wraps modulo 2^64: the low bits stay exact however long the number.
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

bool grants_admin(std::uint64_t permissions) {
  return (permissions & (permission_administrator | permission_manage_guild)) != 0;
}

}  // namespace whygo::discord
