#include "adapters/slack/manifest.hpp"

#include <ostream>

namespace whygo::embedded {
extern const std::string_view slack_manifest_yml;  // deploy/slack/manifest.yml (adapters/slack/CMakeLists.txt)
}

namespace whygo::slack {

std::optional<std::string> manifest_url_problem(std::string_view url) {
  if (url.empty())
    return "WHYGO_PUBLIC_URL is not set: set it to the public HTTPS address of `whygo serve`, e.g. "
           "https://whygo.example.org";
  if (!url.starts_with("https://"))
    return "WHYGO_PUBLIC_URL must start with https://: Slack refuses plain HTTP request URLs";
  const std::string_view rest = url.substr(8);
  if (rest.empty() || rest.front() == '/') return "WHYGO_PUBLIC_URL names no host";
  for (const char c : rest) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                       std::string_view("-._~:/%[]").find(c) != std::string_view::npos;
    if (!plain)
      return "WHYGO_PUBLIC_URL must be an origin with an optional path (no query, fragment, spaces or quotes)";
  }
  return std::nullopt;
}

std::string filled_manifest(std::string_view public_url) {
  std::string_view text = embedded::slack_manifest_yml;
  // The shipped file opens with how to fill it in by hand; this one is filled in.
  while (text.starts_with("#")) {
    const std::size_t end = text.find('\n');
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  std::string out = "# Slack app manifest for whygo at " + std::string(public_url) +
                    " (`whygo slack manifest`). Paste it at https://api.slack.com/apps ->\n"
                    "# \"Create New App\" -> \"From a manifest\"; README.md, section \"Slack\", has the other steps.\n";
  out.reserve(out.size() + text.size());
  for (std::size_t at = 0;;) {
    const std::size_t found = text.find(manifest_placeholder, at);
    out.append(text.substr(at, found - at));
    if (found == std::string_view::npos) break;
    out.append(public_url);
    at = found + manifest_placeholder.size();
  }
  return out;
}

int run_cli(const SlackConfig& config, const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1 || args[0] != "manifest") {
    err << "usage: whygo slack manifest\n";
    return 2;
  }
  if (const auto problem = manifest_url_problem(config.public_url)) {
    err << "whygo: " << *problem << "\n";
    return 2;
  }
  out << filled_manifest(config.public_url);
  return 0;
}

}  // namespace whygo::slack
