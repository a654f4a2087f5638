#include "adapters/matrix/auth.hpp"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "bot/text.hpp"

namespace whygo::matrix {
namespace {

// Constant time in the token's content, so timing does not reveal how much of a guess matched.
bool same_token(std::string_view given, std::string_view expected) {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

AuthOutcome check_hs_token(std::string_view authorization, std::optional<std::string_view> legacy,
                           std::string_view hs_token) {
  std::optional<std::string_view> bearer;
  const std::string_view header = text::trim(authorization);
  if (header.size() > 7 && text::lower_ascii(header.substr(0, 7)) == "bearer ") bearer = text::trim(header.substr(7));
  if (bearer && bearer->empty()) bearer.reset();
  if (legacy && legacy->empty()) legacy.reset();
  if (!bearer && !legacy) return AuthOutcome::missing;
  if (bearer && !same_token(*bearer, hs_token)) return AuthOutcome::forbidden;
  if (legacy && !same_token(*legacy, hs_token)) return AuthOutcome::forbidden;
  return AuthOutcome::ok;
}

std::string error_body(std::string_view errcode, std::string_view message) {
  return nlohmann::json{{"errcode", std::string(errcode)}, {"error", std::string(message)}}.dump();
}

}  // namespace whygo::matrix
