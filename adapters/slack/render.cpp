#include "adapters/slack/render.hpp"

#include <charconv>
#include <vector>

#include "adapters/slack/limits.hpp"
#include "bot/limits.hpp"
#include "bot/more.hpp"
#include "bot/text.hpp"

namespace whygo::slack {
namespace {

using nlohmann::json;

std::size_t escaped_size(char c) {
  switch (c) {
    case '&':
      return 5;  // &amp;
    case '<':
    case '>':
      return 4;  // &lt; &gt;
    default:
      return 1;
  }
}

// Control characters (newlines included) would break a one-line label or link; they become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// Cuts raw text into pieces whose escaped form fits max bytes, preferring line breaks, then
// spaces, never splitting a code point or an entity. Bytes over-count Slack's characters, so a
// piece is never too long.
std::vector<std::string> split_escaped(std::string_view raw, std::size_t max) {
  std::vector<std::string> pieces;
  while (!raw.empty()) {
    std::size_t size = 0;
    std::size_t end = 0;
    std::size_t last_newline = std::string_view::npos;
    std::size_t last_space = std::string_view::npos;
    while (end < raw.size() && size + escaped_size(raw[end]) <= max) {
      size += escaped_size(raw[end]);
      if (raw[end] == '\n') last_newline = end;
      if (raw[end] == ' ') last_space = end;
      ++end;
    }
    std::size_t cut = end;
    std::size_t skip = 0;
    if (end < raw.size()) {
      if (last_newline != std::string_view::npos && last_newline > 0) {
        cut = last_newline;
        skip = 1;
      } else if (last_space != std::string_view::npos && last_space > 0) {
        cut = last_space;
        skip = 1;
      } else {
        cut = text::utf8_prefix(raw, end).size();
        if (cut == 0) cut = end;  // not UTF-8 after all; a cut is better than a loop
      }
    }
    const std::string piece = escape(raw.substr(0, cut));
    if (!text::trim(piece).empty()) pieces.push_back(piece);
    raw = raw.substr(std::min(raw.size(), cut + skip));
  }
  return pieces;
}

// JSON text written directly: a reply is rendered on every request, and building a tree of
// nlohmann values to print it cost more than the rest of the answer (perf, bench/README.md).
// Strings are escaped as nlohmann::json::dump escapes them; text that is not UTF-8 goes through
// nlohmann, whose replacement character stands for each bad sequence as before.
void put_string(std::string& out, std::string_view s) {
  if (!text::valid_utf8(s)) {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // the start of the run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s, plain, s.size() - plain);
  out += '"';
}

void put_mrkdwn(std::string& out, std::string_view text) {
  out += R"({"type":"mrkdwn","text":)";
  put_string(out, text);
  out += '}';
}

void put_section(std::string& out, std::string_view text) {
  out += R"({"type":"section","text":)";
  put_mrkdwn(out, text);
  out += '}';
}

// <url|label> within max bytes. The markup itself is never cut, or Slack would show a broken
// "<https://x|La" as text: the label is shortened instead, ending in "…"; a URL too long to link
// at all leaves the title as plain text.
std::string fitted_link(std::string_view url, std::string_view title, std::size_t max) {
  std::string whole = mrkdwn_link(url, title);
  if (whole.size() <= max) return whole;
  const std::string ellipsis = "\u2026";
  const auto shortened = [&](std::size_t bytes) {
    return mrkdwn_link(url, std::string(text::utf8_prefix(title, bytes)) + ellipsis);
  };
  if (shortened(0).size() > max) {
    const std::string why = " (its link is too long to show here)";
    if (max <= why.size()) return {};
    const auto pieces = split_escaped(one_line(title), max - why.size());
    return (pieces.empty() ? std::string() : pieces.front()) + why;
  }
  std::size_t low = 0, high = title.size();  // the longest prefix of the title that fits
  while (low < high) {
    const std::size_t middle = (low + high + 1) / 2;
    if (shortened(middle).size() <= max)
      low = middle;
    else
      high = middle - 1;
  }
  return shortened(low);
}

// "*1.* <url|title>", then a line of details, within a section's text. The details give way
// first, then the title; neither is cut inside an entity or a code point.
std::string link_line(const Link& link, std::size_t number) {
  const std::size_t max = limits::slack::section_text_max;
  std::string line = "*" + std::to_string(number) + ".* ";
  line += fitted_link(link.url, link.title, max - line.size());
  std::string details;
  if (!link.author.empty()) details += "by " + one_line(link.author);
  if (!link.medium.empty()) details += (details.empty() ? "" : ", ") + one_line(link.medium);
  if (!link.section.empty()) details += (details.empty() ? "" : " · ") + one_line(link.section);
  if (!details.empty() && line.size() + 1 < max) {
    const auto pieces = split_escaped(details, max - line.size() - 1);
    if (!pieces.empty()) line += "\n" + pieces.front();
  }
  return line;
}

std::string range_line(const Reply& reply, std::size_t shown) {
  if (reply.total > shown && shown > 0)
    return std::to_string(reply.first + 1) + "-" + std::to_string(reply.first + shown) + " of " +
           std::to_string(reply.total) + " links";
  return std::to_string(shown) + (shown == 1 ? " link" : " links");
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t at = text.find_first_of("&<>");
    out.append(text.substr(0, at));
    if (at == std::string_view::npos) break;
    out += text[at] == '&' ? "&amp;" : text[at] == '<' ? "&lt;" : "&gt;";
    text.remove_prefix(at + 1);
  }
  return out;
}

namespace {
// Appends c with Slack's three escapes.
void put_escaped(std::string& out, char c) {
  if (c == '&')
    out += "&amp;";
  else if (c == '<')
    out += "&lt;";
  else if (c == '>')
    out += "&gt;";
  else
    out += c;
}

// Appends text escaped, control characters (newlines included) as spaces, and each "|" as `bar`:
// the pieces of a one-line <url|label>.
void put_link_part(std::string& out, std::string_view text, std::string_view bar) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F)
      out += ' ';
    else if (c == '|')
      out += bar;
    else
      put_escaped(out, c);
  }
}
}  // namespace

std::string mrkdwn_link(std::string_view url, std::string_view label) {
  // A "|" in a label would end nothing, but one in the URL would start the label early, and
  // Slack documents no escape for it; label bars become a look-alike, URL bars "%7C".
  const std::string_view broken_bar = "\xC2\xA6";  // U+00A6 BROKEN BAR
  bool blank = true;
  for (const char c : label) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte != 0x7F) blank = false;
  }
  if (blank) label = url;
  const std::string lowered = text::lower_ascii(url.substr(0, 8));
  const bool web = lowered.starts_with("https://") || lowered.starts_with("http://");
  std::string out;
  out.reserve(url.size() + label.size() + 8);
  if (!web) {
    put_link_part(out, label, broken_bar);
    out += " (";
    put_link_part(out, url, "|");
    out += ')';
    return out;
  }
  out += '<';
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '|')
      out += "%7C";
    else if (c == ' ')
      out += "%20";  // "URLs with spaces will break" (Slack, formatting message text)
    else if (byte >= 0x20 && byte != 0x7F)
      put_escaped(out, c);
  }
  out += '|';
  put_link_part(out, label, broken_bar);
  out += '>';
  return out;
}

namespace {

// The blocks as JSON text, written into one buffer.
std::string blocks_json(const Reply& reply) {
  std::string out = "[";
  out.reserve(2048);
  std::size_t blocks = 0;
  const auto next_block = [&out, &blocks]() -> std::string& {
    if (blocks++ > 0) out += ',';
    return out;
  };
  const std::size_t budget = limits::slack::blocks_per_message;
  // Kept for the context line and the More button whatever the text's length.
  // A button whose words do not fit its value would page through other results: none then.
  const std::optional<std::string> more = reply.more ? more_value(*reply.more) : std::nullopt;
  const std::size_t tail = 1 + (more ? 1 : 0);
  if (!reply.title.empty())
    put_section(next_block(), "*" + escape(one_line(text::utf8_prefix(reply.title, limits::slack::title_max))) + "*");
  for (const auto& piece : split_escaped(reply.text, limits::slack::section_text_max)) {
    if (blocks + tail >= budget) break;
    put_section(next_block(), piece);
  }
  std::size_t shown = 0;
  for (const Link& link : reply.links) {
    if (blocks + tail >= budget) break;
    put_section(next_block(), link_line(link, reply.first + shown + 1));
    ++shown;
  }
  std::string note;
  if (!reply.note.empty()) {
    // One element: a note is a sentence or two.
    auto pieces = split_escaped(reply.note, limits::slack::context_text_max);
    if (!pieces.empty()) note = std::move(pieces.front());
  }
  if (!reply.links.empty() || !note.empty()) {
    next_block() += R"({"type":"context","elements":[)";
    if (!reply.links.empty()) {
      std::string line = range_line(reply, shown);
      if (shown < reply.links.size())
        line += " (" + std::to_string(reply.links.size() - shown) + " more did not fit in one Slack message)";
      put_mrkdwn(out, line);
      if (!note.empty()) out += ',';
    }
    if (!note.empty()) put_mrkdwn(out, note);
    out += "]}";
  }
  if (more) {
    next_block() +=
        R"({"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"More"},"action_id":)";
    put_string(out, more_action_id);
    out += R"(,"value":)";
    put_string(out, *more);
    out += "}]}";
  }
  // Section text must hold at least one character; an empty reply still says something.
  if (blocks == 0) put_section(next_block(), "Done.");
  out += ']';
  return out;
}

}  // namespace

json blocks(const Reply& reply) {
  return json::parse(blocks_json(reply));
}

std::string fallback_text(const Reply& reply) {
  std::string raw = !reply.title.empty() ? reply.title : reply.text;
  if (!reply.links.empty()) {
    raw += ":";
    for (std::size_t i = 0; i < reply.links.size(); ++i) raw += (i ? "; " : " ") + reply.links[i].title;
  }
  if (text::trim(raw).empty()) raw = "whygo";
  auto pieces = split_escaped(raw, limits::slack::fallback_text_max);
  return pieces.empty() ? std::string("whygo") : pieces.front();
}

std::string message_json(const Reply& reply) {
  const bool public_answer = reply.visibility == Visibility::channel && reply.error == ErrorKind::none;
  std::string out =
      public_answer ? R"({"response_type":"in_channel","text":)" : R"({"response_type":"ephemeral","text":)";
  put_string(out, fallback_text(reply));
  out += R"(,"blocks":)";
  out += blocks_json(reply);
  // Slack unfurls links in messages from apps too, webhook-style answers included
  // (https://docs.slack.dev/messaging/unfurling-links-in-messages): five results would grow five
  // previews under a list that already shows each link.
  out += R"(,"unfurl_links":false,"unfurl_media":false})";
  return out;
}

json message(const Reply& reply) {
  return json::parse(message_json(reply));
}

std::optional<std::string> more_value(const MoreResults& more) {
  std::string value = more::encode(more);
  if (value.size() > limits::slack::button_value_max) return std::nullopt;
  return value;
}

std::optional<MoreResults> parse_more_value(std::string_view value) {
  if (value.size() > limits::slack::button_value_max) return std::nullopt;
  return more::decode(value);
}

}  // namespace whygo::slack
