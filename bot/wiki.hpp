// The Go wiki's "Why Go" page as a catalog: parse its markdown into links, and write links back
// as markdown that parses to the same catalog.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"

namespace whygo::wiki {

struct Page {
  std::vector<std::string> sections;  // sections that hold links, in page order
  std::vector<Link> links;            // in page order; tags and subject derived
};

// Reads every list item "* [title](url) [by author] [(medium) | #n | on Venue]" of every
// "# Section". Items that are not links are skipped; nothing throws on odd input.
Page parse(std::string_view markdown);

// Writes the page: a short introduction, then each section and its items.
std::string render(const std::vector<std::string>& sections, const std::vector<Link>& links);

}  // namespace whygo::wiki
