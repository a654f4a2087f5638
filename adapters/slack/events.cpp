#include "adapters/slack/events.hpp"

#include "bot/text.hpp"

namespace whygo::slack {

std::string mention_command_text(std::string_view text) {
  std::string without_mentions;
  while (!text.empty()) {
    const std::size_t open = text.find("<@");
    const std::size_t close = open == std::string_view::npos ? open : text.find('>', open);
    if (close == std::string_view::npos) {
      without_mentions += text;
      break;
    }
    without_mentions += text.substr(0, open);
    without_mentions += ' ';
    text = text.substr(close + 1);
  }
  // Slack sends "&", "<" and ">" in message text as entities (formatting message text); decoded
  // last, so a typed "&lt;@U1&gt;" stays text instead of becoming a mention to strip.
  std::string decoded;
  for (std::size_t i = 0; i < without_mentions.size(); ++i) {
    const std::string_view rest = std::string_view(without_mentions).substr(i);
    if (rest.starts_with("&amp;")) {
      decoded += '&';
      i += 4;
    } else if (rest.starts_with("&lt;")) {
      decoded += '<';
      i += 3;
    } else if (rest.starts_with("&gt;")) {
      decoded += '>';
      i += 3;
    } else {
      decoded += without_mentions[i];
    }
  }
  return std::string(text::trim(decoded));
}

}  // namespace whygo::slack
