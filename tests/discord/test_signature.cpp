// Ed25519 verification: RFC 8032 vectors, the Discord-shaped vectors from the protocol notes, and
// a key pair generated here.
#include <catch2/catch.hpp>

#include "adapters/discord/signature.hpp"
#include "tests/discord/keys.hpp"

using whygo::discord::from_hex;
using whygo::discord::SignatureVerifier;

namespace {

std::string bytes_of_hex(const std::string& hex) {
  const auto bytes = from_hex(hex);
  REQUIRE(bytes);
  return std::string(bytes->begin(), bytes->end());
}

constexpr const char* rfc_test1_public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

}  // namespace

TEST_CASE("RFC 8032 section 7.1 vectors verify", "[discord][signature]") {
  struct Vector {
    const char* public_key;
    const char* message_hex;
    const char* signature;
  };
  const Vector vectors[] = {
      {rfc_test1_public, "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2"
       "465"
       "5141438e7a100b"},
      {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302ae"
       "eb0"
       "0d291612bb0c00"},
      {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28"
       "dc0"
       "27beceea1ec40a"},
  };
  for (const auto& v : vectors) {
    const auto verifier = SignatureVerifier::from_hex_key(v.public_key);
    REQUIRE(verifier);
    // Discord's message is timestamp || body; an empty "timestamp" is refused on its own, so the
    // RFC message is split as first byte || rest where it has one.
    const std::string message = bytes_of_hex(v.message_hex);
    if (!message.empty()) CHECK(verifier->verify(v.signature, message.substr(0, 1), message.substr(1)));
  }
}

TEST_CASE("an empty timestamp is refused even when the signature matches", "[discord][signature]") {
  // RFC TEST 1 signs the empty message: the signature is right, but a request without a
  // timestamp header is not Discord's.
  const auto verifier = SignatureVerifier::from_hex_key(rfc_test1_public);
  REQUIRE(verifier);
  CHECK_FALSE(
      verifier->verify("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e397"
                       "01cf9b46bd25bf5f0595bbe24655141438e7a100b",
                       "", ""));
}

TEST_CASE("the Discord-shaped vectors from the protocol notes verify, and fail with another timestamp",
          "[discord][signature]") {
  const auto verifier = SignatureVerifier::from_hex_key(rfc_test1_public);
  REQUIRE(verifier);
  const std::string ping_sig =
      "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0"
      "6"
      "14e4dc13cd47f0f";
  CHECK(verifier->verify(ping_sig, "1700000000", R"({"type":1})"));
  CHECK_FALSE(verifier->verify(ping_sig, "1700000001", R"({"type":1})"));
  const std::string autocomplete_body =
      R"({"type":4,"data":{"name":"whygo","type":1,"options":[{"type":3,"name":"query","value":"gorout","focused":true}]}})";
  REQUIRE(autocomplete_body.size() == 113);
  const std::string autocomplete_sig =
      "f91736712baaa51857429d039627d8e77bc8cf2359b6f3fe735edc5ce48044ddd2e70a2d56a94d9e5116d90e86f5b8b61ad3de59cf88cd13"
      "d67d5bdaa9f8b509";
  CHECK(verifier->verify(autocomplete_sig, "1700000000", autocomplete_body));
  CHECK_FALSE(verifier->verify(autocomplete_sig, "1700000001", autocomplete_body));
  // Upper-case hex is still hex.
  std::string upper = ping_sig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(verifier->verify(upper, "1700000000", R"({"type":1})"));
}

TEST_CASE("a generated key pair: valid signatures pass, every tampering fails", "[discord][signature]") {
  whygo::test::SigningKey key;
  whygo::test::SigningKey other;
  const auto verifier = SignatureVerifier::from_hex_key(key.public_hex());
  REQUIRE(verifier);
  const std::string body = R"({"type":2,"data":{"name":"whygo"}})";
  const std::string signature = key.sign("1800000000", body);
  CHECK(verifier->verify(signature, "1800000000", body));

  SECTION("tampered body") {
    CHECK_FALSE(verifier->verify(signature, "1800000000", body + " "));
  }
  SECTION("tampered timestamp") {
    CHECK_FALSE(verifier->verify(signature, "1800000001", body));
  }
  SECTION("flipped signature bit") {
    std::string flipped = signature;
    flipped[10] = flipped[10] == '0' ? '1' : '0';
    CHECK_FALSE(verifier->verify(flipped, "1800000000", body));
  }
  SECTION("signed by another key") {
    CHECK_FALSE(verifier->verify(other.sign("1800000000", body), "1800000000", body));
  }
  SECTION("bad hex, wrong lengths, empty") {
    CHECK_FALSE(verifier->verify("", "1800000000", body));
    CHECK_FALSE(verifier->verify(signature.substr(0, 126), "1800000000", body));
    CHECK_FALSE(verifier->verify(signature + "00", "1800000000", body));
    CHECK_FALSE(verifier->verify(signature.substr(0, 127) + "g", "1800000000", body));
    CHECK_FALSE(verifier->verify(std::string(128, 'z'), "1800000000", body));
    CHECK_FALSE(verifier->verify(signature, "", body));
  }
}

TEST_CASE("public keys that are not 32 bytes of hex are refused", "[discord][signature]") {
  CHECK_FALSE(SignatureVerifier::from_hex_key(""));
  CHECK_FALSE(SignatureVerifier::from_hex_key("abc"));
  CHECK_FALSE(SignatureVerifier::from_hex_key(std::string(rfc_test1_public).substr(0, 62)));
  CHECK_FALSE(SignatureVerifier::from_hex_key(std::string(rfc_test1_public) + "00"));
  CHECK_FALSE(SignatureVerifier::from_hex_key("Bot MTIzNDU2Nzg5MDEyMzQ1Njc4OTAx.bot-token-not-a-key.xxxxxxxxxxxxxxxx"));
  CHECK(SignatureVerifier::from_hex_key(rfc_test1_public));
}
