#include "adapters/slack/web_api.hpp"

#include <spdlog/spdlog.h>

#include "adapters/slack/limits.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::slack {
namespace {

struct UrlParts {
  std::string scheme;
  std::string host;    // lower case
  std::string origin;  // scheme://authority, as written
};

std::optional<UrlParts> split_origin(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  const std::size_t authority_start = scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", authority_start);
  const std::string_view authority =
      url.substr(authority_start,
                 authority_end == std::string_view::npos ? std::string_view::npos : authority_end - authority_start);
  // "https://hooks.slack.com@elsewhere/" names the host after the "@".
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = text::lower_ascii(url.substr(0, scheme_end));
  parts.host = text::lower_ascii(authority.substr(0, authority.find(':')));
  parts.origin = std::string(url.substr(0, authority_start + authority.size()));
  return parts;
}

bool ends_with_domain(std::string_view host, std::string_view domain) {
  return host == domain ||
         (host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.');
}

// Slack answers JSON {"ok": bool, "error": "..."}; a response_url may answer plain "ok".
ApiResult read_result(const OutboundResponse& response) {
  ApiResult result;
  result.status = response.status;
  result.attempts = response.attempts;
  if (response.status == 0) {
    result.error = response.error.empty() ? "no answer" : response.error;
    return result;
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    if (const auto ok = body.find("ok"); ok != body.end() && ok->is_boolean())
      result.ok = ok->get<bool>();
    else
      result.ok = response.ok();
    if (const auto error = body.find("error"); error != body.end() && error->is_string())
      result.error = error->get<std::string>();
    if (const auto ts = body.find("ts"); ts != body.end() && ts->is_string()) result.ts = ts->get<std::string>();
  } else {
    result.ok = response.ok();
  }
  if (!response.ok()) result.ok = false;
  if (!result.ok && result.error.empty()) {
    result.error = "HTTP " + std::to_string(response.status);
    if (!body.is_object() && !response.body.empty())
      result.error += ": " + std::string(text::utf8_prefix(text::trim(response.body), 200));
  }
  return result;
}

}  // namespace

WebApi::WebApi(SlackConfig config, const OutboundClient& client) : config_(std::move(config)), client_(client) {}

RetryPolicy WebApi::policy() const {
  RetryPolicy policy;
  policy.max_attempts = limits::slack::api_max_attempts;
  policy.connect_timeout = limits::slack::api_connect_timeout;
  policy.read_timeout = limits::slack::api_read_timeout;
  policy.max_backoff = limits::slack::api_max_backoff;
  // A post has no idempotency key, and Slack's internal_error says "It's possible some aspect of
  // the operation succeeded before the error was raised"
  // (https://docs.slack.dev/reference/methods/chat.postMessage): a 5xx or a lost answer is not
  // retried, or the channel may get the message twice. 429 ("ratelimited") posted nothing.
  policy.repeatable = false;
  return policy;  // retry_after unset: Slack says how long to wait in the Retry-After header
}

ApiResult WebApi::post_message(std::string_view channel, const nlohmann::json& message,
                               std::string_view thread_ts) const {
  if (config_.bot_token.empty()) {
    spdlog::warn("slack: chat.postMessage skipped: SLACK_BOT_TOKEN is not set");
    return ApiResult{false, 0, "no bot token", {}, 0};
  }
  nlohmann::json body = {
      {"channel", channel}, {"text", message.value("text", "")}, {"unfurl_links", false}, {"unfurl_media", false}};
  if (message.contains("blocks")) body["blocks"] = message["blocks"];
  if (!thread_ts.empty()) body["thread_ts"] = thread_ts;
  const ApiResult result = call("chat.postMessage", body);
  if (!result.ok)
    spdlog::warn("slack: chat.postMessage to {} failed after {} attempt(s): {}", channel, result.attempts,
                 result.error);
  return result;
}

ApiResult WebApi::post_ephemeral(std::string_view channel, std::string_view user, const nlohmann::json& message,
                                 std::string_view thread_ts) const {
  if (config_.bot_token.empty()) {
    spdlog::warn("slack: chat.postEphemeral skipped: SLACK_BOT_TOKEN is not set");
    return ApiResult{false, 0, "no bot token", {}, 0};
  }
  nlohmann::json body = {{"channel", channel}, {"user", user}, {"text", message.value("text", "")}};
  if (message.contains("blocks")) body["blocks"] = message["blocks"];
  if (!thread_ts.empty()) body["thread_ts"] = thread_ts;
  const ApiResult result = call("chat.postEphemeral", body);
  if (!result.ok)
    spdlog::warn("slack: chat.postEphemeral in {} failed after {} attempt(s): {}", channel, result.attempts,
                 result.error);
  return result;
}

ApiResult WebApi::call(std::string_view method, const nlohmann::json& body) const {
  OutboundRequest request;
  request.platform = "slack";
  request.url = config_.api_base + "/" + std::string(method);
  request.setting = "SLACK_API_BASE";
  // Slack: "transmit your token as a bearer token in the Authorization HTTP header" for JSON.
  request.headers.emplace("Authorization", "Bearer " + config_.bot_token);
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return read_result(client_.send(request, policy()));
}

ApiResult WebApi::respond(std::string_view response_url, const nlohmann::json& message) const {
  if (!allowed_response_url(response_url)) {
    spdlog::warn("slack: response_url refused: not a Slack host");
    return ApiResult{false, 0, "response_url not allowed", {}, 0};
  }
  OutboundRequest request;
  request.platform = "slack";
  request.url = std::string(response_url);
  request.body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const ApiResult result = read_result(client_.send(request, policy()));
  // The URL itself is a short-lived credential for the conversation; it is not logged.
  if (!result.ok)
    spdlog::warn("slack: response_url post failed after {} attempt(s): {}", result.attempts, result.error);
  return result;
}

WebApi WebApi::with_token(std::string token) const {
  SlackConfig config = config_;
  config.bot_token = std::move(token);
  return WebApi(std::move(config), client_);
}

bool WebApi::allowed_response_url(std::string_view url) const {
  const auto parts = split_origin(url);
  if (!parts) return false;
  // A response_url arrives in a signed payload, so it is Slack's; checking the host anyway keeps a
  // leaked signing secret from turning the bot into a proxy towards internal addresses.
  if (parts->scheme == "https" &&
      (ends_with_domain(parts->host, "slack.com") || ends_with_domain(parts->host, "slack-gov.com")))
    return true;
  const auto api = split_origin(config_.api_base);
  return api && parts->origin == api->origin;
}

}  // namespace whygo::slack
