#include "adapters/discord/rest_api.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <thread>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/signature.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

#ifndef WHYGO_VERSION
#define WHYGO_VERSION "0.0.0"
#endif

namespace whygo::discord {
namespace {

using nlohmann::json;
namespace dl = limits::discord;

constexpr const char* project_url = "https://github.com/whygo/whygo";

// "64.57" -> 64570 ms; nullopt for anything but a finite, non-negative number.
std::optional<std::chrono::milliseconds> seconds_text(std::string_view text) {
  text = text::trim(text);
  if (text.empty() || text.size() > 32) return std::nullopt;
  double seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) || seconds < 0)
    return std::nullopt;
  seconds = std::min(seconds, 86400.0);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
}

}  // namespace

std::string user_agent() {
  return std::string("DiscordBot (") + project_url + ", " + WHYGO_VERSION + ")";
}

std::optional<std::chrono::milliseconds> retry_after(const OutboundResponse& response) {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    const auto it = body.find("retry_after");
    if (it != body.end() && it->is_number() && std::isfinite(it->get<double>()) && it->get<double>() >= 0)
      return std::chrono::milliseconds(
          static_cast<long long>(std::ceil(std::min(it->get<double>(), 86400.0) * 1000.0)));
  }
  if (auto header = seconds_text(response.header("Retry-After"))) return header;
  return seconds_text(response.header("X-RateLimit-Reset-After"));
}

std::string make_nonce(std::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(key.data(), key.size(), digest, &size, EVP_sha256(), nullptr) != 1) return {};
  return to_hex(digest, size).substr(0, dl::nonce_max_chars);
}

bool valid_snowflake(std::string_view id) {
  return !id.empty() && id.size() <= 20 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_token(std::string_view token) {
  return !token.empty() && token.size() <= 1024 && std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
           c == '.';
  });
}

RestApi::RestApi(DiscordConfig config, const OutboundClient& client, const Clock& clock, Sleeper sleeper)
    : config_(std::move(config)), client_(client), clock_(clock), sleep_(std::move(sleeper)) {
  if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  policy_.max_attempts = dl::rest_max_attempts;
  policy_.connect_timeout = dl::rest_connect_timeout;
  policy_.read_timeout = dl::rest_read_timeout;
  policy_.max_backoff = dl::rest_max_backoff;
  policy_.retry_after = [](const OutboundResponse& r) { return retry_after(r); };
}

bool RestApi::wait_for_bucket(const std::string& route) {
  std::chrono::system_clock::time_point free_at;
  {
    std::lock_guard lock(mutex_);
    free_at = global_free_at_;
    if (const auto it = bucket_free_at_.find(route); it != bucket_free_at_.end())
      free_at = std::max(free_at, it->second);
  }
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(free_at - clock_.now());
  if (wait <= std::chrono::milliseconds(0)) return true;
  if (wait > policy_.max_backoff) return false;
  sleep_(wait);
  return true;
}

void RestApi::remember_limits(const std::string& route, const OutboundResponse& response) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  if (response.status == 429 && text::lower_ascii(response.header("X-RateLimit-Global")) == "true") {
    if (const auto wait = retry_after(response)) global_free_at_ = now + *wait;
  }
  if (text::trim(response.header("X-RateLimit-Remaining")) == "0") {
    if (const auto wait = seconds_text(response.header("X-RateLimit-Reset-After")))
      bucket_free_at_[route] = now + *wait;
  } else if (response.ok()) {
    bucket_free_at_.erase(route);
  }
}

OutboundResponse RestApi::call(const std::string& method, const std::string& path, const std::string& body,
                               bool bot_auth) {
  const std::string route = method + " " + path;
  if (bot_auth && config_.bot_token.empty()) {
    OutboundResponse refused;
    refused.error = "DISCORD_BOT_TOKEN is not set";
    return refused;
  }
  if (!wait_for_bucket(route)) {
    OutboundResponse refused;
    refused.error = "rate limited for longer than we wait";
    spdlog::warn("discord {} {}: {}", method, path.substr(0, path.find('/', 1)), refused.error);
    return refused;
  }
  OutboundRequest request;
  request.platform = "discord";
  request.method = method;
  request.url = config_.api_base + path;
  request.setting = "DISCORD_API_BASE";
  request.body = body;
  request.headers.emplace("User-Agent", user_agent());
  if (bot_auth) request.headers.emplace("Authorization", "Bot " + config_.bot_token);
  const OutboundResponse response = client_.send(request, policy_);
  // Interaction webhooks are outside the bot's rate limits (https://discord.com/developers/docs/topics/rate-limits),
  // and their tokens would only fill the map.
  if (bot_auth) remember_limits(route, response);
  return response;
}

OutboundResponse RestApi::bulk_overwrite_commands(const json& commands, const std::string& guild_id) {
  if (!valid_snowflake(config_.application_id) || (!guild_id.empty() && !valid_snowflake(guild_id))) {
    OutboundResponse refused;
    refused.error = "application and guild ids are Discord snowflakes (digits)";
    return refused;
  }
  const std::string path = "/applications/" + config_.application_id +
                           (guild_id.empty() ? std::string() : "/guilds/" + guild_id) + "/commands";
  return call("PUT", path, commands.dump(-1, ' ', false, json::error_handler_t::replace), true);
}

OutboundResponse RestApi::create_message(const std::string& channel_id, json message, const std::string& nonce) {
  if (!valid_snowflake(channel_id)) {
    OutboundResponse refused;
    refused.error = "channel id is not a snowflake";
    return refused;
  }
  if (!nonce.empty()) {
    message["nonce"] = nonce.substr(0, dl::nonce_max_chars);
    message["enforce_nonce"] = true;
  }
  return call("POST", "/channels/" + channel_id + "/messages",
              message.dump(-1, ' ', false, json::error_handler_t::replace), true);
}

OutboundResponse RestApi::current_user() {
  return call("GET", "/users/@me", {}, true);
}

OutboundResponse RestApi::channel_messages(const std::string& channel_id, int limit) {
  if (!valid_snowflake(channel_id)) {
    OutboundResponse refused;
    refused.error = "channel id is not a snowflake";
    return refused;
  }
  return call("GET", "/channels/" + channel_id + "/messages?limit=" + std::to_string(std::clamp(limit, 1, 100)), {},
              true);
}

namespace {
OutboundResponse refused_webhook() {
  OutboundResponse refused;
  refused.error = "malformed interaction id or token";
  return refused;
}
}  // namespace

OutboundResponse RestApi::edit_original(const std::string& application_id, const std::string& token,
                                        const json& message) {
  if (!valid_snowflake(application_id) || !valid_token(token)) return refused_webhook();
  return call("PATCH", "/webhooks/" + application_id + "/" + token + "/messages/@original",
              message.dump(-1, ' ', false, json::error_handler_t::replace), false);
}

OutboundResponse RestApi::create_followup(const std::string& application_id, const std::string& token,
                                          const json& message) {
  if (!valid_snowflake(application_id) || !valid_token(token)) return refused_webhook();
  return call("POST", "/webhooks/" + application_id + "/" + token,
              message.dump(-1, ' ', false, json::error_handler_t::replace), false);
}

OutboundResponse RestApi::delete_original(const std::string& application_id, const std::string& token) {
  if (!valid_snowflake(application_id) || !valid_token(token)) return refused_webhook();
  return call("DELETE", "/webhooks/" + application_id + "/" + token + "/messages/@original", {}, false);
}

}  // namespace whygo::discord
