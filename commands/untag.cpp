// "untag <id> #t ...": removes tags an admin gave. Tags derived from the link itself (its
// company, host, kind of media) come back from the link and cannot be removed this way.
#include <algorithm>

#include "bot/tags.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const TagRequest asked = parse_tag_request(args, services, "untag 12 #containers");
  if (asked.problem) return refusal(*asked.problem);
  const auto& current = asked.current;
  const auto& removed = asked.tags;
  Link changed = *current;
  changed.tags = tags::custom_tags(*current);
  for (const auto& tag : removed) {
    const auto it = std::find(changed.tags.begin(), changed.tags.end(), tag);
    if (it != changed.tags.end()) {
      changed.tags.erase(it);
    } else if (std::find(current->tags.begin(), current->tags.end(), tag) != current->tags.end()) {
      return refusal(
          "#" + tag +
          " comes from the link itself (its company, site or kind) and stays; edit the title or URL instead.");
    } else {
      return refusal(describe(*current) + " has no tag #" + tag + ".");
    }
  }
  tags::derive(changed);
  const WriteResult r = services.curation.update_link(changed, AuditAction::untag, actor_of(request, services));
  if (r.status != WriteStatus::done) return refusal("There is no link #" + std::to_string(current->id) + ".");
  return done("Untagged " + describe(r.link) + ".");
}

}  // namespace

Command untag() {
  return {.name = "untag",
          .aliases = {},
          .usage = "untag <id> #tag ...",
          .summary = "remove tags from a link",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
