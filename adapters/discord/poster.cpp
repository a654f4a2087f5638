#include "adapters/discord/poster.hpp"

#include <memory>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/render.hpp"
#include "adapters/discord/rest_api.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {

Poster story_poster(const DiscordConfig& config, const OutboundClient& client, const Clock& clock) {
  Poster poster;
  poster.idempotent = true;
  poster.spacing = limits::discord::story_post_spacing;
  // One client for every send, so its rate-limit buckets are shared.
  auto api = std::make_shared<RestApi>(config, client, clock);
  poster.send = [api](const StoryPost& post) {
    const OutboundResponse response = api->create_message(
        post.channel, render_message(post.reply, MessageKind::new_message), make_nonce(post.idempotency_key));
    return PostResult{response.ok(), response.attempts,
                      response.ok()
                          ? std::string()
                          : std::to_string(response.status) + " " + response.error + response.body.substr(0, 200)};
  };
  return poster;
}

}  // namespace whygo::discord
