// "undo": reverts the asker's own last change (again and again, walking back).
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  const WriteResult r = services.curation.undo_last(actor_of(request, services));
  switch (r.status) {
    case WriteStatus::nothing_to_undo:
      return refusal("You have no change left to undo.");
    case WriteStatus::conflict:
      return refusal("Cannot undo: " + r.detail + ".");
    case WriteStatus::done:
      break;
    default:
      return refusal("Cannot undo that change.");
  }
  if (r.action == AuditAction::reject)
    return done(r.other_id > 1
                    ? "Undid the rejection; those " + std::to_string(r.other_id) + " suggestions are pending again."
                    : std::string("Undid the rejection; the suggestion is pending again."));
  if (r.action == AuditAction::add || r.action == AuditAction::approve)
    return done("Undid the " + std::string(to_string(r.action)) + ": " + describe(r.link) + " is removed.");
  if (r.action == AuditAction::remove) return done("Undid the removal: " + describe(r.link) + " is back.");
  return done("Undid the " + std::string(to_string(r.action)) + ": " + describe(r.link) + " is as before.");
}

}  // namespace

Command undo() {
  return {.name = "undo",
          .aliases = {},
          .usage = "undo",
          .summary = "revert your own last change",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
