// The daily story on Discord: Create Message in each subscribed channel.
#pragma once
#include "adapters/discord/config.hpp"
#include "bot/clock.hpp"
#include "bot/outbound.hpp"
#include "bot/scheduler.hpp"

namespace whygo::discord {

// Create Message carries a nonce with enforce_nonce, so a retried send is dropped by Discord if
// the first arrived. A send repeated after a crash (post.repeat) comes later than Discord
// remembers a nonce, so it first looks for the story among the bot's recent messages in the
// channel: the scheduler may repeat it. Sends are spaced under Discord's global limit of 50
// requests per second.
Poster story_poster(const DiscordConfig& config, const OutboundClient& client, const Clock& clock);

}  // namespace whygo::discord
