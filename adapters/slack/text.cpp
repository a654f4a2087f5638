#include "adapters/slack/text.hpp"

namespace whygo::slack {
namespace {

// "&amp;", "&lt;" and "&gt;": the only entities Slack uses.
std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("&amp;")) {
      out += '&';
      i += 4;
    } else if (rest.starts_with("&lt;")) {
      out += '<';
      i += 3;
    } else if (rest.starts_with("&gt;")) {
      out += '>';
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// What is between "<" and ">": a target, then an optional "|label".
std::string decode_markup(std::string_view inner, UserMentions users) {
  const std::size_t bar = inner.find('|');
  const std::string_view target = inner.substr(0, bar);
  const std::string_view label = bar == std::string_view::npos ? std::string_view() : inner.substr(bar + 1);
  if (target.starts_with("@")) {
    if (users == UserMentions::drop) return " ";
    return "@" + std::string(label.empty() ? target.substr(1) : label);
  }
  if (target.starts_with("#")) return "#" + std::string(label.empty() ? target.substr(1) : label);
  if (target.starts_with("!")) {
    // <!here>, <!channel>, <!everyone>; <!subteam^ID|@handle> and <!date^...|fallback> carry
    // their text in the label.
    if (!label.empty()) return std::string(label);
    std::string_view name = target.substr(1);
    name = name.substr(0, name.find('^'));
    return "@" + std::string(name);
  }
  return std::string(target);  // a link: its URL, what the command needs
}

}  // namespace

std::string decode_text(std::string_view text, UserMentions users) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '<') {
      out += text[i++];
      continue;
    }
    const std::size_t close = text.find('>', i + 1);
    if (close == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += decode_markup(text.substr(i + 1, close - i - 1), users);
    i = close + 1;
  }
  // Entities last, so a typed "&lt;@U1&gt;" stays text instead of becoming markup.
  return decode_entities(out);
}

}  // namespace whygo::slack
