#include "tests/discord/keys.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <stdexcept>
#include <vector>

#include "adapters/discord/signature.hpp"

namespace whygo::test {

void SigningKey::Free::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

SigningKey::SigningKey() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                  &EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
    throw std::runtime_error("Ed25519 keygen failed");
  key_.reset(raw);
  std::size_t size = 32;
  unsigned char pub[32];
  if (EVP_PKEY_get_raw_public_key(raw, pub, &size) != 1 || size != 32)
    throw std::runtime_error("Ed25519 public key export failed");
  public_hex_ = discord::to_hex(pub, size);
}

SigningKey::~SigningKey() = default;

std::string SigningKey::sign(std::string_view timestamp, std::string_view body) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const std::string message = std::string(timestamp) + std::string(body);
  unsigned char signature[64];
  std::size_t size = sizeof signature;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    throw std::runtime_error("Ed25519 sign failed");
  return discord::to_hex(signature, size);
}

std::string unix_now() {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace whygo::test
