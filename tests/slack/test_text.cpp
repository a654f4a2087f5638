// Slack-formatted text back to what the person typed (adapters/slack/text.hpp), with the forms
// https://docs.slack.dev/messaging/formatting-message-text gives: <https://x>, <http://x|label>,
// <@U123>, <#C123|name>, <!here>, <!subteam^ID|@handle>, and &amp; &lt; &gt;.
#include <catch2/catch.hpp>

#include "adapters/slack/events.hpp"
#include "adapters/slack/text.hpp"

using whygo::slack::decode_text;
using whygo::slack::UserMentions;

TEST_CASE("links become their URL, with or without a label", "[text]") {
  CHECK(decode_text("<https://go.dev/x>") == "https://go.dev/x");
  CHECK(decode_text("<http://www.foo.com|www.foo.com>") == "http://www.foo.com");
  CHECK(decode_text("add <https://example.org/?a=1&amp;b=2|example.org> Title") ==
        "add https://example.org/?a=1&b=2 Title");
  CHECK(decode_text("<mailto:bob@example.com|Bob>") == "mailto:bob@example.com");
}

TEST_CASE("channels, users and specials read as typed", "[text]") {
  CHECK(decode_text("in <#C123|general> and <#C987654321|>") == "in #general and #C987654321");
  CHECK(decode_text("<@U0LAN0Z89> hi") == "@U0LAN0Z89 hi");
  CHECK(decode_text("<@U0LAN0Z89|bob> hi") == "@bob hi");
  CHECK(decode_text("<@U0LAN0Z89> hi", UserMentions::drop) == "  hi");
  CHECK(decode_text("<!here> <!channel> <!everyone>") == "@here @channel @everyone");
  CHECK(decode_text("<!subteam^SAZ94GDB8|@gophers>") == "@gophers");
  CHECK(decode_text("<!date^1392734382^{date_short}|Feb 18, 2014>") == "Feb 18, 2014");
}

TEST_CASE("entities are decoded once, after the markup, so typed text never becomes markup", "[text]") {
  CHECK(decode_text("a &amp; b &lt;x&gt;") == "a & b <x>");
  CHECK(decode_text("&lt;https://x&gt;") == "<https://x>");
  CHECK(decode_text("&amp;lt;") == "&lt;");
  CHECK(decode_text("1 &lt; 2 &gt; 0") == "1 < 2 > 0");
  CHECK(decode_text("raw & unescaped") == "raw & unescaped");  // harmless if Slack sent it raw
}

TEST_CASE("broken markup is left as it is", "[text]") {
  CHECK(decode_text("<https://x") == "<https://x");
  CHECK(decode_text("<>") == "");
  CHECK(decode_text("") == "");
}

TEST_CASE("a mention's text drops the users it mentions, then decodes", "[text][events]") {
  using whygo::slack::mention_command_text;
  CHECK(mention_command_text("<@U0LAN0Z89> add <https://go.dev/x|go.dev/x> Go &amp; you") ==
        "add https://go.dev/x Go & you");
  CHECK(mention_command_text("<@U0LAN0Z89> <!here>") == "@here");
}
