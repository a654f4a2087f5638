// Block Kit rendering: shape, limits, visibility, and catalog text that pings nobody.
#include <catch2/catch.hpp>

#include "adapters/slack/limits.hpp"
#include "adapters/slack/render.hpp"
#include "bot/limits.hpp"

using namespace whygo;
using nlohmann::json;

namespace {

Link make_link(std::int64_t id, std::string title, std::string url = "https://example.com/go") {
  Link link;
  link.id = id;
  link.title = std::move(title);
  link.url = std::move(url);
  link.author = "Rob Pike";
  link.medium = "YouTube";
  link.section = "Why Go";
  return link;
}

Reply results(std::size_t count, std::size_t total, std::size_t first = 0) {
  Reply reply;
  reply.title = "Why Go: docker";
  reply.visibility = Visibility::channel;
  for (std::size_t i = 0; i < count; ++i)
    reply.links.push_back(make_link(static_cast<std::int64_t>(i + 1), "Link " + std::to_string(i)));
  reply.total = total;
  reply.first = first;
  if (first + count < total) reply.more = MoreResults{"search", "docker", first + count};
  return reply;
}

// Every piece of text anywhere in the message, joined.
std::string all_text(const json& value) {
  if (value.is_string()) return value.get<std::string>() + "\n";
  std::string out;
  if (value.is_structured())
    for (const auto& item : value) out += all_text(item);
  return out;
}

void check_block_limits(const json& blocks) {
  REQUIRE(blocks.is_array());
  CHECK(blocks.size() >= 1);
  CHECK(blocks.size() <= limits::slack::blocks_per_message);
  for (const json& block : blocks) {
    const std::string type = block.at("type");
    if (type == "section") {
      const std::string text = block.at("text").at("text");
      CHECK(!text.empty());
      CHECK(text.size() <= 3000);
      CHECK(block.at("text").at("type") == "mrkdwn");
    } else if (type == "context") {
      CHECK(block.at("elements").size() <= 10);
      for (const json& e : block.at("elements")) CHECK(e.at("text").get<std::string>().size() <= 3000);
    } else if (type == "actions") {
      CHECK(block.at("elements").size() <= 25);
      for (const json& e : block.at("elements")) {
        CHECK(e.at("type") == "button");
        CHECK(e.at("text").at("type") == "plain_text");
        CHECK(e.at("text").at("text").get<std::string>().size() <= 75);
        CHECK(e.at("value").get<std::string>().size() <= 2000);
      }
    } else {
      FAIL("unexpected block type " << type);
    }
  }
}

}  // namespace

TEST_CASE("escape converts exactly Slack's three control characters", "[render]") {
  CHECK(slack::escape("a & b < c > d") == "a &amp; b &lt; c &gt; d");
  CHECK(slack::escape("<!channel>") == "&lt;!channel&gt;");
  CHECK(slack::escape("&amp;") == "&amp;amp;");  // text, not markup: shown as typed
  CHECK(slack::escape("*bold* \"quoted\" 'x' caf\xc3\xa9") == "*bold* \"quoted\" 'x' caf\xc3\xa9");
}

TEST_CASE("a link renders as <url|title>, escaped", "[render]") {
  CHECK(slack::mrkdwn_link("https://www.docker.com/", "Go at Docker") == "<https://www.docker.com/|Go at Docker>");
  CHECK(slack::mrkdwn_link("https://x.org/?a=1&b=2", "A & B") == "<https://x.org/?a=1&amp;b=2|A &amp; B>");
  // A "|" in the URL would start the label early; one in the label is shown as a look-alike.
  CHECK(slack::mrkdwn_link("https://x.org/a|b", "a|b") ==
        "<https://x.org/a%7Cb|a\xC2\xA6"
        "b>");
  CHECK(slack::mrkdwn_link("https://x.org/a b", "two\nlines") == "<https://x.org/a%20b|two lines>");
  // Only web links are links.
  CHECK(slack::mrkdwn_link("javascript:alert(1)", "x") == "x (javascript:alert(1))");
  CHECK(slack::mrkdwn_link("https://x.org/", "") == "<https://x.org/|https://x.org/>");
}

TEST_CASE("hostile catalog text pings nobody", "[render][escape]") {
  Reply reply = results(0, 1);
  reply.title = "Why Go: <!here>";
  reply.links.push_back(make_link(1, "<!channel> Go at Evil <@U123> <!here> <!everyone> <!subteam^S1>",
                                  "https://evil.example/<!channel>"));
  reply.links.back().author = "<@U999|boss>";
  reply.links.back().medium = "<https://phish.example|Docker>";
  reply.links.back().section = "<#C123>";
  reply.note = "Did you mean \"<!channel>\"?";
  reply.text = "<!everyone> read this";
  const json message = slack::message(reply);
  const std::string text = all_text(message);
  for (const char* ping :
       {"<!channel>", "<!here>", "<@U123>", "<!everyone>", "<!subteam", "<@U999", "<#C123>", "<https://phish.example"})
    CHECK(text.find(ping) == std::string::npos);
  CHECK(text.find("&lt;!channel&gt; Go at Evil &lt;@U123&gt;") != std::string::npos);
  CHECK(text.find("&lt;https://phish.example|Docker&gt;") != std::string::npos);
  CHECK(message.at("text").get<std::string>().find("&lt;!here&gt;") != std::string::npos);
  check_block_limits(message.at("blocks"));
}

TEST_CASE("search results render as a titled list with author, medium, a context line and More", "[render]") {
  Reply reply = results(5, 12);
  reply.links[0].title = "Go at Docker";
  reply.links[0].url = "http://www.slideshare.net/jpetazzo/docker-and-go-why-did-we-decide-to-write-docker-in-go";
  const json message = slack::message(reply);
  CHECK(message.at("response_type") == "in_channel");
  CHECK(message.at("text").get<std::string>().starts_with("Why Go: docker: Go at Docker"));
  const json& blocks = message.at("blocks");
  check_block_limits(blocks);
  REQUIRE(blocks.size() == 1 + 5 + 1 + 1);
  CHECK(blocks[0].at("text").at("text") == "*Why Go: docker*");
  CHECK(blocks[1].at("text").at("text") ==
        "*1.* <http://www.slideshare.net/jpetazzo/docker-and-go-why-did-we-decide-to-write-docker-in-go|Go at Docker>"
        "\nby Rob Pike, YouTube · Why Go");
  CHECK(blocks[6].at("type") == "context");
  CHECK(blocks[6].at("elements")[0].at("text") == "1-5 of 12 links");
  const json& button = blocks[7].at("elements")[0];
  CHECK(blocks[7].at("type") == "actions");
  CHECK(button.at("action_id") == "whygo_more");
  CHECK(button.at("text").at("text") == "More");
  const auto more = slack::parse_more_value(button.at("value").get<std::string>());
  REQUIRE(more);
  CHECK(more->command == "search");
  CHECK(more->args == "docker");
  CHECK(more->offset == 5);
}

TEST_CASE("the last page has no More button and numbers from its first link", "[render]") {
  const json blocks = slack::blocks(results(2, 7, 5));
  check_block_limits(blocks);
  CHECK(blocks[1].at("text").at("text").get<std::string>().starts_with("*6.* "));
  CHECK(blocks.back().at("type") == "context");
  CHECK(blocks.back().at("elements")[0].at("text") == "6-7 of 7 links");
}

TEST_CASE("help, errors and refusals are ephemeral", "[render]") {
  CHECK(slack::message(Reply::message("help text")).at("response_type") == "ephemeral");
  CHECK(slack::message(Reply::failure(ErrorKind::forbidden, "Only admins")).at("response_type") == "ephemeral");
  Reply public_failure = Reply::failure(ErrorKind::not_found, "No link matches");
  public_failure.visibility = Visibility::channel;
  CHECK(slack::message(public_failure).at("response_type") == "ephemeral");
  CHECK(slack::message(Reply::message("added", Visibility::channel)).at("response_type") == "in_channel");
}

TEST_CASE("long text is split into sections within Slack's limits", "[render]") {
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "line " + std::to_string(i) + " with <angle> & ampersand\n";
  const json blocks = slack::blocks(Reply::message(long_text));
  check_block_limits(blocks);
  CHECK(blocks.size() > 1);
  std::string joined;
  for (const json& b : blocks) joined += b.at("text").at("text").get<std::string>() + "\n";
  CHECK(joined.find("line 0 with &lt;angle&gt; &amp; ampersand") != std::string::npos);
  CHECK(joined.find("line 399 with") != std::string::npos);
  // One unbroken word longer than a section is cut, never split inside a code point.
  const json word = slack::blocks(Reply::message(std::string(5000, 'x') + std::string(2000, '&') + "\xc3\xa9"));
  check_block_limits(word);
}

TEST_CASE("the message is JSON text any parser reads back, whatever bytes the text holds", "[render][escape]") {
  // Every ASCII character but & < > (which Slack's escaping changes): quotes, backslashes, tabs,
  // other control characters, DEL. The text section must read back byte for byte.
  std::string ascii = "x";
  for (int c = 1; c < 0x80; ++c)
    if (c != '&' && c != '<' && c != '>') ascii += static_cast<char>(c);
  ascii += "\u00e9\u2028x";  // non-ASCII stays as UTF-8, U+2028 included
  Reply reply = results(2, 2);
  reply.text = ascii;
  reply.links[0].title = "bad \xff\xfe UTF-8 \"quoted\"";
  reply.note = "note\twith \x01 control";
  const std::string wire = slack::message_json(reply);
  for (const char c : wire) CHECK(static_cast<unsigned char>(c) >= 0x20);  // no raw control character
  const json parsed = json::parse(wire);                                   // throws on anything that is not JSON
  CHECK(wire.find(json(ascii).dump()) != std::string::npos);               // escaped byte for byte as nlohmann dumps it
  CHECK(parsed.at("response_type") == "in_channel");
  CHECK(parsed.at("unfurl_links") == false);
  CHECK(parsed.at("blocks").at(1).at("text").at("text") == ascii);
  // Bytes that are not UTF-8 become U+FFFD (as nlohmann's dump replaces them), the rest stays.
  const std::string line = parsed.at("blocks").at(2).at("text").at("text");
  CHECK(line.find("bad \xef\xbf\xbd") != std::string::npos);
  CHECK(line.find("\"quoted\"") != std::string::npos);
  CHECK(all_text(parsed).find("note\twith \x01 control") != std::string::npos);
}

TEST_CASE("a message never exceeds 50 blocks", "[render]") {
  Reply reply = results(80, 200);
  reply.text = std::string(3000 * 10, 'y');
  const json blocks = slack::blocks(reply);
  check_block_limits(blocks);
  CHECK(blocks.size() == limits::slack::blocks_per_message);
  CHECK(blocks.back().at("type") == "actions");  // the More button survives
  CHECK(blocks[blocks.size() - 2].at("elements")[0].at("text").get<std::string>().find("did not fit") !=
        std::string::npos);
  CHECK(slack::fallback_text(reply).size() <= limits::slack::fallback_text_max);
}

TEST_CASE("an empty reply still renders a valid message", "[render]") {
  const json message = slack::message(Reply{});
  check_block_limits(message.at("blocks"));
  CHECK(!message.at("text").get<std::string>().empty());
}

TEST_CASE("More values round-trip and malformed ones are refused", "[render]") {
  const auto value = slack::more_value({"list", "rob pike: talks", 10});
  REQUIRE(value);
  const auto more = slack::parse_more_value(*value);
  REQUIRE(more);
  CHECK(more->command == "list");
  CHECK(more->args == "rob pike: talks");
  CHECK(more->offset == 10);
  // Words that do not fit the value's 2000 bytes give no button rather than one for other words.
  CHECK_FALSE(slack::more_value({"search", std::string(5000, 'q'), 5}));
  // The old format ("<offset>:<text>") ran its text as a command: refused.
  for (const char* bad : {"", ":docker", "x:docker", "5", "5:", "-5:docker", "12345678901:docker", "5: ", "5:\xff",
                          "5:docker", "5:add https://evil.example/x Evil", "m1:search:5:\xff", "m1:search:5: "})
    CHECK_FALSE(slack::parse_more_value(bad));
}

// A section's text holds at most 3000 characters (https://docs.slack.dev/reference/block-kit/blocks/section-block);
// a link line over it is shortened in its label, never inside the <url|label> markup, which Slack
// would otherwise show as broken text (https://docs.slack.dev/messaging/formatting-message-text).
TEST_CASE("a long link line is shortened in its label, never inside the link markup", "[render]") {
  Link link;
  link.id = 7;
  link.url = "https://example.org/" + std::string(2048 - 20, 'p');
  link.title = std::string(200, '&');  // 1000 bytes once escaped
  link.author = std::string(100, '<');
  link.section = "Why Go";
  Reply reply;
  reply.visibility = Visibility::channel;
  reply.links = {link};
  reply.total = 1;
  const json blocks = slack::blocks(reply);
  std::string line;
  for (const json& b : blocks)
    if (b["type"] == "section" && b["text"]["text"].get<std::string>().find("<https://") != std::string::npos)
      line = b["text"]["text"];
  REQUIRE_FALSE(line.empty());
  CHECK(line.size() <= 3000);
  const std::size_t open = line.find("<https://");
  const std::size_t bar = line.find('|', open);
  const std::size_t close = line.find('>', bar);
  REQUIRE(bar != std::string::npos);
  REQUIRE(close != std::string::npos);  // the markup is whole
  CHECK(line.substr(open + 1, bar - open - 1) == link.url);
  const std::string label = line.substr(bar + 1, close - bar - 1);
  CHECK(label.ends_with("\u2026"));
  // No entity is cut: every "&" starts one of Slack's three.
  for (std::size_t at = line.find('&'); at != std::string::npos; at = line.find('&', at + 1)) {
    const std::string rest = line.substr(at);
    CHECK((rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;")));
  }
}

TEST_CASE("a URL too long to link at all leaves its title as plain text", "[render]") {
  Link link;
  link.id = 8;
  link.url = "https://example.org/?";
  while (link.url.size() < 2040) link.url += "a&";  // 5 bytes each once escaped
  link.title = "Ampersands";
  const std::string line = slack::blocks([&] {
    Reply r;
    r.links = {link};
    r.total = 1;
    return r;
  }())[0]["text"]["text"];
  CHECK(line.size() <= 3000);
  CHECK(line.find("Ampersands") != std::string::npos);
  CHECK(line.find('<') == std::string::npos);  // no half link
}
