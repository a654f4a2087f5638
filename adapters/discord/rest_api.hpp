// Discord's REST API (https://discord.com/developers/docs/reference,
// https://discord.com/developers/docs/topics/rate-limits) over the core's outbound client: `Authorization: Bot <token>`
// and the `DiscordBot (url, version)` User-Agent Cloudflare expects, 429 answered by waiting `retry_after` (float
// seconds in the body) or Retry-After, 5xx retried with backoff, and a bucket whose X-RateLimit-Remaining hit 0 left
// alone until X-RateLimit-Reset-After has passed. Failures come back as values (status 0 or the HTTP status).
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/discord/config.hpp"
#include "bot/clock.hpp"
#include "bot/outbound.hpp"

namespace whygo::discord {

// "DiscordBot ($url, $versionNumber)" (https://discord.com/developers/docs/reference, "User Agent").
std::string user_agent();

// Discord's 429 wait: the JSON body's retry_after (seconds, may have decimals), else the
// Retry-After header, else X-RateLimit-Reset-After.
std::optional<std::chrono::milliseconds> retry_after(const OutboundResponse& response);

// A Create Message nonce (at most 25 characters) derived from a stable key, e.g.
// "story:2026-11-27:<channel>": a retried or repeated post carries the same nonce, and with
// enforce_nonce Discord returns the first message instead of posting twice.
std::string make_nonce(std::string_view key);

// Snowflakes (decimal ids) and interaction tokens go into URL paths; anything else is refused.
bool valid_snowflake(std::string_view id);
bool valid_token(std::string_view token);

class RestApi {
 public:
  RestApi(DiscordConfig config, const OutboundClient& client, const Clock& clock, Sleeper sleeper = {});

  // PUT /applications/{id}/commands, or /applications/{id}/guilds/{guild}/commands.
  OutboundResponse bulk_overwrite_commands(const nlohmann::json& commands, const std::string& guild_id = {});
  // POST /channels/{channel}/messages with nonce + enforce_nonce (the daily story).
  OutboundResponse create_message(const std::string& channel_id, nlohmann::json message, const std::string& nonce);
  // The interaction webhook, authenticated by the token in the path (no bot token): edit the
  // deferred answer, send a follow-up, delete the deferred answer.
  OutboundResponse edit_original(const std::string& application_id, const std::string& token,
                                 const nlohmann::json& message);
  OutboundResponse create_followup(const std::string& application_id, const std::string& token,
                                   const nlohmann::json& message);
  OutboundResponse delete_original(const std::string& application_id, const std::string& token);
  // GET /users/@me: the bot user, whose id authors the bot's messages.
  OutboundResponse current_user();
  // GET /channels/{channel}/messages?limit=N (at most 100), newest first; empty without the Read
  // Message History permission.
  OutboundResponse channel_messages(const std::string& channel_id, int limit);

  const DiscordConfig& config() const { return config_; }

 private:
  // route: the bucket key, e.g. "POST /channels/1/messages" (ids are top-level resources).
  OutboundResponse call(const std::string& method, const std::string& path, const std::string& body, bool bot_auth);
  // Waits out a known-empty bucket or a global limit; false if that wait is too long.
  bool wait_for_bucket(const std::string& route);
  void remember_limits(const std::string& route, const OutboundResponse& response);

  DiscordConfig config_;
  const OutboundClient& client_;
  const Clock& clock_;
  Sleeper sleep_;
  RetryPolicy policy_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::system_clock::time_point> bucket_free_at_;
  std::chrono::system_clock::time_point global_free_at_{};
};

}  // namespace whygo::discord
