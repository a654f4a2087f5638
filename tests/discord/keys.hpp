// A real Ed25519 key pair for the tests, generated with OpenSSL, and Discord-style signing.
#pragma once
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace whygo::test {

class SigningKey {
 public:
  SigningKey();  // a fresh random key pair
  ~SigningKey();
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  const std::string& public_hex() const { return public_hex_; }
  // Hex signature over timestamp || body, as Discord sends in X-Signature-Ed25519.
  std::string sign(std::string_view timestamp, std::string_view body) const;

 private:
  struct Free {
    void operator()(evp_pkey_st* key) const;
  };
  std::unique_ptr<evp_pkey_st, Free> key_;
  std::string public_hex_;
};

// Current Unix seconds, as a decimal string.
std::string unix_now();

}  // namespace whygo::test
