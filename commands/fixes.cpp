// "fixes": links whose address moved for good (a permanent redirect to a live page, found by the
// link checker), each offered as an edit of the link's URL for an admin to accept.
#include "bot/limits.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  if (services.health == nullptr) return refusal("Link health is not kept here.");
  auto offered = services.health->link_healths(true);
  if (offered.empty()) return done("No fixes are offered: no link has moved for good since it was last checked.");
  const bool more = offered.size() > limits::history_max;
  if (more) offered.resize(limits::history_max);
  std::string text;
  for (const LinkHealth& h : offered) {
    const auto link = services.catalog.link(h.link_id);
    if (!link) continue;
    text += std::to_string(h.link_id) + ". \"" + link->title + "\": " + link->url + " moved permanently to " +
            h.fix_url + "\n";
  }
  if (more) text += "More are offered; decide on these first.\n";
  text += "Accept one with \"accept <n>\": the link's URL becomes the new one (\"undo\" reverts it).";
  Reply reply = done(text);
  reply.title = "Fixes offered";
  return reply;
}

}  // namespace

Command fixes() {
  return {.name = "fixes",
          .aliases = {},
          .usage = "fixes",
          .summary = "links that moved for good, each offered as an edit of its URL (link health)",
          .admin_only = true,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
