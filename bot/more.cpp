#include "bot/more.hpp"

#include <algorithm>
#include <charconv>

#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::more {
namespace {

constexpr std::string_view prefix = "m1:";
constexpr std::size_t command_max_chars = 16;
constexpr std::size_t offset_max_digits = 6;  // pages past a million results are not real

bool is_command_name(std::string_view name) {
  return !name.empty() && name.size() <= command_max_chars &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::string encode(const MoreResults& more) {
  return std::string(prefix) + more.command + ":" + std::to_string(more.offset) + ":" + more.args;
}

std::optional<MoreResults> decode(std::string_view payload) {
  if (!payload.starts_with(prefix)) return std::nullopt;
  payload.remove_prefix(prefix.size());
  const std::size_t colon = payload.find(':');
  if (colon == std::string_view::npos || !is_command_name(payload.substr(0, colon))) return std::nullopt;
  MoreResults more;
  more.command = std::string(payload.substr(0, colon));
  payload.remove_prefix(colon + 1);
  const std::size_t digits = payload.find(':');
  if (digits == 0 || digits == std::string_view::npos || digits > offset_max_digits) return std::nullopt;
  const auto [end, error] = std::from_chars(payload.data(), payload.data() + digits, more.offset);
  if (error != std::errc() || end != payload.data() + digits) return std::nullopt;
  const std::string_view args = payload.substr(digits + 1);
  if (args.size() > limits::command_max_bytes || !text::valid_utf8(args) || text::trim(args).empty())
    return std::nullopt;
  more.args = std::string(args);
  return more;
}

}  // namespace whygo::more
