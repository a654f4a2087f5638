// What goes into the dispatcher: a platform-neutral Request that each adapter builds from what
// it verified and parsed. Nothing here knows HTTP or any platform's format.
#pragma once
#include <cstddef>
#include <string>

namespace whygo {

struct Request {
  std::string platform;  // the adapter's name: "console", "slack", "discord", "matrix"
  std::string tenant;    // Slack team, Discord guild, Matrix homeserver
  std::string channel;
  std::string user;  // a stable platform id, never a display name
  std::string text;  // what follows the command name: "docker", "add https://... Title"
  // May change the catalog: a stable id listed in WHYGO_ADMINS (the console's operator too).
  bool is_admin = false;
  // May manage this channel's daily story (subscribe, unsubscribe, subscriptions): catalog
  // admins, and where a platform has them, the admins of the channel's own space (a Discord
  // server's managers), who may not touch the catalog.
  bool manages_channel = false;
  // Completes "you are an admin because you ..." (or "may manage ... because you ..."):
  // "are listed in WHYGO_ADMINS".
  std::string admin_reason;
  // Who besides WHYGO_ADMINS may do what on this platform, in a sentence for `admins`; empty: nobody.
  std::string admin_policy;
  std::size_t offset = 0;  // "More" pages ask again with the next offset
  // Names the signed request this came from (a Slack signature, a Discord interaction id): a
  // command that writes runs at most once per key, so a captured request replayed inside the
  // platform's time window changes nothing. Empty where the platform de-duplicates by itself.
  std::string replay_key;
  // Whether the bot may post in this channel on its own (the daily story), as far as the adapter
  // can tell. cannot_post: why it cannot, known for sure ("it lacks the Send Messages
  // permission here"); subscribe refuses with it. posting_advice: what it takes, when the adapter
  // cannot check ("in a private channel, invite the bot first"); subscribe passes it on.
  std::string cannot_post;
  std::string posting_advice;
  // Whether the platform can post to this channel unasked (the daily story); the console cannot.
  bool receives_posts = true;
};

}  // namespace whygo
