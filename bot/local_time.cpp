#include "bot/local_time.hpp"

#include <cstdio>

namespace whygo::local_time {

std::optional<int> parse_hhmm(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
  int hours = 0, minutes = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == colon) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    (i < colon ? hours : minutes) = (i < colon ? hours : minutes) * 10 + (text[i] - '0');
  }
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string format_hhmm(int minute) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minute / 60 % 24, minute % 60);
  return buffer;
}

bool load_zones() {
  try {
    return !date::get_tzdb().zones.empty();
  } catch (const std::exception&) {
    return false;
  }
}

const date::time_zone* find_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::int64_t local_day(const date::time_zone* zone, std::chrono::system_clock::time_point now) {
  const auto local = zone->to_local(date::floor<std::chrono::seconds>(now));
  return date::floor<date::days>(local).time_since_epoch().count();
}

std::chrono::sys_seconds due_instant(const date::time_zone* zone, std::int64_t local_day, int minute) {
  const date::local_seconds wanted = date::local_days{date::days{local_day}} + std::chrono::minutes(minute);
  // choose::earliest: for an ambiguous time the first occurrence; for a nonexistent one, date
  // maps it to the transition instant, the end of the gap.
  return zone->to_sys(wanted, date::choose::earliest);
}

}  // namespace whygo::local_time
