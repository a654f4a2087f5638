// Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack): the `X-Slack-Signature`
// header is "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)). Verification
// runs on the raw bytes before anything parses them: a re-encoded form ("+" versus
// "%20") or re-serialised JSON would never match.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace whygo::slack {

enum class SignatureCheck {
  ok,
  missing,              // no timestamp or no signature header
  malformed_timestamp,  // not decimal epoch seconds
  stale,                // more than five minutes away from our clock, either way
  malformed_signature,  // not "v0=" + 64 hex digits
  mismatch,             // a well-formed signature that is not ours
};
std::string_view to_string(SignatureCheck check);

// "v0=" + lowercase hex HMAC-SHA256 of the basestring. The secret is used as is (Slack: "Treat it
// as a standard UTF-8 string"), never hex- or base64-decoded.
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

// Checks the headers against the body. `now` is the injected clock, so tests move it; the window
// applies both ways, as Slack's own pseudocode does (absolute_value(now - timestamp) > 60 * 5).
SignatureCheck verify(std::string_view secret, std::string_view timestamp, std::string_view signature,
                      std::string_view body, std::chrono::system_clock::time_point now);

}  // namespace whygo::slack
