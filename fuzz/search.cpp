// The search query path: Search::find over the bundled catalog (bot/search.hpp) with arbitrary
// query text. Byte 0 picks the page (offset = (byte & 15) * 5) and the page size (1 + byte >> 4).
#include <cstdint>
#include <exception>

#include "bot/limits.hpp"
#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace whygo;
  if (size == 0) return 0;
  static fuzz::AppFixture& fixture = fuzz::AppFixture::get();
  const std::size_t offset = static_cast<std::size_t>(data[0] & 15) * limits::results_per_page;
  const std::size_t limit = 1 + (data[0] >> 4);
  const std::string_view query = fuzz::as_view(data + 1, size - 1);
  SearchResult result;
  try {
    result = fixture.app().search().find(query, offset, limit);
  } catch (const std::exception& e) {
    // The dispatcher would turn this into "Something went wrong": a query must never do that.
    fuzz::fail("Search::find threw", e.what());
  }
  WHYGO_FUZZ_CHECK(result.links.size() <= limit, query);
  WHYGO_FUZZ_CHECK(result.links.size() + offset <= result.total || result.links.empty(), query);
  return 0;
}
