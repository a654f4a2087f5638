// "remove <id|url>": takes a link out of search, the story rotation and exports (undo brings it back).
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  std::optional<std::int64_t> id = parse_id(args);
  if (!id && !args.empty()) {
    if (const auto link = services.catalog.find_by_url(std::string(args))) id = link->id;
  }
  if (!id) return refusal("Remove which link? Give its number or its URL, e.g. \"remove 12\".");
  const WriteResult r = services.curation.remove_link(*id, actor_of(request, services));
  if (r.status == WriteStatus::not_found) return refusal("There is no link #" + std::to_string(*id) + ".");
  return done("Removed " + describe(r.link) + ". \"undo\" brings it back.");
}

}  // namespace

Command remove() {
  return {.name = "remove",
          .aliases = {"rm", "delete"},
          .usage = "remove <id|url>",
          .summary = "remove a link",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
