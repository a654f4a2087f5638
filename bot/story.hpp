// The Go story of the day: one link per calendar date, the same for everyone, every link shown
// once before any repeats, and computable in advance for any date.
#pragma once
#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"
#include "bot/reply.hpp"

namespace whygo {

// A date's story without any record of earlier days: a fixed shuffle of the catalog per
// rotation of n days. Used for dates before the recorded rotation began.
std::optional<Link> story_for(std::vector<Link> links, date::sys_days day);

// One day of the recorded rotation.
struct StoryDay {
  std::int64_t day = 0;  // days since 1970-01-01
  std::int64_t link_id = 0;
  std::int64_t cycle = 0;  // every active link is shown once per cycle
};

// Continues the rotation from the day after `last` (or from `first_day` when nothing was shown
// yet) through `through`. `shown` holds the links already shown in last's cycle; `active` the
// links in the catalog now. Links removed meanwhile are simply not in `active`; links added
// join the rest of the current cycle. Each cycle's order is a fixed shuffle of its number.
std::vector<StoryDay> continue_rotation(const std::optional<StoryDay>& last, const std::vector<std::int64_t>& shown,
                                        const std::vector<std::int64_t>& active, std::int64_t first_day,
                                        std::int64_t through);

// "27 Nov 2026"
std::string story_date_label(date::sys_days day);

class StoryBook;

// The story of `day` as a reply: "Go story of the day, 27 Nov 2026", the link, and an
// invitation to ask for more. The `story` command and the daily post both use it.
Reply story_reply(StoryBook& store, date::sys_days day, date::sys_days record_through);

struct PostClaim;

// "The Go story of the day could not be posted here on 27 Nov 2026: <why>" for a daily post that
// failed or was abandoned ("there" instead of "here" as asked); "" for one that was sent or is
// under way. The reason is the poster's, which says what to do where it can tell (invite the bot).
std::string failed_post_note(const PostClaim& claim, std::string_view where = "here");

// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<date::sys_days> parse_date(std::string_view text);

}  // namespace whygo
