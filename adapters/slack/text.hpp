// Text as Slack delivers it, back to what the person typed
// (https://docs.slack.dev/messaging/formatting-message-text). Message text (app_mention) and
// slash-command text come Slack-formatted: links wrapped as <https://x> or <https://x|label>,
// users as <@U123>, channels as <#C123|name>, specials as <!here>, and "&", "<", ">" as "&amp;",
// "&lt;", "&gt;". Decoding an entity Slack did not send is harmless: a typed "<" or ">" always
// arrives escaped, so a raw "<" starts markup.
#pragma once
#include <string>
#include <string_view>

namespace whygo::slack {

enum class UserMentions { keep, drop };

// "<https://go.dev/x|go.dev/x>" -> "https://go.dev/x" (a link becomes its URL), "<#C123|general>"
// -> "#general", "<@U123>" -> "@U123" (or a space with UserMentions::drop), "<!here>" -> "@here",
// "<!subteam^S1|@team>" -> "@team", "&amp;" -> "&". A "<" without its ">" is left as it is.
std::string decode_text(std::string_view text, UserMentions users = UserMentions::keep);

}  // namespace whygo::slack
