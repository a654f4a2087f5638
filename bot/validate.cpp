#include "bot/validate.hpp"

#include <cstdint>
#include <cstdio>

#include "bot/limits.hpp"
#include "bot/tags.hpp"
#include "bot/text.hpp"
#include "bot/unicode.hpp"

namespace whygo::validate {
namespace {

// Control characters (C0, DEL, C1) and the bidirectional overrides that can make a title read
// differently from what it is (U+202A..U+202E, U+2066..U+2069).
bool has_forbidden_character(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
    if (c == 0xE2 && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) return true;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
    }
  }
  return false;
}

std::optional<Problem> text_problem(std::string_view value, std::string_view what, std::size_t max, bool required) {
  if (!text::valid_utf8(value)) return Problem{std::string(what) + " is not valid UTF-8 text."};
  const std::size_t length = text::utf8_length(value);
  if (required && text::trim(value).empty()) return Problem{"Give a " + std::string(what) + "."};
  if (length > max)
    return Problem{"The " + std::string(what) + " is " + std::to_string(length) + " characters long; the most is " +
                   std::to_string(max) + "."};
  if (has_forbidden_character(value))
    return Problem{"The " + std::string(what) + " contains control or direction-changing characters; remove them."};
  // Invisible characters (category Cf) make two titles that look alike differ, or hide text.
  if (const auto invisible = unicode::first_format(value)) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*invisible));
    return Problem{"The " + std::string(what) + " contains an invisible formatting character (" + code +
                   "); remove it."};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> title(std::string_view title) {
  return text_problem(title, "title", limits::title_max_chars, true);
}

std::optional<Problem> author(std::string_view author) {
  return text_problem(author, "author", limits::author_max_chars, false);
}

std::optional<Problem> tag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
  if (tag.empty() || tag.size() > limits::tag_max_chars)
    return Problem{"Tags are 1 to " + std::to_string(limits::tag_max_chars) + " characters, like #docker."};
  if (!tags::valid_tag(tag))
    return Problem{"The tag \"" + std::string(tag) + "\" may hold only lower-case letters, digits, '.', '-' and '+'."};
  return std::nullopt;
}

}  // namespace whygo::validate
