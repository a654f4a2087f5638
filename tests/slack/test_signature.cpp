// Request signing: Slack's own worked example and the extra vectors of
// https://api.slack.com/authentication/verifying-requests-from-slack, and the five-minute window on an injected clock.
#include <catch2/catch.hpp>

#include "adapters/slack/signature.hpp"
#include "bot/clock.hpp"

using whygo::slack::sign;
using whygo::slack::SignatureCheck;
using whygo::slack::verify;

namespace {

const std::string secret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string timestamp = "1531420618";
const std::string official_body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name="
    "foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks."
    "slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
const std::string official_signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

const auto example_time = at(1531420618);

}  // namespace

TEST_CASE("signing reproduces Slack's official example", "[signature]") {
  REQUIRE(official_body.size() == 362);
  CHECK(sign(secret, timestamp, official_body) == official_signature);
  CHECK(verify(secret, timestamp, official_signature, official_body, example_time) == SignatureCheck::ok);
}

TEST_CASE("signing matches the extra vectors of the protocol notes", "[signature]") {
  CHECK(sign(secret, "1531420619", official_body) ==
        "v0=ffbf8ca586db401fa71716579fba59aea718787d68572406a7236da28a871144");
  CHECK(sign(secret, timestamp, official_body + "------") ==
        "v0=54d12afb4ea9655825354a816a2a8548469aa0da991a1fae65b0ee5bd4f32b6b");
  CHECK(
      sign(
          secret, timestamp,
          R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})") ==
      "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652");
  // "+" and "%20" decode alike but sign differently: the raw body is what counts.
  CHECK(sign(secret, timestamp, "command=%2Fwhygo&text=docker+compose&user_id=U123") ==
        "v0=1e75b40cf199e5266b6d85512139f8a977bcc0afbd5254f0f3bf73f52aea10be");
  CHECK(sign(secret, timestamp, "command=%2Fwhygo&text=docker%20compose&user_id=U123") ==
        "v0=d91ac93c2d83d52352b2a850191774cb93c446494de0a638f7a7b418d0e34177");
  CHECK(sign(secret, timestamp, "{\"text\":\"caf\xc3\xa9 \xe2\x98\x95\"}") ==
        "v0=3ba8484830e924d8f0da1ffa9f2e8f48d402f8fe6813eef27e98829f719ba64e");
  CHECK(sign(secret, timestamp, "") == "v0=55f41ec73231010289b54e669149ea021fccab11b5524355523533ce930cb739");
}

TEST_CASE("a changed body, timestamp or secret does not verify", "[signature]") {
  CHECK(verify(secret, timestamp, official_signature, official_body + "------", example_time) ==
        SignatureCheck::mismatch);
  CHECK(verify(secret, "1531420619", official_signature, official_body, example_time) == SignatureCheck::mismatch);
  CHECK(verify("another-secret", timestamp, official_signature, official_body, example_time) ==
        SignatureCheck::mismatch);
  CHECK(verify("", timestamp, official_signature, official_body, example_time) == SignatureCheck::mismatch);
  std::string flipped = official_signature;
  flipped.back() = flipped.back() == '3' ? '4' : '3';
  CHECK(verify(secret, timestamp, flipped, official_body, example_time) == SignatureCheck::mismatch);
}

TEST_CASE("missing or malformed headers are refused", "[signature]") {
  CHECK(verify(secret, "", official_signature, official_body, example_time) == SignatureCheck::missing);
  CHECK(verify(secret, timestamp, "", official_body, example_time) == SignatureCheck::missing);
  for (const std::string bad :
       {"abc", "-1531420618", "+1531420618", " 1531420618", "1531420618.5", "1e9", "99999999999999999999", "0x5B47"})
    CHECK(verify(secret, bad, official_signature, official_body, example_time) == SignatureCheck::malformed_timestamp);
  // Another version, an upper-case digest, a short or long one.
  CHECK(verify(secret, timestamp, "v1=" + official_signature.substr(3), official_body, example_time) ==
        SignatureCheck::malformed_signature);
  std::string upper = official_signature;
  for (char& c : upper)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  upper[0] = 'v';
  CHECK(verify(secret, timestamp, upper, official_body, example_time) == SignatureCheck::malformed_signature);
  CHECK(verify(secret, timestamp, official_signature.substr(0, 66), official_body, example_time) ==
        SignatureCheck::malformed_signature);
  CHECK(verify(secret, timestamp, official_signature + "0", official_body, example_time) ==
        SignatureCheck::malformed_signature);
  CHECK(verify(secret, timestamp, official_signature.substr(3), official_body, example_time) ==
        SignatureCheck::malformed_signature);
}

TEST_CASE("timestamps more than five minutes away, past or future, are stale", "[signature]") {
  const std::int64_t ts = 1531420618;
  CHECK(verify(secret, timestamp, official_signature, official_body, at(ts + 300)) == SignatureCheck::ok);
  CHECK(verify(secret, timestamp, official_signature, official_body, at(ts - 300)) == SignatureCheck::ok);
  CHECK(verify(secret, timestamp, official_signature, official_body, at(ts + 301)) == SignatureCheck::stale);
  CHECK(verify(secret, timestamp, official_signature, official_body, at(ts - 301)) == SignatureCheck::stale);
  CHECK(verify(secret, timestamp, official_signature, official_body, at(ts + 24 * 3600)) == SignatureCheck::stale);
  // A stale request is refused before its signature is even looked at.
  CHECK(verify(secret, timestamp, "garbage", official_body, at(ts + 301)) == SignatureCheck::stale);
}

TEST_CASE("the window follows the injected clock", "[signature]") {
  whygo::ManualClock clock(example_time);
  CHECK(verify(secret, timestamp, official_signature, official_body, clock.now()) == SignatureCheck::ok);
  clock.advance(std::chrono::minutes(6));
  CHECK(verify(secret, timestamp, official_signature, official_body, clock.now()) == SignatureCheck::stale);
}
