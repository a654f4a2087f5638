// "sync": follows the upstream wiki page now (as `whygo sync` and the schedule do) and says
// what changed, or why nothing did.
#include "bot/upstream_sync.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view args, Services& services) {
  if (!args.empty()) return refusal("sync takes no arguments: it follows the configured page (WHYGO_UPSTREAM_URL).");
  if (!services.upstream) return refusal("Sync is not set up in this process.");
  const Actor asker = actor_of(request, services);
  const upstream::Report report = services.upstream->run(asker.platform + ":" + asker.user);
  const std::string text = upstream::describe(report);
  if (report.outcome == upstream::Outcome::refused || report.outcome == upstream::Outcome::failed) return refusal(text);
  return done(text);
}

}  // namespace

Command sync() {
  return {.name = "sync",
          .aliases = {},
          .usage = "sync",
          .summary = "follow the upstream wiki page now: add what is new, update what changed",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
