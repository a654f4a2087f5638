// Code points of UTF-8 text, and the characters that are there without being seen: the format
// characters (Unicode general category Cf) that titles refuse and logs escape.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace whygo::unicode {

struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;  // bytes; 1 for a byte that starts no valid sequence
  bool valid = false;      // false: an invalid, overlong or surrogate sequence (value is the byte)
};

// The code point that starts at s[i] (i < s.size()).
CodePoint at(std::string_view s, std::size_t i);

// Category Cf: invisible, yet they change how text reads or compares (U+00AD soft hyphen, U+200B
// zero width space, U+200E left-to-right mark, U+202E right-to-left override, U+2066..U+2069
// isolates, U+FEFF byte order mark, the tag characters U+E0001..U+E007F, ...).
bool is_format(char32_t c);

// The first format character in valid UTF-8 text, if any.
std::optional<char32_t> first_format(std::string_view s);

}  // namespace whygo::unicode
