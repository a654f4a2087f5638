// "pending": suggestions waiting for an admin.
#include "bot/limits.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  auto waiting = services.curation.pending_suggestions(limits::history_max + 1);
  if (waiting.empty()) return done("No suggestions are waiting.");
  const bool more = waiting.size() > limits::history_max;
  if (more) waiting.pop_back();
  std::string text;
  for (const auto& s : waiting)
    text += std::to_string(s.id) + ". \"" + s.title + "\" (" + s.url + ") from " + s.platform + ":" + s.user + "\n";
  if (more) text += "More are waiting; decide on these first.\n";
  text +=
      "Decide with \"approve <n>\" (or \"approve 5 7 9\"), \"reject <n> [reason]\" (or \"reject 3-40\", "
      "\"reject all\").";
  Reply reply = done(text);
  reply.title = "Suggestions waiting";
  reply.names_people = true;
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
