#include "bot/log_text.hpp"

#include <cstdio>

#include "bot/unicode.hpp"

namespace whygo::log_text {
namespace {

bool shown_as_is(const unicode::CodePoint& cp) {
  if (!cp.valid) return false;
  const char32_t c = cp.value;
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return false;  // C0, DEL, C1
  if (c == 0x2028 || c == 0x2029) return false;                         // line and paragraph separators
  return !unicode::is_format(c);
}

void escape_one(std::string& out, const unicode::CodePoint& cp) {
  char buffer[16];
  if (!cp.valid || cp.value < 0x80) {
    switch (cp.value) {
      case '\n':
        out += "\\n";
        return;
      case '\r':
        out += "\\r";
        return;
      case '\t':
        out += "\\t";
        return;
      default:
        std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned>(cp.value));
    }
  } else {
    std::snprintf(buffer, sizeof buffer, "\\u{%04X}", static_cast<unsigned>(cp.value));
  }
  out += buffer;
}

// Escapes what a terminal or a line reader would act on; `field` also quotes the value.
std::string escape(std::string_view text, bool as_field) {
  std::string out;
  out.reserve(text.size() + 2);
  bool quote = as_field && text.empty();
  // Printable ASCII other than \ and " is shown as is: a run of it is copied at once, without
  // decoding code points or looking each up among the format characters (every request logs a line).
  const auto plain = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7F && c != '\\' && c != '"';
  };
  for (std::size_t i = 0; i < text.size();) {
    if (plain(text[i])) {
      std::size_t end = i + 1;
      while (end < text.size() && plain(text[end])) ++end;
      const std::string_view run = text.substr(i, end - i);
      out.append(run);
      quote = quote || (as_field && run.find(' ') != std::string_view::npos);
      i = end;
      continue;
    }
    const unicode::CodePoint cp = unicode::at(text, i);
    if (as_field && cp.valid && cp.value == '\\') {
      out += "\\\\";
      quote = true;
    } else if (as_field && cp.valid && cp.value == '"') {
      out += "\\\"";
      quote = true;
    } else if (shown_as_is(cp)) {
      out.append(text.substr(i, cp.length));
      quote = quote || (as_field && cp.value == ' ');
    } else {
      escape_one(out, cp);
      quote = quote || as_field;
    }
    i += cp.length;
  }
  return quote ? "\"" + out + "\"" : out;
}

}  // namespace

std::string field(std::string_view value) {
  return escape(value, true);
}

std::string line(std::string_view message) {
  return escape(message, false);
}

}  // namespace whygo::log_text
