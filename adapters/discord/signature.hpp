// Ed25519 request signatures (https://discord.com/developers/docs/interactions/overview, "Validating Security Request
// Headers"): Discord signs X-Signature-Timestamp followed directly by the raw body with the
// application's key; both the signature and the public key travel as hex. Discord deliberately
// sends bad signatures and removes endpoints that accept them, so anything odd is "invalid".
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/discord/limits.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {

// Lower- or upper-case hex to bytes; nullopt on an odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);
std::string to_hex(const std::uint8_t* data, std::size_t size);

class SignatureVerifier {
 public:
  // nullopt unless the key is exactly 32 bytes of hex and OpenSSL accepts it as Ed25519.
  static std::optional<SignatureVerifier> from_hex_key(std::string_view public_key_hex);

  // True only for a well-formed 64-byte hex signature over timestamp || body. Never throws.
  bool verify(std::string_view signature_hex, std::string_view timestamp, std::string_view body) const;

 private:
  std::array<std::uint8_t, limits::discord::public_key_bytes> key_{};
};

}  // namespace whygo::discord
