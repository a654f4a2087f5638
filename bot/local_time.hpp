// Local times of day in IANA time zones (Howard Hinnant's date/tz over the system tzdata),
// for the daily post.
#pragma once
#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace whygo::local_time {

// "09:00" -> 540; nullopt unless HH:MM with HH 0-23 (one digit allowed) and MM 00-59.
std::optional<int> parse_hhmm(std::string_view text);
std::string format_hhmm(int minute);

// Reads the list of IANA zones now (about 2 ms), on the calling thread, rather than on the first
// subscription check or `subscribe`, which may run on several threads at once: libdate-tz loads
// it safely, but uninstrumented, so ThreadSanitizer cannot see that. False if it cannot be read.
bool load_zones();

// The zone for an IANA name ("Europe/Paris", "UTC"); nullptr when unknown.
const date::time_zone* find_zone(std::string_view name);

// The date (days since 1970-01-01) it is in zone at instant now.
std::int64_t local_day(const date::time_zone* zone, std::chrono::system_clock::time_point now);

// When minute-of-day on local day happens: a time skipped by a DST change posts at the end of
// the gap (02:30 -> 03:00 on a spring-forward day); a time that occurs twice posts at the first.
std::chrono::sys_seconds due_instant(const date::time_zone* zone, std::int64_t local_day, int minute);

}  // namespace whygo::local_time
