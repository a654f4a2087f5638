#include "bot/secret_box.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

namespace whygo {
namespace {

constexpr std::size_t nonce_size = 12;  // GCM's recommended IV length (NIST SP 800-38D)
constexpr std::size_t tag_size = 16;

using Cipher = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Cipher new_cipher() {
  Cipher ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("OpenSSL: no cipher context");
  return ctx;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<SecretBox> SecretBox::from_text(std::string_view text) {
  SecretBox box;
  if (text.size() == 64) {
    for (std::size_t i = 0; i < 32; ++i) {
      const int hi = hex_value(text[2 * i]);
      const int lo = hex_value(text[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      box.key_[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return box;
  }
  if (text.size() == 44 &&
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
          std::string_view::npos) {
    // 32 bytes take 43 characters and one "=" of padding.
    if (text[43] != '=' || text.substr(0, 43).find('=') != std::string_view::npos) return std::nullopt;
    unsigned char out[34] = {};  // EVP_DecodeBlock counts the padding: 33 bytes for 44 characters
    if (EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()), 44) != 33) return std::nullopt;
    std::copy(out, out + 32, box.key_.begin());
    return box;
  }
  return std::nullopt;
}

std::string SecretBox::generate_hex() {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("OpenSSL: no random bytes");
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : key) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

std::string SecretBox::seal(std::string_view plaintext, std::string_view associated) const {
  std::string out(nonce_size + plaintext.size() + tag_size, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(bytes, nonce_size) != 1) throw std::runtime_error("OpenSSL: no random bytes");
  Cipher ctx = new_cipher();
  int len = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), bytes) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + nonce_size, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + nonce_size + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, bytes + nonce_size + plaintext.size()) != 1)
    throw std::runtime_error("OpenSSL: AES-256-GCM encryption failed");
  return out;
}

std::optional<std::string> SecretBox::open(std::string_view sealed, std::string_view associated) const {
  if (sealed.size() < nonce_size + tag_size) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::size_t size = sealed.size() - nonce_size - tag_size;
  std::string plain(size, '\0');
  std::vector<unsigned char> tag(bytes + nonce_size + size, bytes + sealed.size());
  Cipher ctx = new_cipher();
  int len = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, bytes + nonce_size,
                        static_cast<int>(size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag.data()) != 1)
    return std::nullopt;
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &final_len) != 1)
    return std::nullopt;  // the tag does not match: another key, another row, or changed bytes
  return plain;
}

}  // namespace whygo
