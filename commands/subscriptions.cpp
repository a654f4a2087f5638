// "subscriptions": the channels of this workspace (team, server, homeserver) that get the story.
#include "bot/local_time.hpp"
#include "bot/story.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  std::string text;
  for (const auto& s : services.subscriptions.subscriptions(request.platform)) {
    if (s.tenant != request.tenant && request.platform != "console") continue;
    text += s.channel + ": " + local_time::format_hhmm(s.minute) + " " + s.zone +
            (s.channel == request.channel ? " (this channel)" : "");
    if (const auto last = services.subscriptions.last_post(s.platform, s.channel))
      if (const std::string failed = failed_post_note(*last, "there"); !failed.empty()) text += ". " + failed;
    text += "\n";
  }
  if (text.empty()) return done("No channel here gets the daily story yet; \"subscribe\" starts it.");
  text.pop_back();
  Reply reply = done(text);
  reply.title = "Daily story subscriptions";
  return reply;
}

}  // namespace

Command subscriptions() {
  return {.name = "subscriptions",
          .aliases = {},
          .usage = "subscriptions",
          .summary = "the channels here that get the daily story",
          .admin_only = true,
          .channel_scope = true,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
