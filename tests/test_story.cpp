#include <catch2/catch.hpp>

#include <set>

#include "bot/story.hpp"

using namespace whygo;

namespace {
std::vector<Link> catalog(std::size_t n) {
  std::vector<Link> links(n);
  for (std::size_t i = 0; i < n; ++i) links[i].id = static_cast<std::int64_t>(i + 1);
  return links;
}
}  // namespace

TEST_CASE("every link is shown once before any repeats", "[story]") {
  const auto links = catalog(63);
  const date::sys_days start = *parse_date("2026-11-27");
  // Find where the rotation containing the start date begins, then walk one whole rotation.
  const auto d = start.time_since_epoch().count();
  const date::sys_days rotation_start{date::days{d - d % 63}};
  std::set<std::int64_t> shown;
  for (int i = 0; i < 63; ++i) shown.insert(story_for(links, rotation_start + date::days{i})->id);
  CHECK(shown.size() == 63);
}

TEST_CASE("the story depends only on the date and the catalog", "[story]") {
  const auto links = catalog(10);
  const auto day = *parse_date("2027-01-05");
  CHECK(story_for(links, day)->id == story_for(links, day)->id);
  auto shuffled = links;
  std::reverse(shuffled.begin(), shuffled.end());
  CHECK(story_for(shuffled, day)->id == story_for(links, day)->id);
  // Consecutive rotations are not the same order.
  std::vector<std::int64_t> first, second;
  const auto base = date::sys_days{date::days{20000}};
  for (int i = 0; i < 10; ++i) {
    first.push_back(story_for(links, base + date::days{i})->id);
    second.push_back(story_for(links, base + date::days{10 + i})->id);
  }
  CHECK(first != second);
  CHECK_FALSE(story_for({}, day).has_value());
}

TEST_CASE("dates before 1970 work too", "[story]") {
  const auto links = catalog(7);
  std::set<std::int64_t> shown;
  for (int i = 0; i < 7; ++i) shown.insert(story_for(links, date::sys_days{date::days{-7 + i}})->id);
  CHECK(shown.size() == 7);
}

TEST_CASE("dates are parsed strictly and labelled for people", "[story]") {
  CHECK(parse_date("2026-11-27").has_value());
  CHECK_FALSE(parse_date("2026-02-30").has_value());
  CHECK_FALSE(parse_date("2026-1-5").has_value());
  CHECK_FALSE(parse_date("tomorrow").has_value());
  CHECK_FALSE(parse_date("").has_value());
  CHECK(story_date_label(*parse_date("2026-11-27")) == "27 Nov 2026");
  CHECK(story_date_label(*parse_date("2027-01-05")) == "5 Jan 2027");
}
