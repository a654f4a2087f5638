// "tag <id> #t ...": adds tags to a link.
#include <algorithm>

#include "bot/tags.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const TagRequest asked = parse_tag_request(args, services, "tag 12 #containers #devops");
  if (asked.problem) return refusal(*asked.problem);
  const auto& current = asked.current;
  const auto& added = asked.tags;
  Link changed = *current;
  changed.tags = tags::custom_tags(*current);
  for (const auto& tag : added)
    if (std::find(changed.tags.begin(), changed.tags.end(), tag) == changed.tags.end()) changed.tags.push_back(tag);
  tags::derive(changed);
  const WriteResult r = services.curation.update_link(changed, AuditAction::tag, actor_of(request, services));
  if (r.status != WriteStatus::done) return refusal("There is no link #" + std::to_string(current->id) + ".");
  std::string all;
  for (const auto& t : r.link.tags) all += (all.empty() ? "#" : " #") + t;
  return done("Tagged " + describe(r.link) + ": " + all + ".");
}

}  // namespace

Command tag() {
  return {.name = "tag",
          .aliases = {},
          .usage = "tag <id> #tag ...",
          .summary = "add tags to a link",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
