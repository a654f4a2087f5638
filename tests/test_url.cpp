#include <catch2/catch.hpp>

#include "bot/url.hpp"
#include "bot/validate.hpp"

using namespace whygo;

TEST_CASE("URLs people may add", "[url]") {
  CHECK_FALSE(url::problem("https://example.org/post"));
  CHECK_FALSE(url::problem("http://example.org"));
  CHECK_FALSE(url::problem("HTTPS://Example.org:8443/x?y=1#z"));
  CHECK_FALSE(url::problem("https://[2001:db8::1]:443/x"));
  CHECK(url::problem(""));
  CHECK(url::problem("javascript:alert(1)"));
  CHECK(url::problem("ftp://example.org/"));
  CHECK(url::problem("https://user@example.org/"));
  CHECK(url::problem("https://example.org:99999/"));
  CHECK(url::problem("https://exa_mple.org/"));
  CHECK(url::problem("https://example..org/"));
  CHECK(url::problem("https://example.org/a b"));
  CHECK(url::problem("https://example.org/\x7f"));
  CHECK(url::problem("https://" + std::string(2048, 'a')));
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

// Unwrapping <https://x|label> is Slack's rule and happens in its adapter (adapters/slack/text.hpp).
TEST_CASE("the core takes no platform's markup for a link", "[url]") {
  CHECK(url::problem("<https://example.org/x|example.org/x>"));
  CHECK(url::problem("<https://example.org/x>"));
  CHECK_FALSE(url::problem("https://example.org/x"));
}

TEST_CASE("titles, authors and tags", "[url][validate]") {
  CHECK_FALSE(validate::title("Go at Docker"));
  CHECK_FALSE(validate::title("Café ☕ <!channel> @everyone"));  // escaped by each adapter, not refused
  CHECK(validate::title(""));
  CHECK(validate::title("   "));
  CHECK(validate::title(std::string(201, 'x')));
  CHECK_FALSE(validate::title(std::string(200, 'x')));
  CHECK(validate::title("bad\nline"));
  CHECK(validate::title("evil \xE2\x80\xAE reversed"));  // U+202E
  CHECK(validate::title("\xC3"));                        // invalid UTF-8
  CHECK_FALSE(validate::author(""));
  CHECK_FALSE(validate::tag("#docker"));
  CHECK_FALSE(validate::tag("k8s"));
  CHECK(validate::tag("Docker"));
  CHECK(validate::tag("#"));
  CHECK(validate::tag("a b"));
}

TEST_CASE("links with bytes that are not UTF-8 are refused", "[url]") {
  CHECK(url::problem("https://x.org/\xff"));
  CHECK(url::problem("https://x.org/\xc3"));
  CHECK_FALSE(url::problem("https://x.org/caf\xc3\xa9"));
}
