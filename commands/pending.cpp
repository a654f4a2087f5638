// "pending": suggestions waiting for an admin.
#include "bot/limits.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  const auto waiting = services.curation.pending_suggestions(limits::history_max);
  if (waiting.empty()) return done("No suggestions are waiting.");
  std::string text;
  for (const auto& s : waiting)
    text += std::to_string(s.id) + ". \"" + s.title + "\" (" + s.url + ") from " + s.platform + ":" + s.user + "\n";
  text += "Decide with \"approve <n>\" or \"reject <n> [reason]\".";
  Reply reply = done(text);
  reply.title = "Suggestions waiting";
  return reply;
}

}  // namespace

Command pending() {
  return {.name = "pending",
          .aliases = {"suggestions"},
          .usage = "pending",
          .summary = "suggestions waiting for a decision",
          .admin_only = true,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
