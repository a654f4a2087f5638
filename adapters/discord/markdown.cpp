#include "adapters/discord/markdown.hpp"

#include <string>

#include "bot/text.hpp"

namespace whygo::discord {
namespace {

constexpr std::string_view zero_width_space = "\u200b";
constexpr std::string_view ellipsis = "\u2026";
constexpr std::string_view replacement = "\ufffd";

// Characters that start Discord markdown: emphasis, code, spoilers, quotes, headings, masked
// links [text](url), and <@id> / <#id> / <@&role> / <t:...> tags.
constexpr std::string_view markdown_chars = "\\*_~`|><[]#";

bool is_markdown(char c) {
  return markdown_chars.find(c) != std::string_view::npos;
}

bool starts_with_at(std::string_view text, std::size_t at, std::string_view word) {
  return text.substr(at, word.size()) == word;
}

// Valid UTF-8 with each invalid byte replaced.
std::string sanitize_utf8(std::string_view text) {
  if (text::valid_utf8(text)) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len > 0 && i + len <= text.size() && text::valid_utf8(text.substr(i, len))) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out.append(replacement);
      ++i;
    }
  }
  return out;
}

}  // namespace

std::size_t char_count(std::string_view text) {
  return text::utf8_length(text);
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '@' && (starts_with_at(text, i + 1, "everyone") || starts_with_at(text, i + 1, "here"))) {
      out += '@';
      out.append(zero_width_space);
    } else if (is_markdown(c)) {
      out += '\\';
      out += c;
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string clip(std::string_view text, std::size_t max_chars) {
  std::string valid = sanitize_utf8(text);
  if (char_count(valid) <= max_chars) return valid;
  if (max_chars == 0) return {};
  // Keep max_chars - 1 code points, then the ellipsis.
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < valid.size()) {
    if ((static_cast<unsigned char>(valid[end]) & 0xC0) != 0x80) {
      if (kept == max_chars - 1) break;
      ++kept;
    }
    ++end;
  }
  // A backslash escape must not be cut in half, or the ellipsis would be escaped.
  std::string out = valid.substr(0, end);
  std::size_t backslashes = 0;
  for (auto it = out.rbegin(); it != out.rend() && *it == '\\'; ++it) ++backslashes;
  if (backslashes % 2 == 1) out.pop_back();
  out.append(ellipsis);
  return out;
}

}  // namespace whygo::discord
