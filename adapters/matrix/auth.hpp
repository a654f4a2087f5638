// Who may push to the application service: the homeserver, proving it with the hs_token from
// the registration (spec application-service-api "Authorisation", since v1.4 an
// `Authorization: Bearer` header; before that an `access_token` query parameter, which Synapse
// still sends when use_appservice_legacy_authorization is set).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace whygo::matrix {

enum class AuthOutcome {
  ok,
  missing,    // 401 M_MISSING_TOKEN
  forbidden,  // 403 M_FORBIDDEN: the spec's errcode for a token that does not match
};

// bearer: the Authorization header ("" when absent); legacy: the access_token query parameter.
// When both are present both must match (spec: "should ensure both match").
AuthOutcome check_hs_token(std::string_view authorization, std::optional<std::string_view> legacy,
                           std::string_view hs_token);

// The standard error body: {"errcode": ..., "error": ...} (spec "Standard error response").
std::string error_body(std::string_view errcode, std::string_view message);

}  // namespace whygo::matrix
