// Form decoding, exactly as application/x-www-form-urlencoded defines it, and mention text.
#include <catch2/catch.hpp>

#include "adapters/slack/events.hpp"
#include "adapters/slack/form.hpp"

using whygo::slack::Form;
using whygo::slack::form_decode;

TEST_CASE("form decoding turns + into a space and %XX into bytes", "[form]") {
  CHECK(form_decode("docker+compose") == "docker compose");
  CHECK(form_decode("docker%20compose") == "docker compose");
  CHECK(form_decode("%2Fwhygo") == "/whygo");
  CHECK(form_decode("a%2bb") == "a+b");  // an encoded plus stays a plus
  CHECK(form_decode("100%25") == "100%");
  CHECK(form_decode("") == "");
  CHECK(form_decode("caf%C3%A9+%E2%98%95") == "caf\xc3\xa9 \xe2\x98\x95");
  CHECK(form_decode("l%c3%bctke") == "l\xc3\xbctke");  // lower-case hex digits too
}

TEST_CASE("form decoding refuses malformed escapes and bytes that are not UTF-8", "[form]") {
  CHECK_FALSE(form_decode("%"));
  CHECK_FALSE(form_decode("%2"));
  CHECK_FALSE(form_decode("abc%"));
  CHECK_FALSE(form_decode("%G0"));
  CHECK_FALSE(form_decode("%0G"));
  CHECK_FALSE(form_decode("%%41"));
  CHECK_FALSE(form_decode("%C3"));        // a cut code point
  CHECK_FALSE(form_decode("%FF%FE"));     // never UTF-8
  CHECK_FALSE(form_decode("%C0%AF"));     // overlong "/"
  CHECK_FALSE(form_decode("%ED%A0%80"));  // a surrogate
}

TEST_CASE("a form body parses into fields in order", "[form]") {
  const auto form = Form::parse(
      "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&enterprise_name="
      "Globular%20Construct%20Inc&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&"
      "command=/weather&text=94070&response_url=https://hooks.slack.com/commands/1234/5678&trigger_id="
      "13345224609.738474920.8088930838d88f008e0&api_app_id=A123456");
  REQUIRE(form);
  CHECK(form->value("team_id") == "T0001");
  CHECK(form->value("enterprise_name") == "Globular Construct Inc");
  CHECK(form->value("command") == "/weather");
  CHECK(form->value("text") == "94070");
  CHECK(form->value("response_url") == "https://hooks.slack.com/commands/1234/5678");
  CHECK(form->value("missing").empty());
  CHECK(form->find("missing") == nullptr);
  CHECK(form->fields().size() == 14);
}

TEST_CASE("form parsing handles empty values, bare names and empty fields", "[form]") {
  const auto form = Form::parse("text=&flag&&a=1&a=2&=x&b=c=d");
  REQUIRE(form);
  REQUIRE(form->find("text"));
  CHECK(form->find("text")->empty());
  REQUIRE(form->find("flag"));
  CHECK(form->value("a") == "1");  // the first value wins
  CHECK(form->value("") == "x");
  CHECK(form->value("b") == "c=d");  // only the first "=" separates
  CHECK(Form::parse("")->fields().empty());
  CHECK_FALSE(Form::parse("text=%ZZ&team_id=T1"));
  CHECK_FALSE(Form::parse("te%xt=1"));
}

TEST_CASE("a JSON body read as a form holds no ssl_check", "[form]") {
  const auto form = Form::parse(R"({"type":"url_verification","challenge":"x"})");
  REQUIRE(form);
  CHECK(form->find("ssl_check") == nullptr);
  CHECK(Form::parse("ssl_check=1&token=xxx")->value("ssl_check") == "1");
}

TEST_CASE("mention text becomes the command text", "[events]") {
  using whygo::slack::mention_command_text;
  CHECK(mention_command_text("<@U0LAN0Z89> docker") == "docker");
  CHECK(mention_command_text("<@U0LAN0Z89>   rob pike  ") == "rob pike");
  CHECK(mention_command_text("hey <@U0LAN0Z89> docker") == "hey   docker");
  CHECK(mention_command_text("<@U0LAN0Z89>") == "");
  CHECK(mention_command_text("<@U0LAN0Z89> a &amp; b &lt;x&gt;") == "a & b <x>");
  CHECK(mention_command_text("<@U0LAN0Z89> &lt;@U1&gt;") == "<@U1>");
  CHECK(mention_command_text("<@U0LAN0Z89 docker") == "<@U0LAN0Z89 docker");  // no closing ">": left alone
}
