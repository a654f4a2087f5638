// Derives what a link is about from its title, URL and medium: the subject (company or project),
// topic tags, the host, and the kind of media. The importer and admin additions both use it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"

namespace whygo::tags {

// "www.youtube.com" for "https://www.youtube.com/watch?v=x" -> "youtube.com"; lower-case, no port.
std::string host_of(std::string_view url);

// "video", "slides", "article", "discussion" or "site".
std::string media_kind(const Link& link);

// The company or project in titles like "Go at Docker", "Go at YouTube (Vitess)",
// "Why InfluxDB is written in Go", "How Continuum ended up ...", "Kubernetes + Go = ...".
std::string subject_of(std::string_view title);

// Fills link.subject and link.tags (keeping tags an admin added).
void derive(Link& link);

// A tag is lower-case letters, digits, '.', '-' and '+'; this spells a name that way
// ("New York Times" -> "new-york-times"). Empty when nothing is left.
std::string tag_from(std::string_view name);
bool valid_tag(std::string_view tag);

}  // namespace whygo::tags

namespace whygo::tags {
// Extra words for the full-text index: the medium, camel-case parts ("CloudFlare" -> "Cloud
// Flare"), adjacent words joined ("Space Monkey" -> "spacemonkey") and unaccented spellings, so
// "cloud flare", "spacemonkey" and "lutke" all find their link.
std::string index_extra(const Link& link);
}  // namespace whygo::tags

namespace whygo::tags {
// The tags an admin gave, i.e. those derive() would not produce from the title, URL and medium.
std::vector<std::string> custom_tags(const Link& link);
}  // namespace whygo::tags
