#include "adapters/slack/events.hpp"

#include "adapters/slack/text.hpp"
#include "bot/text.hpp"

namespace whygo::slack {

std::string mention_command_text(std::string_view text) {
  return std::string(text::trim(decode_text(text, UserMentions::drop)));
}

}  // namespace whygo::slack
