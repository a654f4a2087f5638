// The wiki importer (bot/wiki.hpp): parse arbitrary markdown, render what was read back to
// markdown and parse that again. Neither step may crash. With WHYGO_FUZZ_STRICT_ROUNDTRIP=1 the
// round trip must also keep every link's title and URL (what `whygo export` promises for the
// catalog), checked for pages whose links all pass url::problem and validate::title (what chat
// could add; the importer now skips the others and reports them); opt-in.
#include <cstdint>
#include <cstdlib>

#include "bot/limits.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"
#include "bot/wiki.hpp"
#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace whygo;
  fuzz::quiet();
  static const bool strict = [] {
    const char* v = std::getenv("WHYGO_FUZZ_STRICT_ROUNDTRIP");
    return v && *v && *v != '0';
  }();
  const std::string_view markdown = fuzz::as_view(data, size);
  if (markdown.size() > limits::wiki_max_bytes) return 0;
  const wiki::Page page = wiki::parse(markdown);
  for (const Link& link : page.links) WHYGO_FUZZ_CHECK(!link.title.empty() && !link.url.empty(), markdown);
  const std::string rendered = wiki::render(page.sections, page.links);
  const wiki::Page again = wiki::parse(rendered);
  bool valid = true;
  for (const Link& link : page.links) valid = valid && !url::problem(link.url) && !validate::title(link.title);
  if (strict && valid) {
    WHYGO_FUZZ_CHECK(again.links.size() == page.links.size(), rendered);
    for (std::size_t i = 0; i < page.links.size(); ++i) {
      WHYGO_FUZZ_CHECK(again.links[i].title == page.links[i].title, rendered);
      WHYGO_FUZZ_CHECK(again.links[i].url == page.links[i].url, rendered);
    }
  }
  return 0;
}
