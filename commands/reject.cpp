// "reject <n> [reason]", "reject 3-40 [reason]", "reject 5 7 9", "reject all": declines
// suggestions. Rejections only clear work, so they do not count against the write limit.
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply reject_one(std::int64_t id, std::string_view reason, const Request& request, Services& services) {
  const WriteResult r = services.curation.reject_suggestion(id, std::string(reason), actor_of(request, services));
  switch (r.status) {
    case WriteStatus::done:
      return done("Rejected suggestion " + std::to_string(id) + ".");
    case WriteStatus::not_pending:
      return refusal("Suggestion " + std::to_string(id) + " was " + r.detail + " already.");
    default:
      return refusal("There is no suggestion " + std::to_string(id) + ".");
  }
}

Reply run(const Request& request, std::string_view args, Services& services) {
  const SelectionInput in = parse_selection(args);
  if (in.problem)
    return refusal(
        "Reject which suggestions? e.g. \"reject 3 off topic\", \"reject 3-40\", \"reject 5 7 9\" or "
        "\"reject all\"; \"pending\" lists them.");
  if (const auto id = in.single()) return reject_one(*id, in.rest, request, services);
  const WriteResult r =
      services.curation.reject_suggestions(in.selection, std::string(in.rest), actor_of(request, services));
  if (r.status != WriteStatus::done) return refusal("None of those suggestions is waiting; \"pending\" lists them.");
  return done("Rejected " + std::to_string(r.other_id) + (r.other_id == 1 ? " suggestion." : " suggestions.") +
              " \"undo\" brings them back.");
}

}  // namespace

Command reject() {
  return {.name = "reject",
          .aliases = {},
          .usage = "reject <n>|<n-m>|all [reason]",
          .summary = "decline suggestions: one, several (\"5 7 9\", \"3-40\") or all",
          .admin_only = true,
          .writes = true,
          .rate_limited = false,
          .run = run};
}

}  // namespace whygo::commands
