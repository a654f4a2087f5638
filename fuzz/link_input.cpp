// What admins and suggesters type after "add" / "suggest": commands/curation.hpp parse_link_input
// (with and without author and tags), parse_id, parse_tags and first_word. A usable input must
// satisfy every rule the catalog enforces (url::problem, validate::title/author/tag).
#include <cstdint>

#include "bot/limits.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"
#include "commands/curation.hpp"
#include "fuzz/common.hpp"

namespace {

using namespace whygo;

void check_link_input(std::string_view args, bool allow_author_and_tags) {
  const commands::LinkInput in = commands::parse_link_input(args, allow_author_and_tags, "add https://x.org Title");
  if (in.problem) return;
  WHYGO_FUZZ_CHECK(!url::problem(in.url), args);
  WHYGO_FUZZ_CHECK(!validate::title(in.title), args);
  WHYGO_FUZZ_CHECK(!validate::author(in.author), args);
  WHYGO_FUZZ_CHECK(in.tags.size() <= limits::tags_per_link_max, args);
  for (const std::string& tag : in.tags) WHYGO_FUZZ_CHECK(!validate::tag(tag), args);
  if (!allow_author_and_tags) WHYGO_FUZZ_CHECK(in.author.empty() && in.tags.empty(), args);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::quiet();
  const std::string_view args = fuzz::as_view(data, size);
  check_link_input(args, true);
  check_link_input(args, false);
  if (const auto id = commands::parse_id(args)) WHYGO_FUZZ_CHECK(*id > 0, args);
  const commands::TagsInput typed = commands::parse_tags(args);
  if (!typed.problem)
    for (const std::string& tag : typed.tags) WHYGO_FUZZ_CHECK(!validate::tag(tag), args);
  const auto [first, rest] = commands::first_word(args);
  WHYGO_FUZZ_CHECK(first.size() + rest.size() <= args.size(), args);
  return 0;
}
