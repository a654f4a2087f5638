// One catalog entry: a link on why someone chose Go.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whygo {

// Where a link came from: the wiki page (imported) or an admin in chat (add, approve).
enum class LinkOrigin { wiki, admin };
std::string_view to_string(LinkOrigin origin);
std::optional<LinkOrigin> parse_link_origin(std::string_view text);

struct Link {
  std::int64_t id = 0;
  std::string title;
  std::string url;
  std::string author;             // "Rob Pike"; empty when the wiki names nobody
  std::string medium;             // as the wiki writes it: "YouTube", "dotGo 2014", "#1", "on StackOverflow"
  std::string section;            // "Why Go", "Benchmarks", "Conference & Meetup", ...
  std::string subject;            // the company or project the story is about ("Docker"); may be empty
  std::vector<std::string> tags;  // lower-case: subject, projects, host, kind of media
  LinkOrigin origin = LinkOrigin::wiki;
  std::int64_t added_at = 0;  // unix seconds it joined the catalog, as the store read it; 0: not read
};

}  // namespace whygo
