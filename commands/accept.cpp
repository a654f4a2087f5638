// "accept <n>": takes the fix the link checker offers for link n (its page moved permanently):
// the link's URL becomes the page it moved to, as an audited edit that "undo" reverts.
#include "bot/tags.hpp"
#include "bot/url.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const auto id = parse_id(args);
  if (!id) return refusal("Accept which fix? e.g. \"accept 12\"; \"fixes\" lists them.");
  if (services.health == nullptr) return refusal("Link health is not kept here.");
  auto health = services.health->link_health(*id);
  const auto current = services.catalog.link(*id);
  if (!current || !health || health->fix_url.empty() || health->url != current->url)
    return refusal("No fix is offered for link #" + std::to_string(*id) + "; \"fixes\" lists them.");
  if (const auto why = url::problem(health->fix_url)) return refusal("The offered URL cannot be used: " + why->text);
  Link changed = *current;
  changed.tags = tags::custom_tags(*current);
  changed.url = health->fix_url;
  tags::derive(changed);
  const WriteResult r = services.curation.update_link(changed, AuditAction::edit, actor_of(request, services));
  if (r.status == WriteStatus::not_found) return refusal("There is no link #" + std::to_string(*id) + ".");
  if (r.status == WriteStatus::duplicate)
    return refusal("Link #" + std::to_string(r.other_id) + " already has " + changed.url +
                   "; remove one of the two instead. Nothing changed.");
  // Taken: no longer offered. The next check visits the new URL afresh.
  health->fix_url.clear();
  services.health->save_link_health(*health);
  return done("Updated " + describe(r.link) + ". \"undo\" reverts it.");
}

}  // namespace

Command accept() {
  return {.name = "accept",
          .aliases = {},
          .usage = "accept <n>",
          .summary = "take the fix offered for link n: its URL becomes the page it moved to",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
