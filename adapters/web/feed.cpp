#include "adapters/web/feed.hpp"

#include "adapters/web/pages.hpp"
#include "bot/story.hpp"
#include "bot/text.hpp"

namespace whygo::web {
namespace {

// XML 1.0 allows no control characters but tab and line breaks; the rest is escaped as in HTML
// (&#39; is XML too).
std::string xml(std::string_view s) {
  std::string kept;
  kept.reserve(s.size());
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') kept += c;
  return text::escape_html(kept);
}

// The host of the public URL: "https://whygo.example.org:8443/x" -> "whygo.example.org".
std::string authority(const std::string& public_url) {
  std::string host = public_url.substr(public_url.find("://") == std::string::npos ? 0 : public_url.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/?#"));
  return host.empty() ? "whygo" : text::lower_ascii(host);
}

std::string timestamp(date::sys_days day) {
  return iso_date(day) + "T00:00:00Z";
}

}  // namespace

std::string entry_id(const std::string& public_url, date::sys_days day) {
  // The tag's date says when the authority was the service's; fixed, so ids never move.
  return "tag:" + authority(public_url) + ",2026:story/" + iso_date(day);
}

std::string atom_feed(const std::string& public_url, const std::vector<FeedDay>& days) {
  const std::string base = xml(public_url);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "<id>tag:" +
      xml(authority(public_url)) +
      ",2026:story</id>\n<title>whygo: the Go story of the day</title>\n"
      "<subtitle>Every day one link on why a team chose Go, from the whygo catalog.</subtitle>\n";
  if (!days.empty()) out += "<updated>" + timestamp(days.front().day) + "</updated>\n";
  out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + base + "/feed.atom\"/>\n";
  out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + base + "/story\"/>\n";
  out += "<author><name>whygo</name></author>\n";
  for (const FeedDay& d : days) {
    const Link& link = d.link;
    std::string summary = "Go story of the day, " + story_date_label(d.day) + ": " + link.title;
    if (!link.author.empty()) summary += ", by " + link.author;
    if (!link.medium.empty()) summary += " (" + link.medium + ")";
    out += "<entry>\n<id>" + xml(entry_id(public_url, d.day)) + "</id>\n<title>" + xml(link.title) +
           "</title>\n<updated>" + timestamp(d.day) + "</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"" +
           xml(link.url) + "\"/>\n<link rel=\"related\" type=\"text/html\" href=\"" + base + "/story/" +
           iso_date(d.day) + "\"/>\n";
    if (!link.author.empty()) out += "<author><name>" + xml(link.author) + "</name></author>\n";
    out += "<category term=\"" + xml(link.section) + "\"/>\n<summary>" + xml(summary) + ".</summary>\n</entry>\n";
  }
  return out + "</feed>\n";
}

}  // namespace whygo::web
