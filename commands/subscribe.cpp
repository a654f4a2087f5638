// "subscribe [HH:MM] [Area/City]": this channel gets the Go story of the day at that local time
// (09:00 UTC unless told otherwise). Subscribing again changes the time.
#include <date/tz.h>

#include "bot/clock.hpp"
#include "bot/local_time.hpp"
#include "bot/story.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

constexpr int default_minute = 9 * 60;

Reply run(const Request& request, std::string_view args, Services& services) {
  if (!request.receives_posts)
    return refusal("Subscribing needs a channel the story can be posted to, and " + request.platform +
                   " only answers: nothing would ever arrive. Send \"subscribe\" from the chat channel that "
                   "should get the Go story of the day.");
  int minute = default_minute;
  std::string zone_name = "UTC";
  std::string_view rest = args;
  while (!rest.empty()) {
    const auto [word, more] = first_word(rest);
    rest = more;
    if (word.find(':') != std::string_view::npos) {
      const auto parsed = local_time::parse_hhmm(word);
      if (!parsed)
        return refusal("\"" + std::string(word) +
                       "\" is not a time of day; write it as HH:MM (24-hour), e.g. "
                       "\"subscribe 08:30 Europe/Paris\".");
      minute = *parsed;
    } else {
      zone_name = std::string(word);
    }
  }
  const date::time_zone* zone = local_time::find_zone(zone_name);
  if (!zone)
    return refusal("\"" + zone_name +
                   "\" is not a time zone I know; use an IANA name such as Europe/Paris, "
                   "America/New_York or UTC, e.g. \"subscribe 08:30 Europe/Paris\".");
  if (request.channel.empty()) return refusal("Subscribe from the channel that should get the story.");
  if (!request.cannot_post.empty())
    return refusal("I cannot post the daily story in this channel: " + request.cannot_post);
  Subscription s;
  s.platform = request.platform;
  s.channel = request.channel;
  s.tenant = request.tenant;
  s.minute = minute;
  s.zone = std::string(zone->name());
  s.created_by = request.user;
  s.created_at = actor_of(request, services).at;
  const bool is_new = services.subscriptions.subscribe(s);

  // Tell when the first post comes: today if its time is still ahead, else tomorrow.
  const auto now = services.clock.now();
  std::int64_t day = local_time::local_day(zone, now);
  if (local_time::due_instant(zone, day, minute) < now) ++day;
  const auto first = date::make_zoned(zone, local_time::due_instant(zone, day, minute));
  return done(std::string(is_new ? "Subscribed" : "Changed") + ": this channel gets the Go story of the day at " +
              local_time::format_hhmm(minute) + " " + s.zone + ". The first comes " +
              story_date_label(date::sys_days{date::days{day}}) + " at " + date::format("%H:%M %Z", first) + "." +
              (request.posting_advice.empty() ? std::string() : " " + request.posting_advice));
}

}  // namespace

Command subscribe() {
  return {.name = "subscribe",
          .aliases = {},
          .usage = "subscribe [HH:MM] [Area/City]",
          .summary = "this channel gets the Go story of the day (default 09:00 UTC)",
          .admin_only = true,
          .channel_scope = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
