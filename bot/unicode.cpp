#include "bot/unicode.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace whygo::unicode {
namespace {

// General category Cf, Unicode 15.1
// (https://www.unicode.org/Public/15.1.0/ucd/extracted/DerivedGeneralCategory.txt), sorted.
constexpr std::array<std::pair<char32_t, char32_t>, 21> format_ranges = {{
    {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},     {0x6DD, 0x6DD},     {0x70F, 0x70F},
    {0x890, 0x891},     {0x8E2, 0x8E2},     {0x180E, 0x180E},   {0x200B, 0x200F},   {0x202A, 0x202E},
    {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F},
}};

}  // namespace

CodePoint at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  CodePoint out{c, 1, false};
  std::size_t length = 0;
  char32_t value = 0;
  if (c < 0x80) return {c, 1, true};
  if ((c & 0xE0) == 0xC0) {
    length = 2;
    value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    value = c & 0x07;
  } else {
    return out;
  }
  if (i + length > s.size()) return out;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return out;
    value = (value << 6) | (next & 0x3F);
  }
  if ((length == 2 && value < 0x80) || (length == 3 && value < 0x800) || (length == 4 && value < 0x10000) ||
      (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
    return out;
  return {value, length, true};
}

bool is_format(char32_t c) {
  const auto after = std::upper_bound(format_ranges.begin(), format_ranges.end(), c,
                                      [](char32_t v, const auto& range) { return v < range.first; });
  return after != format_ranges.begin() && c <= std::prev(after)->second;
}

std::optional<char32_t> first_format(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = at(s, i);
    if (cp.valid && is_format(cp.value)) return cp.value;
    i += cp.length;
  }
  return std::nullopt;
}

}  // namespace whygo::unicode
