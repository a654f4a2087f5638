// Links and catalog text from chat: bot/url.hpp (problem, key, unwrap) and bot/validate.hpp
// (title, author, tag).
#include <cstdint>

#include "bot/limits.hpp"
#include "bot/text.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"
#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace whygo;
  fuzz::quiet();
  const std::string_view input = fuzz::as_view(data, size);

  const std::string_view unwrapped = url::unwrap(input);
  WHYGO_FUZZ_CHECK(unwrapped.size() <= input.size(), input);
  for (const std::string_view candidate : {input, unwrapped}) {
    const auto problem = url::problem(candidate);
    const std::string key = url::key(candidate);
    if (!problem) {
      // An accepted link is short, has no spaces or control bytes, and its key is stable.
      WHYGO_FUZZ_CHECK(candidate.size() <= limits::url_max_bytes, candidate);
      for (const char c : candidate) WHYGO_FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7F, candidate);
      WHYGO_FUZZ_CHECK(!key.empty(), candidate);
    }
  }

  if (!validate::title(input)) {
    WHYGO_FUZZ_CHECK(!input.empty() && text::valid_utf8(input), input);
    WHYGO_FUZZ_CHECK(text::utf8_length(input) <= limits::title_max_chars, input);
  }
  if (!validate::author(input)) {
    WHYGO_FUZZ_CHECK(text::valid_utf8(input), input);
    WHYGO_FUZZ_CHECK(text::utf8_length(input) <= limits::author_max_chars, input);
  }
  if (!validate::tag(input)) WHYGO_FUZZ_CHECK(!input.empty() && input.size() <= limits::tag_max_chars + 1, input);
  return 0;
}
