// Links and catalog text from chat: bot/url.hpp (problem, key) and bot/validate.hpp
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

  const auto problem = url::problem(input);
  const std::string key = url::key(input);
  if (!problem) {
    // An accepted link is short, has no spaces or control bytes, and its key is stable.
    WHYGO_FUZZ_CHECK(input.size() <= limits::url_max_bytes, input);
    for (const char c : input) WHYGO_FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7F, input);
    WHYGO_FUZZ_CHECK(!key.empty(), input);
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
