// "add <url> <title...> [by <author>] [#tag ...]": a new link, searchable at once. A title with
// " by " in it goes in quotes: add <url> "Go by Example" by Mark McGranaghan.
#include "bot/tags.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const LinkInput in =
      parse_link_input(args, true, "add https://gobyexample.com \"Go by Example\" by Mark McGranaghan #learning");
  if (in.problem) return refusal(*in.problem);
  Link link;
  link.url = in.url;
  link.title = in.title;
  link.author = in.author;
  link.section = "Why Go";
  link.tags = in.tags;
  link.origin = LinkOrigin::admin;
  tags::derive(link);
  const WriteResult r = services.curation.add_link(link, actor_of(request, services));
  if (r.status == WriteStatus::duplicate) {
    const auto existing = services.catalog.link(r.other_id);
    return refusal("That link is already in the catalog as " +
                   (existing ? describe(*existing) : "#" + std::to_string(r.other_id)) + ". Nothing changed.");
  }
  return done("Added " + describe(r.link) + ". It is searchable now; \"undo\" takes it back.");
}

}  // namespace

Command add() {
  return {.name = "add",
          .aliases = {},
          .usage = "add <url> <title...> [by <author>] [#tag ...]",
          .summary = "add a link to the catalog",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
