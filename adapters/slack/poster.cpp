#include "adapters/slack/poster.hpp"

#include "adapters/slack/limits.hpp"
#include "adapters/slack/render.hpp"
#include "adapters/slack/web_api.hpp"
#include "bot/limits.hpp"

namespace whygo::slack {

Poster story_poster(const SlackConfig& config, const OutboundClient& client) {
  Poster poster;
  poster.idempotent = false;
  poster.spacing = limits::slack::story_post_spacing;
  poster.send = [config, &client](const StoryPost& post) {
    const WebApi api(config, client);
    const ApiResult result = api.post_message(post.channel, message(post.reply), "");
    return PostResult{result.ok, result.attempts, result.error};
  };
  return poster;
}

}  // namespace whygo::slack
