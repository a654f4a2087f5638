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
  bool is_admin = false;
  std::string admin_reason;  // completes "you are an admin because you ...": "are listed in WHYGO_ADMINS"
  // Who besides WHYGO_ADMINS is an admin on this platform, in a sentence for `admins`; empty: nobody.
  std::string admin_policy;
  std::size_t offset = 0;  // "More" pages ask again with the next offset
  // Whether the platform can post to this channel unasked (the daily story); the console cannot.
  bool receives_posts = true;
};

}  // namespace whygo
