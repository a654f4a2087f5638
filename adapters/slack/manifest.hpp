// `whygo slack manifest`: deploy/slack/manifest.yml (compiled in) with every address filled in
// from WHYGO_PUBLIC_URL, the request URLs and oauth_config.redirect_urls alike, ready to paste
// at https://api.slack.com/apps -> "Create New App" -> "From a manifest".
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/slack/config.hpp"

namespace whygo::slack {

// What the shipped manifest says where whygo's address goes.
inline constexpr std::string_view manifest_placeholder = "https://whygo.example.com";

// Why `public_url` cannot go into the manifest; nullopt when it can. Slack takes only HTTPS
// request URLs (https://docs.slack.dev/reference/app-manifest), and the address goes into YAML
// unquoted, so it is held to the characters of a plain origin and path.
std::optional<std::string> manifest_url_problem(std::string_view public_url);

// The manifest with `public_url` (no trailing slash) in place of the placeholder, and a first
// comment that says where it came from. Call only when manifest_url_problem() is nullopt.
std::string filled_manifest(std::string_view public_url);

// The CLI verb: args are the words after "slack". Returns the exit code (2: usage or setting).
int run_cli(const SlackConfig& config, const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace whygo::slack
