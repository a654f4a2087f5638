// The Go wiki's "Why Go" page as a catalog: parse its markdown into links, and write links back
// as markdown that parses to the same catalog.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"

namespace whygo::wiki {

// A list item that was not imported: its line number (from 1) and why.
struct Skipped {
  std::size_t line = 0;
  std::string reason;
};

struct Page {
  std::vector<std::string> sections;  // sections that hold links, in page order
  std::vector<Link> links;            // in page order; tags and subject derived
  std::vector<Skipped> skipped;       // list items that are not links, or not links `add` would take
};

// Reads every list item "* [title](url) [by author] [(medium) | #n | on Venue] [note]" of every
// "# Section". The note, which render() writes and the wiki does not show, is
// "<!-- whygo: admin #tag ... -->": the link was added by an admin, and the tags admins gave.
// An item whose URL, title, author or tags `add` would refuse is skipped and reported, as is a
// list item that is not a link; nothing throws on odd input.
Page parse(std::string_view markdown);

// Writes the page: a short introduction, then each section and its items, each with its note
// when it has one, so that it parses back to the same catalog.
std::string render(const std::vector<std::string>& sections, const std::vector<Link>& links);

}  // namespace whygo::wiki
