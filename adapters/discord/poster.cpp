#include "adapters/discord/poster.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <optional>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/render.hpp"
#include "adapters/discord/rest_api.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {
namespace {

using nlohmann::json;

// What identifies the story in a message: its heading and the links' footers ("#id") and URLs.
std::string fingerprint(const json& message) {
  if (!message.is_object()) return {};
  std::string out = message.value("content", "");
  if (const auto embeds = message.find("embeds"); embeds != message.end() && embeds->is_array())
    for (const json& embed : *embeds) {
      if (!embed.is_object()) continue;
      out += "\n" + embed.value("url", "");
      if (const auto footer = embed.find("footer"); footer != embed.end() && footer->is_object())
        out += " " + footer->value("text", "");
    }
  return out;
}

struct Story {
  Story(const DiscordConfig& config, const OutboundClient& client, const Clock& clock) : api(config, client, clock) {}
  RestApi api;
  std::mutex mutex;
  std::string bot_user_id;  // from GET /users/@me, once

  std::string bot_user() {
    std::lock_guard lock(mutex);
    if (bot_user_id.empty()) {
      const OutboundResponse me = api.current_user();
      const json user = json::parse(me.body, nullptr, /*allow_exceptions=*/false);
      if (me.ok() && user.is_object() && user.contains("id") && user["id"].is_string()) bot_user_id = user["id"];
    }
    return bot_user_id;
  }

  // A post cut short by a crash is made again after the claim's lease (10 minutes), but Discord
  // checks a nonce for uniqueness only "in the past few minutes"
  // (https://discord.com/developers/docs/resources/message, "Create Message"). So the bot's recent
  // messages there are read first (Get Channel Messages, newest first). true: it is there;
  // false: it is not; nullopt: the channel could not be read.
  std::optional<bool> already_posted(const std::string& channel, const json& message) {
    const std::string me = bot_user();
    if (me.empty()) return std::nullopt;
    const OutboundResponse recent = api.channel_messages(channel, limits::discord::story_lookback_messages);
    const json messages = json::parse(recent.body, nullptr, /*allow_exceptions=*/false);
    if (!recent.ok() || !messages.is_array()) return std::nullopt;
    const std::string ours = fingerprint(message);
    for (const json& m : messages) {
      if (!m.is_object() || !m.contains("author") || !m["author"].is_object()) continue;
      if (m["author"].value("id", "") == me && fingerprint(m) == ours) return true;
    }
    return false;
  }
};

// Why Create Message failed, in words that say what to do where Discord's code tells
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes, "JSON Error Codes").
std::string failure_reason(const OutboundResponse& response) {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const int code =
      body.is_object() && body.contains("code") && body["code"].is_number_integer() ? body["code"].get<int>() : 0;
  if (code == 50001 || code == 50013)
    return "Discord said " + std::to_string(code) + " " + body.value("message", "") +
           ": give whygo the View Channel, Send Messages, Embed Links and Read Message History permissions in this "
           "channel";
  if (code == 10003) return "Discord said 10003 Unknown Channel: the channel is gone";
  if (response.status == 0) return response.error;
  return std::to_string(response.status) + " " + response.error + response.body.substr(0, 200);
}

}  // namespace

Poster story_poster(const DiscordConfig& config, const OutboundClient& client, const Clock& clock) {
  Poster poster;
  poster.idempotent = true;
  poster.spacing = limits::discord::story_post_spacing;
  poster.pace_scope = PaceScope::bot;  // the global limit is the bot's, over every guild
  // One client for every send, so its rate-limit buckets are shared.
  auto story = std::make_shared<Story>(config, client, clock);
  poster.send = [story](const StoryPost& post) {
    const json message = render_message(post.reply, MessageKind::new_message);
    if (post.repeat) {
      const auto found = story->already_posted(post.channel, message);
      if (!found)
        return PostResult{false, 1,
                          "could not read the channel's recent messages to check for the first send; not repeated, "
                          "to avoid a double post"};
      if (*found) {
        spdlog::info("discord: the story was already in channel {}; not posted again", post.channel);
        return PostResult{true, 1, {}};
      }
    }
    const OutboundResponse response =
        story->api.create_message(post.channel, message, make_nonce(post.idempotency_key));
    return PostResult{response.ok(), response.attempts, response.ok() ? std::string() : failure_reason(response)};
  };
  return poster;
}

}  // namespace whygo::discord
