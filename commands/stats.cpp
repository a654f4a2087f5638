// "stats": what the catalog holds.
#include <map>
#include <set>

#include "bot/store_roles.hpp"
#include "bot/tags.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  const auto links = services.catalog.links();
  std::set<std::string> authors, subjects, hosts;
  std::map<std::string, std::size_t> kinds;
  std::size_t added_by_admins = 0;
  for (const auto& link : links) {
    if (!link.author.empty()) authors.insert(link.author);
    if (!link.subject.empty()) subjects.insert(link.subject);
    hosts.insert(tags::host_of(link.url));
    ++kinds[tags::media_kind(link)];
    if (link.origin == LinkOrigin::admin) ++added_by_admins;
  }
  std::string text = std::to_string(links.size()) + " links in " + std::to_string(services.catalog.sections().size()) +
                     " sections, by " + std::to_string(authors.size()) + " authors, about " +
                     std::to_string(subjects.size()) + " companies and projects, on " + std::to_string(hosts.size()) +
                     " sites.\n";
  std::string by_kind;
  for (const auto& [kind, count] : kinds) by_kind += (by_kind.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
  text += "By kind: " + by_kind + ".\n";
  text += std::to_string(added_by_admins) + " added by admins.";
  if (services.health != nullptr) {
    const HealthCounts health = services.health->health_counts();
    if (health.checked > 0)
      text += "\nLink health (" + std::to_string(health.checked) + " checked): " + std::to_string(health.alive) +
              " alive, " + std::to_string(health.redirected) + " redirected, " + std::to_string(health.dead) +
              " dead, " + std::to_string(health.failing) + " failing.";
  }
  Reply reply = Reply::message(text);
  reply.title = "Catalog";
  return reply;
}

}  // namespace

Command stats() {
  return {.name = "stats",
          .aliases = {"statistics"},
          .usage = "stats",
          .summary = "what the catalog holds",
          .admin_only = false,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
