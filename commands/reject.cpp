// "reject <n> [reason]": declines a suggestion.
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  const auto [id_word, reason] = first_word(args);
  const auto id = parse_id(id_word);
  if (!id) return refusal("Reject which suggestion? e.g. \"reject 3 off topic\"; \"pending\" lists them.");
  const WriteResult r = services.curation.reject_suggestion(*id, std::string(reason), actor_of(request, services));
  switch (r.status) {
    case WriteStatus::done:
      return done("Rejected suggestion " + std::to_string(*id) + ".");
    case WriteStatus::not_pending:
      return refusal("Suggestion " + std::to_string(*id) + " was " + r.detail + " already.");
    default:
      return refusal("There is no suggestion " + std::to_string(*id) + ".");
  }
}

}  // namespace

Command reject() {
  return {.name = "reject",
          .aliases = {},
          .usage = "reject <n> [reason]",
          .summary = "decline a suggestion",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
