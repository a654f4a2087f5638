#include "bot/tags.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include "bot/text.hpp"

namespace whygo::tags {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool host_is(std::string_view host, std::string_view domain) {
  return host == domain || ends_with(host, std::string(".") + std::string(domain));
}

std::string path_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const std::size_t slash = rest.find_first_of("/?#");
  return slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash));
}

// Words that follow "Why"/"How" in titles without naming a company.
bool is_pronoun_or_verb(std::string_view word) {
  static constexpr std::array<std::string_view, 12> words = {"I",      "We",  "You",  "Learn", "Go", "Use",
                                                             "Should", "Not", "Does", "Do",    "To", "My"};
  return std::find(words.begin(), words.end(), word) != words.end();
}

// "dl.google.com" -> "Google": the label before the public suffix, capitalised.
std::string company_from_host(std::string_view host) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = host.find('.', start);
    labels.emplace_back(host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels.size() < 2) return std::string(host);
  std::string name = labels[labels.size() - 2];
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

void add_unique(std::vector<std::string>& tags, std::string tag) {
  if (tag.empty() || !valid_tag(tag)) return;
  if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
}

}  // namespace

std::string host_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') {
    rest = rest.substr(0, rest.find(']') + 1);  // IPv6 literal
  } else if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    rest = rest.substr(0, colon);
  }
  std::string host = text::lower_ascii(rest);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

std::string media_kind(const Link& link) {
  const std::string host = host_of(link.url);
  const std::string path = path_of(link.url);
  const std::string medium = text::lower_ascii(link.medium);
  if (host_is(host, "youtube.com") || host_is(host, "youtu.be") || host_is(host, "vimeo.com") ||
      (host_is(host, "infoq.com") && path.rfind("/presentations", 0) == 0) || medium == "youtube" || medium == "video")
    return "video";
  if (host_is(host, "slideshare.net") || host_is(host, "speakerdeck.com") || ends_with(path, ".slide") ||
      path.rfind("/presentation", 0) == 0 || medium == "slides")
    return "slides";
  if (host_is(host, "groups.google.com") || host_is(host, "stackoverflow.com") || host_is(host, "quora.com") ||
      host_is(host, "twitter.com") || host_is(host, "x.com") || host_is(host, "plus.google.com") ||
      host_is(host, "news.ycombinator.com") || host_is(host, "reddit.com") || medium.rfind("on ", 0) == 0)
    return "discussion";
  // A conference name with a year ("dotGo 2014", "FOSDEM 2014") marks a recorded talk.
  static const std::regex talk_venue(R"(\b(19|20)\d\d\b)");
  if (std::regex_search(link.medium, talk_venue)) return "video";
  if (host_is(host, "github.com") || path.empty() || path == "/") return "site";
  return "article";
}

std::string subject_of(std::string_view title_view) {
  const std::string title(text::trim(title_view));
  // "Go at X", then optionally " (Project)", ": subtitle", ", subtitle" or " - subtitle".
  static const std::regex go_at(R"(^Go at (.+?)(?:(?: \(|: |, | - | – | — ).*)?$)");
  static const std::regex why_x(R"(^Why (\S+) (?:is|was|uses|used|chose|moved|switched|picked|loves)\b)");
  static const std::regex how_x(R"(^How (\S+) )");
  static const std::regex x_plus_go(R"(^(\S+) \+ Go\b)");
  static const std::regex is_x_using(R"(^Is (\S+) using Go\b)");
  static const std::regex served_by(
      R"(^([A-Za-z0-9.-]+\.[A-Za-z]{2,}) (?:now )?(?:served|powered|rewritten) (?:by|in) Go\b)");
  static const std::regex at_x(R"( at ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})$)");
  std::smatch m;
  if (std::regex_match(title, m, go_at)) return m[1];
  if (std::regex_search(title, m, why_x) && !is_pronoun_or_verb(m[1].str())) return m[1];
  if (std::regex_search(title, m, how_x) && !is_pronoun_or_verb(m[1].str()) &&
      std::isupper(static_cast<unsigned char>(m[1].str()[0])))
    return m[1];
  if (std::regex_search(title, m, x_plus_go)) return m[1];
  if (std::regex_search(title, m, is_x_using)) return m[1];
  if (std::regex_search(title, m, served_by)) return company_from_host(text::lower_ascii(m[1].str()));
  if (std::regex_search(title, m, at_x)) return m[1];
  return {};
}

void derive(Link& link) {
  link.subject = subject_of(link.title);
  std::vector<std::string> derived;
  add_unique(derived, tag_from(link.subject));
  // "Go at YouTube (Vitess)": the project in parentheses is a topic of its own.
  static const std::regex project(R"(^Go at .+? \((.+)\)$)");
  std::smatch m;
  const std::string title(link.title);
  if (std::regex_match(title, m, project)) add_unique(derived, tag_from(m[1].str()));
  add_unique(derived, host_of(link.url));
  add_unique(derived, media_kind(link));
  for (std::string& tag : link.tags) add_unique(derived, std::move(tag));
  link.tags = std::move(derived);
}

std::string tag_from(std::string_view name) {
  std::string out;
  for (const std::string& word : text::words(name)) {
    std::string clean;
    for (char c : word)
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) clean += c;
    if (clean.empty()) continue;
    if (!out.empty()) out += '-';
    out += clean;
  }
  return out;
}

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 64) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+';
  });
}

}  // namespace whygo::tags

namespace whygo::tags {

std::string index_extra(const Link& link) {
  std::vector<std::string> out;
  const auto add = [&out](std::string word) {
    if (!word.empty() && std::find(out.begin(), out.end(), word) == out.end()) out.push_back(std::move(word));
  };
  for (const std::string& word : text::words(link.medium)) add(word);
  for (const std::string_view field : {std::string_view(link.title), std::string_view(link.medium),
                                       std::string_view(link.subject), std::string_view(link.author)}) {
    // Camel-case parts, read from the original spelling.
    std::string current;
    const auto flush = [&] {
      const auto parts = text::camel_parts(current);
      if (parts.size() > 1)
        for (const std::string& part : parts) add(text::fold(part));
      current.clear();
    };
    for (char c : field) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        current += c;
      } else {
        flush();
      }
    }
    flush();
    // Adjacent words joined, and unaccented words where folding changed them.
    const std::vector<std::string> words = text::words(field);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) add(words[i] + words[i + 1]);
    if (text::fold(field) != text::lower_ascii(field))
      for (const std::string& word : words) add(word);
  }
  std::string joined;
  for (const std::string& word : out) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

}  // namespace whygo::tags

namespace whygo::tags {

std::vector<std::string> custom_tags(const Link& link) {
  Link bare = link;
  bare.tags.clear();
  derive(bare);
  std::vector<std::string> out;
  for (const auto& tag : link.tags)
    if (std::find(bare.tags.begin(), bare.tags.end(), tag) == bare.tags.end()) out.push_back(tag);
  return out;
}

}  // namespace whygo::tags
