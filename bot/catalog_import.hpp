// How an import of the wiki meets the catalog it updates, whichever store holds it: which
// incoming link is which existing one, and what admins changed that the import must keep.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "bot/link.hpp"

namespace whygo::catalog_import {

// One audit row that changed a link and is neither an undo nor undone, in audit order.
struct AdminEdit {
  std::int64_t link_id = 0;
  Link before;
  Link after;
};

// A write the import makes: incoming link `incoming` (its position in the page) as `link`,
// over existing link `update_id`, or new when there is none.
struct Write {
  std::size_t incoming = 0;
  std::optional<std::int64_t> update_id;
  Link link;
};

struct Plan {
  std::vector<Write> writes;
  std::size_t unchanged = 0;
};

// Matches by (url, title), then by url alone, by a URL an admin changed away from, then by
// url::key; what admins changed (and links admins added) keep the admins' title, url, author
// and tags. `existing` are every link row, removed ones too.
Plan plan(const std::vector<Link>& existing, const std::vector<AdminEdit>& edits, const std::vector<Link>& incoming);

}  // namespace whygo::catalog_import
