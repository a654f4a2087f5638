// "story [YYYY-MM-DD]": the Go story of the day, the same for everyone on a UTC date. The daily
// post uses the same story_for(), so the command tells what the channels get.
#include "bot/story.hpp"
#include "bot/clock.hpp"
#include "bot/store_roles.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view args, Services& services) {
  date::sys_days day = date::floor<date::days>(services.clock.now());  // UTC date
  if (!args.empty()) {
    const auto parsed = parse_date(args);
    if (!parsed)
      return Reply::failure(ErrorKind::bad_request,
                            "\"" + std::string(args) + "\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27.");
    day = *parsed;
  }
  const date::sys_days today = date::floor<date::days>(services.clock.now());
  return story_reply(services.stories, day, today);
}

}  // namespace

Command story() {
  return {.name = "story",
          .aliases = {"today"},
          .usage = "story [YYYY-MM-DD]",
          .summary = "the Go story of the day (or of another date)",
          .admin_only = false,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
