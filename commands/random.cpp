// "random": one link picked at random, for browsing.
#include <algorithm>
#include <random>
#include <set>

#include "bot/store_roles.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  std::vector<Link> links = services.catalog.links();
  // Dead links (link health) are skipped here as in search and the story.
  if (services.health != nullptr) {
    std::set<std::int64_t> dead;
    for (const LinkHealth& h : services.health->link_healths())
      if (h.dead) dead.insert(h.link_id);
    links.erase(std::remove_if(links.begin(), links.end(), [&dead](const Link& l) { return dead.count(l.id) > 0; }),
                links.end());
  }
  if (links.empty()) return Reply::failure(ErrorKind::not_found, "The catalog is empty.");
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, links.size() - 1);
  Reply reply;
  reply.visibility = Visibility::channel;
  reply.title = "A random reason to use Go";
  reply.links = {links[pick(engine)]};
  reply.total = 1;
  return reply;
}

}  // namespace

Command random() {
  return {.name = "random",
          .aliases = {"surprise"},
          .usage = "random",
          .summary = "a random link from the catalog",
          .admin_only = false,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
