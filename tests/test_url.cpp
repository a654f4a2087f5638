#include <catch2/catch.hpp>

#include "bot/url.hpp"
#include "bot/validate.hpp"

using namespace whygo;

TEST_CASE("URLs people may add", "[url]") {
  CHECK(url::problem("https://example.org/post").empty());
  CHECK(url::problem("http://example.org").empty());
  CHECK(url::problem("HTTPS://Example.org:8443/x?y=1#z").empty());
  CHECK(url::problem("https://[2001:db8::1]:443/x").empty());
  CHECK_FALSE(url::problem("").empty());
  CHECK_FALSE(url::problem("javascript:alert(1)").empty());
  CHECK_FALSE(url::problem("ftp://example.org/").empty());
  CHECK_FALSE(url::problem("https://user@example.org/").empty());
  CHECK_FALSE(url::problem("https://example.org:99999/").empty());
  CHECK_FALSE(url::problem("https://exa_mple.org/").empty());
  CHECK_FALSE(url::problem("https://example..org/").empty());
  CHECK_FALSE(url::problem("https://example.org/a b").empty());
  CHECK_FALSE(url::problem("https://example.org/\x7f").empty());
  CHECK_FALSE(url::problem("https://" + std::string(2048, 'a')).empty());
}

TEST_CASE("the same link has the same key", "[url]") {
  const std::string base = url::key("https://example.org/post");
  CHECK(url::key("http://EXAMPLE.org/post/") == base);
  CHECK(url::key("https://example.org:443/post#section") == base);
  CHECK(url::key("https://example.org/post?utm_source=x&utm_medium=y&fbclid=z") == base);
  CHECK(url::key("https://example.org/post?id=2") != base);
  CHECK(url::key("https://example.org/post?utm_source=x&id=2") == url::key("https://example.org/post?id=2"));
  CHECK(url::key("https://example.org/Post") != base);  // paths are case-sensitive
}

TEST_CASE("Slack-wrapped links are unwrapped", "[url]") {
  CHECK(url::unwrap("<https://example.org/x|example.org/x>") == "https://example.org/x");
  CHECK(url::unwrap("<https://example.org/x>") == "https://example.org/x");
  CHECK(url::unwrap("https://example.org/x") == "https://example.org/x");
}

TEST_CASE("titles, authors and tags", "[url][validate]") {
  CHECK(validate::title("Go at Docker").empty());
  CHECK(validate::title("Café ☕ <!channel> @everyone").empty());  // escaped by each adapter, not refused
  CHECK_FALSE(validate::title("").empty());
  CHECK_FALSE(validate::title("   ").empty());
  CHECK_FALSE(validate::title(std::string(201, 'x')).empty());
  CHECK(validate::title(std::string(200, 'x')).empty());
  CHECK_FALSE(validate::title("bad\nline").empty());
  CHECK_FALSE(validate::title("evil \xE2\x80\xAE reversed").empty());  // U+202E
  CHECK_FALSE(validate::title("\xC3").empty());                        // invalid UTF-8
  CHECK(validate::author("").empty());
  CHECK(validate::tag("#docker").empty());
  CHECK(validate::tag("k8s").empty());
  CHECK_FALSE(validate::tag("Docker").empty());
  CHECK_FALSE(validate::tag("#").empty());
  CHECK_FALSE(validate::tag("a b").empty());
}

TEST_CASE("links with bytes that are not UTF-8 are refused", "[url]") {
  CHECK_FALSE(url::problem("https://x.org/\xff").empty());
  CHECK_FALSE(url::problem("https://x.org/\xc3").empty());
  CHECK(url::problem("https://x.org/caf\xc3\xa9").empty());
}
