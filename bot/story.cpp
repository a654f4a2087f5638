#include "bot/story.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

#include "bot/limits.hpp"
#include "bot/store_roles.hpp"

namespace whygo {
namespace {

// splitmix64: a fixed, well-mixed hash, so the order of a rotation is the same on every machine.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t order_key(std::int64_t cycle, std::int64_t id) {
  return mix(static_cast<std::uint64_t>(cycle) ^ mix(static_cast<std::uint64_t>(id)));
}

std::vector<std::int64_t> cycle_order(std::int64_t cycle, std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end(), [cycle](std::int64_t a, std::int64_t b) {
    const auto ka = order_key(cycle, a), kb = order_key(cycle, b);
    return ka != kb ? ka < kb : a < b;
  });
  return ids;
}

}  // namespace

std::vector<StoryDay> continue_rotation(const std::optional<StoryDay>& last, const std::vector<std::int64_t>& shown,
                                        const std::vector<std::int64_t>& active, std::int64_t first_day,
                                        std::int64_t through) {
  std::vector<StoryDay> out;
  if (active.empty()) return out;
  std::int64_t cycle = last ? last->cycle : 0;
  std::vector<std::int64_t> remaining;
  for (const auto id : active)
    if (std::find(shown.begin(), shown.end(), id) == shown.end()) remaining.push_back(id);
  remaining = cycle_order(cycle, std::move(remaining));
  std::size_t next = 0;
  for (std::int64_t day = last ? last->day + 1 : first_day; day <= through; ++day) {
    if (next == remaining.size()) {
      ++cycle;
      remaining = cycle_order(cycle, active);
      next = 0;
    }
    out.push_back({day, remaining[next++], cycle});
  }
  return out;
}

std::optional<Link> story_for(std::vector<Link> links, date::sys_days day) {
  if (links.empty()) return std::nullopt;
  const auto n = static_cast<std::int64_t>(links.size());
  const std::int64_t d = day.time_since_epoch().count();
  // Days are cut into rotations of n days; each rotation shows every link once, in an order
  // shuffled by the rotation's number.
  const std::int64_t rotation = d >= 0 ? d / n : -((-d + n - 1) / n);
  const std::int64_t position = d - rotation * n;
  const auto seed = static_cast<std::uint64_t>(rotation);
  std::sort(links.begin(), links.end(), [seed](const Link& a, const Link& b) {
    const auto ka = mix(seed ^ mix(static_cast<std::uint64_t>(a.id)));
    const auto kb = mix(seed ^ mix(static_cast<std::uint64_t>(b.id)));
    return ka != kb ? ka < kb : a.id < b.id;
  });
  return links[static_cast<std::size_t>(position)];
}

std::string story_date_label(date::sys_days day) {
  const date::year_month_day ymd{day};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::ostringstream out;
  out << static_cast<unsigned>(ymd.day()) << ' ' << months[static_cast<unsigned>(ymd.month()) - 1] << ' '
      << static_cast<int>(ymd.year());
  return out.str();
}

Reply story_reply(StoryBook& store, date::sys_days day, date::sys_days record_through) {
  const date::sys_days last = record_through + date::days{limits::story_days_ahead};
  if (day > last)
    return Reply::failure(ErrorKind::bad_request, "I can tell the story of any date up to a year ahead, through " +
                                                      story_date_label(last) + ".");
  const auto link = store.story_of(day.time_since_epoch().count(), record_through.time_since_epoch().count());
  if (!link) return Reply::failure(ErrorKind::not_found, "The catalog is empty, so there is no story today.");
  Reply reply;
  reply.visibility = Visibility::channel;
  reply.title = "Go story of the day, " + story_date_label(day);
  reply.links = {*link};
  reply.total = 1;
  reply.note = "Want more? Ask \"/whygo <topic>\", e.g. \"/whygo docker\".";
  reply.command = "story";
  return reply;
}

std::string failed_post_note(const PostClaim& claim, std::string_view where) {
  if (claim.status != PostStatus::failed && claim.status != PostStatus::abandoned) return {};
  std::string why = claim.reason.empty() ? std::string("no reason was given") : claim.reason;
  if (why.back() != '.') why += '.';
  return "The Go story of the day could not be posted " + std::string(where) + " on " +
         story_date_label(date::sys_days{date::days{claim.local_date}}) + ": " + why;
}

std::optional<date::sys_days> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int y = std::stoi(std::string(text.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd};
}

}  // namespace whygo
