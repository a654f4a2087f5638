#include "bot/catalog_import.hpp"

#include <string>
#include <unordered_map>

#include "bot/tags.hpp"
#include "bot/url.hpp"

namespace whygo::catalog_import {
namespace {

// Which of a link's fields admins changed, by the audit trail's changes that are not undone.
struct AdminChanges {
  bool title = false;
  bool url = false;
  bool author = false;
  bool tags = false;
  std::vector<std::string> former_urls;  // URLs an admin changed away from
};

bool same_content(const Link& a, const Link& b) {
  return a.title == b.title && a.url == b.url && a.author == b.author && a.medium == b.medium &&
         a.section == b.section && a.subject == b.subject && a.tags == b.tags;
}

}  // namespace

Plan plan(const std::vector<Link>& existing, const std::vector<AdminEdit>& edits, const std::vector<Link>& incoming,
          const UpstreamFacts* upstream) {
  std::unordered_map<std::int64_t, AdminChanges> changes;
  for (const AdminEdit& e : edits) {
    AdminChanges& c = changes[e.link_id];
    c.title = c.title || e.before.title != e.after.title;
    c.author = c.author || e.before.author != e.after.author;
    c.tags = c.tags || tags::custom_tags(e.before) != tags::custom_tags(e.after);
    if (e.before.url != e.after.url) {
      c.url = true;
      c.former_urls.push_back(e.before.url);
    }
  }
  std::vector<bool> claimed(existing.size(), false);
  // Existing links by url, by the URLs admins changed them away from, and by url::key (the
  // same link, as `add` sees it), in table order: matching is a look-up, not a scan per link
  // (a re-import of a large catalog was quadratic).
  std::unordered_map<std::string, std::vector<std::size_t>> by_url, by_former_url, by_key;
  for (std::size_t i = 0; i < existing.size(); ++i) {
    by_url[existing[i].url].push_back(i);
    by_key[url::key(existing[i].url)].push_back(i);
    if (const auto c = changes.find(existing[i].id); c != changes.end())
      for (const auto& former : c->second.former_urls) by_former_url[former].push_back(i);
  }
  // The unclaimed link among those listed under key (with link's title, when by_title);
  // nullopt when none, or when several could be meant.
  const auto find = [&](const std::unordered_map<std::string, std::vector<std::size_t>>& index, const std::string& key,
                        const Link& link, bool by_title) -> std::optional<std::size_t> {
    std::optional<std::size_t> found;
    const auto listed = index.find(key);
    if (listed == index.end()) return found;
    for (const std::size_t i : listed->second) {
      if (claimed[i]) continue;
      if (by_title && existing[i].title != link.title) continue;
      if (!by_title && found) return std::nullopt;  // ambiguous: several links share the url
      found = i;
      if (by_title) break;
    }
    return found;
  };
  // Exact (url, title) matches first, so a renamed link is matched by url only once the links
  // that kept their title have been claimed; then the url alone, a URL an admin changed, and
  // the same link under another spelling of its URL.
  std::vector<std::optional<std::size_t>> target(incoming.size());
  for (int pass = 0; pass < 4; ++pass) {
    for (std::size_t i = 0; i < incoming.size(); ++i) {
      if (target[i]) continue;
      const Link& link = incoming[i];
      if (pass == 0) target[i] = find(by_url, link.url, link, true);
      if (pass == 1) target[i] = find(by_url, link.url, link, false);
      if (pass == 2) target[i] = find(by_former_url, link.url, link, false);
      if (pass == 3) target[i] = find(by_key, url::key(link.url), link, false);
      if (target[i]) claimed[*target[i]] = true;
    }
  }

  Plan out;
  for (std::size_t i = 0; i < incoming.size(); ++i) {
    const Link& link = incoming[i];
    if (!target[i]) {
      out.writes.push_back({i, std::nullopt, link});
      continue;
    }
    const Link& old = existing[*target[i]];
    const bool restore = upstream && upstream->removed_by_upstream.count(old.id) > 0;
    if (upstream && !restore && upstream->removed.count(old.id) > 0) {
      ++out.unchanged;  // an admin took it out: the page does not bring it back
      continue;
    }
    // What admins changed stays as they made it; an admin's link is theirs entirely.
    AdminChanges owned;
    if (const auto c = changes.find(old.id); c != changes.end()) owned = c->second;
    if (old.origin == LinkOrigin::admin) owned.title = owned.url = owned.author = owned.tags = true;
    Link merged = link;
    if (owned.title) merged.title = old.title;
    if (owned.url) merged.url = old.url;
    if (owned.author) merged.author = old.author;
    merged.tags = owned.tags ? tags::custom_tags(old) : tags::custom_tags(link);
    tags::derive(merged);
    merged.origin =
        old.origin == LinkOrigin::admin || link.origin == LinkOrigin::admin ? LinkOrigin::admin : LinkOrigin::wiki;
    if (!restore && same_content(old, merged) && old.origin == merged.origin) {
      ++out.unchanged;
      continue;
    }
    merged.id = old.id;
    out.writes.push_back({i, old.id, std::move(merged), restore});
  }
  if (!upstream) return out;
  for (std::size_t i = 0; i < existing.size(); ++i) {
    const Link& old = existing[i];
    if (claimed[i] || upstream->removed.count(old.id) > 0) continue;
    if (old.origin == LinkOrigin::wiki && changes.count(old.id) == 0)
      out.vanished.push_back(old.id);
    else
      ++out.kept;
  }
  return out;
}

std::optional<std::string> refusal(const Plan& plan, std::size_t catalog_links, double max_removed_share) {
  const std::size_t removed = plan.vanished.size();
  if (removed == 0 || static_cast<double>(removed) <= max_removed_share * static_cast<double>(catalog_links))
    return std::nullopt;
  return "it would remove " + std::to_string(removed) + " of the " + std::to_string(catalog_links) +
         " links in the catalog, more than " + std::to_string(static_cast<int>(max_removed_share * 100 + 0.5)) +
         "% at once";
}

}  // namespace whygo::catalog_import
