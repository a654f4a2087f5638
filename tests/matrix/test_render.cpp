// Reply -> m.notice content: plain body, escaped HTML, relations, no pings.
#include <catch2/catch.hpp>

#include "adapters/matrix/render.hpp"
#include "bot/text.hpp"

using namespace whygo;
using namespace whygo::matrix;

namespace {
Reply links_reply(std::vector<Link> links) {
  Reply reply;
  reply.title = "Why Go: docker";
  reply.links = std::move(links);
  reply.total = reply.links.size();
  reply.visibility = Visibility::channel;
  return reply;
}

Link make_link(std::string title, std::string url, std::string author = "") {
  Link l;
  l.id = 22;
  l.title = std::move(title);
  l.url = std::move(url);
  l.author = std::move(author);
  l.section = "Why Go";
  return l;
}
}  // namespace

TEST_CASE("a reply renders as an m.notice with plain body and HTML", "[matrix][render]") {
  const auto content =
      render(links_reply({make_link("Go at Docker", "http://example.com/docker", "Jérôme")}), {"$ask", ""});
  CHECK(content["msgtype"] == "m.notice");
  CHECK(content["format"] == "org.matrix.custom.html");
  const std::string body = content["body"];
  CHECK(body.find("Why Go: docker") == 0);
  CHECK(body.find("1. Go at Docker\n   http://example.com/docker") != std::string::npos);
  const std::string html = content["formatted_body"];
  CHECK(html.find("<a href=\"http://example.com/docker\">Go at Docker</a>") != std::string::npos);
  CHECK(content["m.relates_to"] == nlohmann::json{{"m.in_reply_to", {{"event_id", "$ask"}}}});
  CHECK(content["m.mentions"] == nlohmann::json::object());
}

TEST_CASE("a reply mentions the asker and no one else", "[matrix][render]") {
  const auto content = render(Reply::message("hello @room"), {"$ask", "", "@alice:example.org"});
  CHECK(content["m.mentions"] == nlohmann::json{{"user_ids", {"@alice:example.org"}}});
}

TEST_CASE("a reply to a threaded question stays in the thread", "[matrix][render]") {
  const auto content = render(Reply::message("hello"), {"$ask", "$root"});
  CHECK(content["m.relates_to"]["rel_type"] == "m.thread");
  CHECK(content["m.relates_to"]["event_id"] == "$root");
  CHECK(content["m.relates_to"]["is_falling_back"] == false);
  CHECK(content["m.relates_to"]["m.in_reply_to"]["event_id"] == "$ask");
}

TEST_CASE("hostile titles are escaped and cannot ping the room", "[matrix][render]") {
  const auto content = render(
      links_reply({make_link("<script>alert('x')</script> & @room \"hi\"", "https://e.com/?a=1&b=\"2\"", "@ROOM"),
                   make_link("<b>bad</b>", "javascript:alert(1)")}),
      {"$ask", ""});
  const std::string html = content["formatted_body"];
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;") != std::string::npos);
  CHECK(html.find("href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\"") != std::string::npos);
  CHECK(html.find("<b>bad</b>") == std::string::npos);
  CHECK(html.find("href=\"javascript") == std::string::npos);
  const std::string body = content["body"];
  for (const std::string& text : {body, html}) {
    CHECK(text.find("@room") == std::string::npos);
    CHECK(text.find("@ROOM") == std::string::npos);
    CHECK(text.find("@\u2060room") != std::string::npos);
  }
  CHECK(content["m.mentions"] == nlohmann::json::object());
}

TEST_CASE("escape_html escapes the five characters", "[matrix][render]") {
  CHECK(text::escape_html("a<b>&\"'c") == "a&lt;b&gt;&amp;&quot;&#39;c");
  CHECK(text::escape_html("plain") == "plain");
  CHECK(defuse_room_mention("hi @room and @rooms") == "hi @\u2060room and @\u2060rooms");
  CHECK(defuse_room_mention("@ro") == "@ro");
}

TEST_CASE("an oversized reply drops the HTML and is cut", "[matrix][render]") {
  Reply reply = Reply::message(std::string(100 * 1024, 'x'));
  const auto content = render(reply, {"$ask", ""});
  CHECK_FALSE(content.contains("formatted_body"));
  CHECK_FALSE(content.contains("format"));
  CHECK(content["body"].get<std::string>().size() <= 24 * 1024);
}
