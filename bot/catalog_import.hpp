// How an import of the wiki meets the catalog it updates, whichever store holds it: which
// incoming link is which existing one, and what admins changed that the import must keep.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "bot/link.hpp"

namespace whygo::catalog_import {

// The platform of the Actor an upstream sync (`whygo sync`) writes its audit rows as: its changes
// are the wiki's, never an admin's, so an import does not keep them as admins' changes.
inline constexpr const char* upstream_platform = "upstream";

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
  bool restore = false;  // sync: the link the upstream took out is back on the page
};

// What a sync (as opposed to an import) knows of the existing rows: which are out of the catalog,
// and which of those the upstream took out (its remove not undone).
struct UpstreamFacts {
  std::unordered_set<std::int64_t> removed;
  std::unordered_set<std::int64_t> removed_by_upstream;
};

struct Plan {
  std::vector<Write> writes;
  std::size_t unchanged = 0;
  // Sync only: links in the catalog that came from the page, are no longer on it, and that no
  // admin touched: the sync takes them out. `kept`: links missing from the page that stay,
  // because admins added or changed them.
  std::vector<std::int64_t> vanished;
  std::size_t kept = 0;
};

// Matches by (url, title), then by url alone, by a URL an admin changed away from, then by
// url::key; what admins changed (and links admins added) keep the admins' title, url, author
// and tags. `existing` are every link row, removed ones too.
// With `upstream` (a sync): a link an admin removed stays removed, one the upstream removed comes
// back when the page lists it again, and the links that vanished from the page are planned out.
Plan plan(const std::vector<Link>& existing, const std::vector<AdminEdit>& edits, const std::vector<Link>& incoming,
          const UpstreamFacts* upstream = nullptr);

// Why a sync's plan must not be applied (nullopt: it may): it would take out more than
// `max_removed_share` of the `catalog_links` links in the catalog.
std::optional<std::string> refusal(const Plan& plan, std::size_t catalog_links, double max_removed_share);

}  // namespace whygo::catalog_import
