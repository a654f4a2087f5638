// "suggest <url> <title...>": anyone may propose a link; admins approve or reject it.
#include "bot/limits.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const LinkInput in = parse_link_input(args, false, "suggest https://go.dev/solutions/dropbox Go at Dropbox");
  if (in.problem) return refusal(*in.problem);
  const WriteResult r = services.curation.add_suggestion(
      in.url, in.title, actor_of(request, services), SuggestionPlace{request.tenant, request.channel},
      PendingCaps{limits::pending_max, limits::pending_per_tenant_max, limits::pending_per_channel_max});
  if (r.status == WriteStatus::queue_full)
    return Reply::failure(ErrorKind::too_many_requests, "Sorry, the queue is full: many suggestions are waiting " +
                                                            std::string(r.detail == "channel"  ? "from this channel"
                                                                        : r.detail == "tenant" ? "from here"
                                                                                               : "for the admins") +
                                                            ". Try later, once the admins have caught up.");
  if (r.status == WriteStatus::duplicate) {
    if (r.detail == "suggestion")
      return refusal("That link was suggested already (suggestion " + std::to_string(r.other_id) +
                     "); the admins will see it.");
    const auto existing = services.catalog.link(r.other_id);
    return refusal("That link is already in the catalog as " +
                   (existing ? describe(*existing) : "#" + std::to_string(r.other_id)) + ".");
  }
  return done("Thanks! Suggestion " + std::to_string(r.other_id) + " is queued for the admins.");
}

}  // namespace

Command suggest() {
  return {.name = "suggest",
          .aliases = {},
          .usage = "suggest <url> <title...>",
          .summary = "propose a link for the catalog",
          .admin_only = false,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
