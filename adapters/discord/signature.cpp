#include "adapters/discord/signature.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include "adapters/discord/limits.hpp"

namespace whygo::discord {
namespace {

// OpenSSL handles freed on every path, including early returns.
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

PkeyPtr ed25519_public_key(const std::uint8_t* key, std::size_t size) {
  return PkeyPtr(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key, size));
}

}  // namespace

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}

std::optional<SignatureVerifier> SignatureVerifier::from_hex_key(std::string_view public_key_hex) {
  const auto bytes = from_hex(public_key_hex);
  if (!bytes || bytes->size() != limits::discord::public_key_bytes) return std::nullopt;
  if (!ed25519_public_key(bytes->data(), bytes->size())) return std::nullopt;
  SignatureVerifier verifier;
  std::copy(bytes->begin(), bytes->end(), verifier.key_.begin());
  return verifier;
}

bool SignatureVerifier::verify(std::string_view signature_hex, std::string_view timestamp,
                               std::string_view body) const {
  if (timestamp.empty()) return false;
  const auto signature = from_hex(signature_hex);
  if (!signature || signature->size() != limits::discord::signature_bytes) return false;
  // A key and a context per call: nothing shared between the server's threads.
  const PkeyPtr key = ed25519_public_key(key_.data(), key_.size());
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx) return false;
  // Pure Ed25519 (RFC 8032): no digest, one-shot verify over the whole message.
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  std::string message;
  message.reserve(timestamp.size() + body.size());
  message.append(timestamp).append(body);
  return EVP_DigestVerify(ctx.get(), signature->data(), signature->size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

}  // namespace whygo::discord
