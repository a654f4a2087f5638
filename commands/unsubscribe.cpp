// "unsubscribe": this channel stops getting the daily story.
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  if (!services.subscriptions.unsubscribe(request.platform, request.channel))
    return refusal("This channel is not subscribed; \"subscribe\" starts the daily story.");
  return done("Unsubscribed: this channel gets no more daily stories.");
}

}  // namespace

Command unsubscribe() {
  return {.name = "unsubscribe",
          .aliases = {},
          .usage = "unsubscribe",
          .summary = "this channel stops getting the daily story",
          .admin_only = true,
          .channel_scope = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
