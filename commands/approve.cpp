// "approve <n>": a suggestion becomes a link of the catalog.
#include "bot/tags.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const auto id = parse_id(args);
  if (!id) return refusal("Approve which suggestion? e.g. \"approve 3\"; \"pending\" lists them.");
  const auto s = services.curation.suggestion(*id);
  if (!s) return refusal("There is no suggestion " + std::to_string(*id) + ".");
  Link link;
  link.url = s->url;
  link.title = s->title;
  link.section = "Why Go";
  link.origin = LinkOrigin::admin;
  tags::derive(link);
  const WriteResult r = services.curation.approve_suggestion(*id, link, actor_of(request, services));
  switch (r.status) {
    case WriteStatus::done:
      return done("Approved suggestion " + std::to_string(*id) + ": added " + describe(r.link) + ".");
    case WriteStatus::not_pending:
      return refusal("Suggestion " + std::to_string(*id) + " was " + r.detail + " already.");
    case WriteStatus::duplicate:
      return refusal("Link #" + std::to_string(r.other_id) + " has that URL already; reject the suggestion instead.");
    default:
      return refusal("There is no suggestion " + std::to_string(*id) + ".");
  }
}

}  // namespace

Command approve() {
  return {.name = "approve",
          .aliases = {},
          .usage = "approve <n>",
          .summary = "add a suggested link to the catalog",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
