// Rendering replies as Discord messages: limits, mentions, escaping, the "More" button.
#include <catch2/catch.hpp>

#include "adapters/discord/components.hpp"
#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "adapters/discord/render.hpp"
#include "bot/limits.hpp"

using namespace whygo;
using namespace whygo::discord;
using nlohmann::json;

namespace {

Link make_link(std::int64_t id, std::string title, std::string author = "Rob Pike") {
  Link link;
  link.id = id;
  link.title = std::move(title);
  link.url = "https://example.org/" + std::to_string(id);
  link.author = std::move(author);
  link.medium = "YouTube";
  link.section = "Why Go";
  return link;
}

Reply results(std::vector<Link> links, std::size_t total = 0) {
  Reply reply;
  reply.title = "Why Go: docker";
  reply.visibility = Visibility::channel;
  reply.links = std::move(links);
  reply.total = total ? total : reply.links.size();
  return reply;
}

std::size_t embeds_total(const json& message) {
  std::size_t total = 0;
  for (const auto& e : message["embeds"]) {
    if (e.contains("title")) total += char_count(e["title"].get<std::string>());
    if (e.contains("description")) total += char_count(e["description"].get<std::string>());
    if (e.contains("author")) total += char_count(e["author"]["name"].get<std::string>());
    if (e.contains("footer")) total += char_count(e["footer"]["text"].get<std::string>());
  }
  return total;
}

void check_limits(const json& message) {
  namespace dl = limits::discord;
  CHECK(message["allowed_mentions"] == json{{"parse", json::array()}});
  CHECK(char_count(message["content"].get<std::string>()) <= dl::content_max_chars);
  CHECK(message["embeds"].size() <= dl::embeds_max);
  CHECK(embeds_total(message) <= dl::embeds_total_max_chars);
  for (const auto& e : message["embeds"]) {
    CHECK(char_count(e["title"].get<std::string>()) <= dl::embed_title_max_chars);
    if (e.contains("description"))
      CHECK(char_count(e["description"].get<std::string>()) <= dl::embed_description_max_chars);
    if (e.contains("author")) CHECK(char_count(e["author"]["name"].get<std::string>()) <= dl::embed_author_max_chars);
  }
}

}  // namespace

TEST_CASE("a page of results: one linked embed per link, heading with the range, public", "[discord][render]") {
  Reply reply = results({make_link(22, "Go at Docker"), make_link(23, "Go at Google")}, 12);
  reply.more = MoreResults{"search", "docker", 2};
  const json m = render_message(reply, MessageKind::new_message);
  check_limits(m);
  CHECK(m["content"] == "**Why Go: docker** (1\u20132 of 12)");
  REQUIRE(m["embeds"].size() == 2);
  CHECK(m["embeds"][0]["title"] == "Go at Docker");
  CHECK(m["embeds"][0]["url"] == "https://example.org/22");
  CHECK(m["embeds"][0]["author"]["name"] == "Rob Pike");
  CHECK(m["embeds"][0]["description"] == "YouTube \u00b7 Why Go");
  CHECK_FALSE(m.contains("flags"));
  REQUIRE(m["components"].size() == 1);
  CHECK(m["components"][0]["components"][0]["custom_id"] == "m1:search:2:docker");
  CHECK(m["components"][0]["components"][0]["label"] == "More");
}

TEST_CASE("help and errors are ephemeral (flag 64), updates never carry flags", "[discord][render]") {
  const json help = render_message(Reply::message("how to use"), MessageKind::new_message);
  CHECK(help["flags"] == 64);
  check_limits(help);
  const json error = render_message(Reply::failure(ErrorKind::forbidden, "Only admins"), MessageKind::new_message);
  CHECK(error["flags"] == 64);
  CHECK(error["allowed_mentions"]["parse"].empty());
  const json update = render_message(Reply::message("x"), MessageKind::update);
  CHECK_FALSE(update.contains("flags"));
  CHECK(update["components"].empty());
  CHECK(update["embeds"].empty());
}

TEST_CASE("long titles, many links and huge text stay within Discord's limits", "[discord][render]") {
  std::vector<Link> links;
  for (int i = 0; i < 14; ++i) links.push_back(make_link(i, std::string(1000, 'T'), std::string(400, 'A')));
  Reply reply = results(links, 40);
  reply.text = std::string(5000, 'x');
  reply.note = "note";
  reply.more = MoreResults{"search", "docker", 14};
  const json m = render_message(reply, MessageKind::new_message);
  check_limits(m);
  CHECK(m["embeds"].size() < 14);
  CHECK(m["embeds"][0]["title"].get<std::string>().size() > 200);
  // The links that did not fit are the next page.
  const auto more = parse_more_custom_id(m["components"][0]["components"][0]["custom_id"].get<std::string>());
  REQUIRE(more);
  CHECK(more->offset == m["embeds"].size());

  // Ten short links fit; the eleventh is left for "More".
  std::vector<Link> short_links;
  for (int i = 0; i < 11; ++i) short_links.push_back(make_link(i, "Go at " + std::to_string(i)));
  const json ten = render_message(results(short_links), MessageKind::new_message);
  CHECK(ten["embeds"].size() == 10);
  check_limits(ten);
}

TEST_CASE("multi-byte titles are cut on code points, not bytes", "[discord][render]") {
  const json m =
      render_message(results({make_link(1, std::string(300, 'a') + "\u00e9\u00e9")}), MessageKind::new_message);
  const std::string title = m["embeds"][0]["title"];
  CHECK(char_count(title) == limits::discord::embed_title_max_chars);
  CHECK(title.substr(title.size() - 3) == "\u2026");
  CHECK(clip("h\u00e9llo", 3) == "h\u00e9\u2026");
  CHECK(clip("ab\xff", 10) == "ab\ufffd");
  CHECK(clip("abc\\*", 5) == "abc\\*");
  CHECK(clip("abc\\*def", 5) == "abc\u2026");  // never half an escape
}

TEST_CASE("hostile titles neither ping nor look like mentions or links", "[discord][render]") {
  Reply reply =
      results({make_link(1, "@everyone <@80351110224678912> <@&123> [click](https://evil.example) **bold**", "@here")});
  reply.title = "Why Go: @everyone";
  reply.text = "<#123> ||spoiler|| `code`";
  const json m = render_message(reply, MessageKind::new_message);
  CHECK(m["allowed_mentions"] == json{{"parse", json::array()}});
  const std::string content = m["content"];
  const std::string title = m["embeds"][0]["title"];
  for (const std::string& s : {content, title}) {
    CHECK(s.find("@everyone") == std::string::npos);
    // Every character that could open a mention tag or a masked link is escaped.
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] == '<' || s[i] == '[' || s[i] == ']' || s[i] == '|' || s[i] == '`') CHECK((i > 0 && s[i - 1] == '\\'));
  }
  CHECK(title.find("@\u200beveryone") != std::string::npos);
  CHECK(title.find("\\<@80351110224678912\\>") != std::string::npos);
  CHECK(title.find("\\*\\*bold\\*\\*") != std::string::npos);
  CHECK(content.find("\\|\\|spoiler\\|\\|") != std::string::npos);
  CHECK(m["embeds"][0]["author"]["name"] == "@here");  // plain text there: no mention is rendered
  CHECK(escape_markdown("a\x01z\nb") == "a z\nb");
}

TEST_CASE("links without an http(s) URL are shown unlinked", "[discord][render]") {
  Link bad = make_link(1, "Bad");
  bad.url = "javascript:alert(1)";
  Link spaced = make_link(2, "Spaced");
  spaced.url = "https://example.org/a b";
  const json m = render_message(results({bad, spaced}), MessageKind::new_message);
  CHECK_FALSE(m["embeds"][0].contains("url"));
  CHECK_FALSE(m["embeds"][1].contains("url"));
}

TEST_CASE("the More button's custom_id round-trips within 100 characters", "[discord][components]") {
  for (const MoreResults& more : {MoreResults{"search", "docker", 5}, MoreResults{"search", "rob pike: talks", 123},
                                  MoreResults{"list", "h\u00e9llo w\u00f6rld", 10}}) {
    const auto id = more_custom_id(more);
    REQUIRE(id);
    CHECK(char_count(*id) <= limits::discord::custom_id_max_chars);
    const auto back = parse_more_custom_id(*id);
    REQUIRE(back);
    CHECK(back->command == more.command);
    CHECK(back->args == more.args);
    CHECK(back->offset == more.offset);
  }
  // 100 characters at most: a query that does not fit gives no button rather than a wrong one.
  CHECK(more_custom_id(MoreResults{"search", std::string(88, 'a'), 5}));
  CHECK_FALSE(more_custom_id(MoreResults{"search", std::string(89, 'a'), 5}));
  CHECK(more_components(MoreResults{"search", std::string(95, 'a'), 5}).empty());
  CHECK_FALSE(more_custom_id(MoreResults{"search", "  ", 5}));
  CHECK_FALSE(more_custom_id(MoreResults{"Search", "docker", 5}));
}

TEST_CASE("custom_ids we did not make are refused", "[discord][components]") {
  // Buttons of the old format ("more:<offset>:<text>") ran their text as a command: refused.
  for (const char* id : {"", "more", "more:", "more:5:docker", "more:5:add https://evil.example/x Evil",
                         "m1:", "m1:search", "m1:search:", "m1:search:5:", "m1:search:x:docker", "m1:search:-1:docker",
                         "m1:search:9999999:docker", "m1::5:docker", "m1:Search:5:docker", "m1:add x:5:docker",
                         "m2:search:5:docker", "m1:search:5", "m1:search: 5:docker", "m1:search:5: "})
    CHECK_FALSE(parse_more_custom_id(id));
}

TEST_CASE("interaction responses carry their type and data", "[discord][render]") {
  CHECK(to_wire(interaction_response(CallbackType::pong)) == R"({"type":1})");
  CHECK(to_wire(interaction_response(CallbackType::deferred_channel_message)) == R"({"type":5})");
  const json r = interaction_response(CallbackType::channel_message, {{"content", "x"}});
  CHECK(r["type"] == 4);
  CHECK(r["data"]["content"] == "x");
  CHECK_NOTHROW(to_wire(json{{"content", "\xff"}}));
}
