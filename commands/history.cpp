// "history [n]": the recent catalog changes, with who, when and what.
#include <date/date.h>

#include <chrono>

#include "bot/limits.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

std::string when(std::int64_t unix_seconds) {
  const auto t = date::sys_seconds{std::chrono::seconds(unix_seconds)};
  return date::format("%Y-%m-%d %H:%M UTC", t);
}

Reply run(const Request&, std::string_view args, Services& services) {
  std::size_t count = limits::history_default;
  if (!args.empty()) {
    const auto n = parse_id(args);
    if (!n) return refusal("history takes a number of changes, e.g. \"history 20\".");
    count = std::min<std::size_t>(static_cast<std::size_t>(*n), limits::history_max);
  }
  const auto entries = services.curation.history(count);
  if (entries.empty()) return done("No changes yet: the catalog is as imported.");
  std::string text;
  for (const auto& e : entries) {
    text += when(e.at) + "  " + e.platform + ":" + e.user + "  " + std::string(to_string(e.action));
    const auto& link = e.after ? e.after : e.before;
    if (link) text += " " + describe(*link);
    if (e.action == AuditAction::edit && e.before && e.after && e.before->title != e.after->title)
      text += " (was \"" + e.before->title + "\")";
    if (!e.detail.empty()) text += " - " + e.detail;
    if (e.undone) text += " [undone]";
    text += "\n";
  }
  text.pop_back();
  Reply reply = done(text);
  reply.title = "Recent changes";
  reply.names_people = true;
  return reply;
}

}  // namespace

Command history() {
  return {.name = "history",
          .aliases = {"log"},
          .usage = "history [n]",
          .summary = "recent changes: who, when, what",
          .admin_only = true,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
