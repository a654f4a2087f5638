// Issue 14's pieces on their own: the More payload, scoped admin entries, the log escaping, the
// format characters, links through RFC 3986, and the capped, bulk-decided suggestion queue.
#include <catch2/catch.hpp>

#include "bot/admins.hpp"
#include "bot/log_text.hpp"
#include "bot/more.hpp"
#include "bot/store.hpp"
#include "bot/unicode.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"
#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("More payloads name their paging command and round-trip", "[trust][more]") {
  for (const MoreResults& more : {MoreResults{"search", "add https://evil.example/x Go", 5},
                                  MoreResults{"list", "why go", 123456}, MoreResults{"search", "caf\u00e9: a:b", 0}}) {
    const auto back = more::decode(more::encode(more));
    REQUIRE(back);
    CHECK(back->command == more.command);
    CHECK(back->args == more.args);
    CHECK(back->offset == more.offset);
  }
  CHECK(more::encode({"search", "docker", 5}) == "m1:search:5:docker");
  CHECK_FALSE(more::decode("m1:search:1234567:docker"));
  CHECK_FALSE(more::decode("m1:search:5:" + std::string(5000, 'a')));
  test::Fixture f;
  // A page of "find log" continues the search for "log", never `history` (its alias "log").
  const Request anyone = [] {
    Request r;
    r.platform = "slack";
    r.user = "U1";
    return r;
  }();
  const Reply paged = f.app->dispatcher().page(anyone, {"search", "log go", 5});
  CHECK(paged.command == "search");
  CHECK(paged.error == ErrorKind::none);
  Request admin = anyone;
  admin.is_admin = true;
  for (const std::string command : {"history", "add", "remove", "undo", "reject", "subscribe", "nope"}) {
    const Reply refused = f.app->dispatcher().page(admin, {command, "all", 0});
    CHECK(refused.command == "more");
    CHECK(refused.error == ErrorKind::bad_request);
  }
  CHECK(f.app->store().history(10).empty());
}

TEST_CASE("admin entries may name their tenant", "[trust][admins]") {
  const AdminList admins =
      AdminList::parse("slack:T0123/U0456, slack:U0BARE, matrix:@a/b:example.org, discord:80351110224678912",
                       {"slack", "discord", "matrix"}, "WHYGO_ADMINS");
  CHECK(admins.listed("slack", "U0456", "T0123"));
  CHECK_FALSE(admins.listed("slack", "U0456", "T0999"));
  CHECK_FALSE(admins.listed("slack", "U0456"));
  CHECK(admins.listed("slack", "U0BARE", "T0999"));
  CHECK(admins.listed("matrix", "@a/b:example.org", "example.org"));  // a '/' in a localpart is no tenant
  CHECK(admins.users_on("slack", "T0123") == std::vector<std::string>{"U0456", "U0BARE"});
  CHECK(admins.users_on("slack", "T0999") == std::vector<std::string>{"U0BARE"});
  CHECK(admins.users_on("matrix", "example.org") == std::vector<std::string>{"@a/b:example.org"});
  CHECK_THROWS_AS(AdminList::parse("slack:T0123/", {"slack"}, "WHYGO_ADMINS"), std::invalid_argument);
}

TEST_CASE("log values are escaped: no line breaks, terminal escapes, invisible or field-forging text",
          "[trust][logs]") {
  CHECK(log_text::field("/slack/commands") == "/slack/commands");
  CHECK(log_text::field("") == "\"\"");
  CHECK(log_text::field("a b") == "\"a b\"");
  CHECK(log_text::field("x\ny\rz\t") == "\"x\\ny\\rz\\t\"");
  CHECK(log_text::field("\x1b[31m") == "\"\\x1B[31m\"");
  CHECK(log_text::field("q\"\\") == "\"q\\\"\\\\\"");
  CHECK(log_text::field("\xff") == "\"\\xFF\"");
  CHECK(log_text::field("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(log_text::field("a\xc2\x85"
                        "b") == "\"a\\u{0085}b\"");  // C1 next line
  CHECK(log_text::field("a\xe2\x80\xae"
                        "b") == "\"a\\u{202E}b\"");
  CHECK(log_text::line("said \"hi\" to a b") == "said \"hi\" to a b");
  CHECK(log_text::line("two\nlines\x1b") == "two\\nlines\\x1B");
  // Runs of plain ASCII around what is escaped, and a space only inside a run still quotes a field.
  CHECK(log_text::line("a b\x01"
                       "c \xe2\x80\xae"
                       "d") == "a b\\x01c \\u{202E}d");
  CHECK(log_text::field("\xc3\xa9 x") == "\"\xc3\xa9 x\"");
}

TEST_CASE("format characters (Unicode Cf) are found and refused in catalog text", "[trust][unicode]") {
  for (const char32_t c : {0xADu, 0x200Bu, 0x200Eu, 0x202Eu, 0x2066u, 0xFEFFu, 0xE0001u, 0xE007Fu, 0x1343Fu})
    CHECK(unicode::is_format(c));
  for (const char32_t c : {0x41u, 0xE9u, 0x2028u, 0x3000u, 0xFFFDu, 0x1F600u}) CHECK_FALSE(unicode::is_format(c));
  CHECK(unicode::first_format("Go\xe2\x80\x8b at Docker") == char32_t{0x200B});
  CHECK_FALSE(unicode::first_format("Caf\xc3\xa9 \xe2\x98\x95"));
  for (const char* text : {"Go\xe2\x80\x8b at Docker", "\xef\xbb\xbfGo", "Go\xe2\x80\x8e",
                           "Go\xc2\xad"
                           "Docker"}) {
    CHECK(validate::title(text));
    CHECK(validate::author(text));
    CHECK(validate::tag(text));
  }
  CHECK(validate::title("Go\xe2\x80\x8b").value().text.find("U+200B") != std::string::npos);
}

TEST_CASE("links are read by an RFC 3986 parser, and hosts must be host names", "[trust][url]") {
  for (const char* bad :
       {"https://[<script>]/", "https://[<script>alert(1)</script>]/x", "https://[v1.x]/", "https://[::1/",
        "https://-evil.example/", "https://evil-.example/", "https://a.-b.org/", "https://ex%41mple.org/",
        "https://ex!ample.org/", "https://exa$mple.org/", "https://x.org./", "https://x.org:/", "https://x.org:99999/",
        "https:example.org/x", "https://example.org.", "https:///path"}) {
    INFO(bad);
    CHECK(url::problem(bad));
  }
  for (const std::string& good : std::vector<std::string>{
           "https://example.org/post", "http://1.2.3.4:8080/x", "https://[2001:db8::1]/x",
           "https://xn--bcher-kva.example/", "https://a-b.example/x?y=[1]&z=100%#frag#more",
           "https://de.example.org/wiki/G\xc3\xb6|x{y}^`\\\"<>", "https://" + std::string(63, 'a') + ".org/"}) {
    INFO(good);
    CHECK_FALSE(url::problem(good));
  }
  CHECK(url::problem("https://" + std::string(64, 'a') + ".org/"));
  CHECK(url::problem("https://[<script>]/")->text.find("host") != std::string::npos);
}

TEST_CASE("the suggestion queue is capped and decided in bulk, undone as one", "[trust][store]") {
  test::TempDir dir;
  Store store(dir.file("w.db"));
  const PendingCaps caps{5, 3, 2};
  const auto suggest = [&](int n, const std::string& tenant, const std::string& channel) {
    return store.add_suggestion("https://x.org/" + std::to_string(n), "T", {"slack", "U" + std::to_string(n), 1},
                                {tenant, channel}, caps);
  };
  CHECK(suggest(1, "A", "c1").status == WriteStatus::done);
  CHECK(suggest(2, "A", "c1").status == WriteStatus::done);
  CHECK(suggest(3, "A", "c1").detail == "channel");
  CHECK(suggest(4, "A", "c2").status == WriteStatus::done);
  CHECK(suggest(5, "A", "c3").detail == "tenant");
  CHECK(suggest(6, "B", "c1").status == WriteStatus::done);  // another tenant's channel of the same name
  CHECK(suggest(7, "B", "c2").status == WriteStatus::done);
  CHECK(suggest(8, "C", "c1").detail == "overall");
  CHECK(store.pending_suggestions(100).size() == 5);
  const Actor admin{"slack", "UADMIN", 2};
  SuggestionSelection some;
  some.ranges = {{2, 4}, {7, 7}, {100, 200}};
  const WriteResult bulk = store.reject_suggestions(some, "spam", admin);
  CHECK(bulk.status == WriteStatus::done);
  CHECK(bulk.other_id == 3);  // 2, 4 and 7: 3 was never queued
  CHECK(store.pending_suggestions(100).size() == 2);
  CHECK(store.history(10).size() == 1);  // one decision, one audit row
  CHECK(store.reject_suggestions(some, "", admin).status == WriteStatus::not_found);
  const WriteResult undone = store.undo_last(admin);
  CHECK(undone.status == WriteStatus::done);
  CHECK(undone.other_id == 3);
  CHECK(store.pending_suggestions(100).size() == 5);
  SuggestionSelection all;
  all.all = true;
  CHECK(store.reject_suggestions(all, "", admin).other_id == 5);
  CHECK(store.pending_suggestions(100).empty());
}
