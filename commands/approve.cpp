// "approve <n>", "approve 5 7 9", "approve 3-6": suggestions become links of the catalog. Never
// "all": each link is read by an admin before it joins.
#include <algorithm>
#include <vector>

#include "bot/limits.hpp"
#include "bot/tags.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

// The outcome of one approval, in words; ok when the link was added.
std::pair<bool, std::string> approve_one(std::int64_t id, const Request& request, Services& services) {
  const auto s = services.curation.suggestion(id);
  if (!s) return {false, "There is no suggestion " + std::to_string(id) + "."};
  Link link;
  link.url = s->url;
  link.title = s->title;
  link.section = "Why Go";
  link.origin = LinkOrigin::admin;
  tags::derive(link);
  const WriteResult r = services.curation.approve_suggestion(id, link, actor_of(request, services));
  switch (r.status) {
    case WriteStatus::done:
      return {true, "Approved suggestion " + std::to_string(id) + ": added " + describe(r.link) + "."};
    case WriteStatus::not_pending:
      return {false, "Suggestion " + std::to_string(id) + " was " + r.detail + " already."};
    case WriteStatus::duplicate:
      return {false, "Link #" + std::to_string(r.other_id) + " has the URL of suggestion " + std::to_string(id) +
                         " already; reject the suggestion instead."};
    default:
      return {false, "There is no suggestion " + std::to_string(id) + "."};
  }
}

Reply run(const Request& request, std::string_view args, Services& services) {
  const SelectionInput in = parse_selection(args);
  if (in.problem || in.selection.all || !in.rest.empty())
    return refusal(
        "Approve which suggestions? e.g. \"approve 3\", \"approve 5 7 9\" or \"approve 3-6\" (never "
        "\"all\": each link is read before it joins); \"pending\" lists them.");
  if (const auto id = in.single()) {
    const auto [ok, text] = approve_one(*id, request, services);
    return ok ? done(text) : refusal(text);
  }
  // Ranges name only what is waiting; listed ids are answered one by one, waiting or not.
  std::vector<std::int64_t> ids;
  for (const auto& [first, last] : in.selection.ranges) {
    if (first == last) {
      ids.push_back(first);
      continue;
    }
    for (const Suggestion& s : services.curation.pending_suggestions(limits::pending_max))
      if (s.id >= first && s.id <= last) ids.push_back(s.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return refusal("None of those suggestions is waiting; \"pending\" lists them.");
  if (ids.size() > limits::approve_at_once_max)
    return refusal("That is " + std::to_string(ids.size()) + " suggestions; approve at most " +
                   std::to_string(limits::approve_at_once_max) + " at once.");
  std::string text;
  bool any = false;
  for (const std::int64_t id : ids) {
    const auto [ok, line] = approve_one(id, request, services);
    any = any || ok;
    text += (text.empty() ? "" : "\n") + line;
  }
  return any ? done(text) : refusal(text);
}

}  // namespace

Command approve() {
  return {.name = "approve",
          .aliases = {},
          .usage = "approve <n> [<n>...]",
          .summary = "add suggested links to the catalog: one or several (\"5 7 9\", \"3-6\")",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
