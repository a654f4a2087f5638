#include "adapters/slack/signature.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/slack/limits.hpp"
#include "bot/clock.hpp"
#include "bot/limits.hpp"

namespace whygo::slack {
namespace {

constexpr std::string_view version_prefix = "v0=";
constexpr std::size_t hex_digest_length = 64;  // SHA-256: 32 bytes, two hex digits each
// Epoch seconds stay ten digits until the year 2286; more digits are not a timestamp.
constexpr std::size_t timestamp_max_digits = 12;

struct MacFree {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacPtr = std::unique_ptr<EVP_MAC, MacFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacFree>;

// HMAC-SHA256 keyed with secret, ready for data. OpenSSL 3's one-shot HMAC() looks the algorithm
// up in its provider store and hashes the key on every call (6% of a saturated server's time);
// each thread keeps one keyed context instead and signs with a copy of it.
MacCtxPtr keyed_copy(std::string_view secret) {
  static const MacPtr hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  thread_local std::string key;
  thread_local MacCtxPtr keyed;
  if (!hmac) return nullptr;
  if (!keyed || key != secret) {
    MacCtxPtr ctx(EVP_MAC_CTX_new(hmac.get()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!ctx ||
        EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params) != 1)
      return nullptr;
    keyed = std::move(ctx);
    key = secret;
  }
  return MacCtxPtr(EVP_MAC_CTX_dup(keyed.get()));
}

bool is_lower_hex(std::string_view s) {
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string_view to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::ok:
      return "ok";
    case SignatureCheck::missing:
      return "missing signature or timestamp header";
    case SignatureCheck::malformed_timestamp:
      return "malformed timestamp";
    case SignatureCheck::stale:
      return "timestamp more than 5 minutes away from our clock";
    case SignatureCheck::malformed_signature:
      return "malformed signature";
    case SignatureCheck::mismatch:
      return "signature mismatch";
  }
  return "unknown";
}

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
  // The basestring is built from raw bytes: decoding and re-encoding the body breaks non-ASCII
  // text (bolt-python#902).
  std::string basestring;
  basestring.reserve(3 + timestamp.size() + 1 + body.size());
  basestring.append("v0:").append(timestamp).append(":").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t digest_length = 0;
  const MacCtxPtr ctx = keyed_copy(secret);
  if (!ctx ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(basestring.data()), basestring.size()) != 1 ||
      EVP_MAC_final(ctx.get(), digest.data(), &digest_length, digest.size()) != 1 ||
      digest_length * 2 != hex_digest_length)
    return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(version_prefix);
  for (std::size_t i = 0; i < digest_length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0F];
  }
  return out;
}

SignatureCheck verify(std::string_view secret, std::string_view timestamp, std::string_view signature,
                      std::string_view body, std::chrono::system_clock::time_point now) {
  if (timestamp.empty() || signature.empty()) return SignatureCheck::missing;
  std::int64_t seconds = 0;
  if (timestamp.size() > timestamp_max_digits) return SignatureCheck::malformed_timestamp;
  for (const char c : timestamp)
    if (c < '0' || c > '9') return SignatureCheck::malformed_timestamp;  // no sign, no spaces
  const auto [end, error] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
  if (error != std::errc() || end != timestamp.data() + timestamp.size()) return SignatureCheck::malformed_timestamp;
  const std::int64_t now_seconds = unix_seconds(now);
  const std::int64_t skew = now_seconds > seconds ? now_seconds - seconds : seconds - now_seconds;
  if (skew > limits::slack::signature_window.count()) return SignatureCheck::stale;
  // Slack has only ever used v0; anything else is refused, as bolt-js does ("unknown signature
  // version"). The length and shape are public, so checking them early leaks nothing.
  if (signature.size() != version_prefix.size() + hex_digest_length || !signature.starts_with(version_prefix) ||
      !is_lower_hex(signature.substr(version_prefix.size())))
    return SignatureCheck::malformed_signature;
  if (secret.empty()) return SignatureCheck::mismatch;  // an adapter without a secret never verifies
  const std::string expected = sign(secret, timestamp, body);
  if (expected.size() != signature.size()) return SignatureCheck::mismatch;
  // Constant time, as Slack asks ("use an hmac compare function"), so timing reveals no prefix.
  return CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0 ? SignatureCheck::ok
                                                                                : SignatureCheck::mismatch;
}

}  // namespace whygo::slack
