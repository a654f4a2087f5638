// Secrets at rest (platform tokens in the database): AES-256-GCM through OpenSSL's EVP interface,
// under WHYGO_SECRET_KEY. A sealed value is nonce (12 random bytes) | ciphertext | tag (16), and
// its "associated data" names what it belongs to, so a value copied to another row does not open.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace whygo {

class SecretBox {
 public:
  // 32 bytes written as 64 hex digits or as base64 (44 characters); nullopt otherwise.
  static std::optional<SecretBox> from_text(std::string_view text);
  // A fresh random key, as 64 hex digits (for set-up and tests).
  static std::string generate_hex();

  std::string seal(std::string_view plaintext, std::string_view associated) const;
  // nullopt when the value was not sealed under this key for `associated`, or was changed.
  std::optional<std::string> open(std::string_view sealed, std::string_view associated) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// What an installation's sealed token is bound to: "slack:T0123".
inline std::string installation_binding(std::string_view platform, std::string_view tenant) {
  return std::string(platform) + ":" + std::string(tenant);
}

}  // namespace whygo
