#include "adapters/slack/poster.hpp"

#include "adapters/slack/limits.hpp"
#include "adapters/slack/render.hpp"
#include "adapters/slack/web_api.hpp"
#include "adapters/slack/workspaces.hpp"
#include "bot/limits.hpp"

namespace whygo::slack {

std::string post_failure_reason(const std::string& error) {
  // chat.postMessage errors (https://docs.slack.dev/reference/methods/chat.postMessage). With
  // chat:write.public a public channel needs no invitation; a private one does, and there Slack
  // answers channel_not_found as much as not_in_channel.
  if (error == "not_in_channel" || error == "channel_not_found")
    return "Slack said " + error +
           ": whygo is not in this channel. Invite it with /invite @whygo (a private channel needs that; a direct "
           "message can get the story only from whygo's own)";
  if (error == "missing_scope")
    return "Slack said missing_scope: reinstall the app from deploy/slack/manifest.yml, which asks for chat:write "
           "and chat:write.public";
  if (error == "is_archived") return "Slack said is_archived: the channel is archived";
  return "Slack said " + error;
}

Poster story_poster(const SlackConfig& config, const OutboundClient& client, Installations& installations) {
  Poster poster;
  poster.idempotent = false;
  poster.spacing = limits::slack::story_post_spacing;
  poster.pace_scope = PaceScope::tenant;  // each workspace has its own limit
  poster.workers = limits::slack::story_post_workers;
  poster.send = [config, &client, &installations](const StoryPost& post) {
    // Each workspace's story goes out with its own token (SLACK_BOT_TOKEN when it has none).
    const WebApi api(config, client);
    const WebApi as_bot = api.with_token(Workspaces(config, installations).token_for(post.tenant));
    const ApiResult result = as_bot.post_message(post.channel, message(post.reply), "");
    return PostResult{result.ok, result.attempts, result.ok ? std::string() : post_failure_reason(result.error)};
  };
  return poster;
}

}  // namespace whygo::slack
