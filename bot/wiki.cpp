#include "bot/wiki.hpp"

#include <algorithm>
#include <sstream>

#include "bot/tags.hpp"
#include "bot/text.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"

namespace whygo::wiki {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "[title](url)" at the start of s: fills title and url, returns what follows, or npos.
std::size_t parse_link(std::string_view s, std::string& title, std::string& url) {
  if (s.empty() || s[0] != '[') return std::string_view::npos;
  std::size_t i = 1;
  int depth = 0;
  title.clear();
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '[' || s[i + 1] == ']' || s[i + 1] == '\\')) {
      title += s[++i];
    } else if (c == '[') {
      ++depth;
      title += c;
    } else if (c == ']') {
      if (depth == 0) break;
      --depth;
      title += c;
    } else {
      title += c;
    }
  }
  if (i + 1 >= s.size() || s[i + 1] != '(') return std::string_view::npos;
  i += 2;
  depth = 0;
  url.clear();
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(') ++depth;
    if (c == ')') {
      if (depth == 0) break;
      --depth;
    }
    url += c;
  }
  if (i >= s.size()) return std::string_view::npos;
  title = std::string(text::trim(title));
  url = std::string(text::trim(url));
  return i + 1;
}

// What follows the link: "by Rob Pike (YouTube)", "by Matt Robenolt #1", "on StackOverflow".
void parse_tail(std::string_view tail, Link& link) {
  tail = text::trim(tail);
  if (tail.empty()) return;
  if (starts_with(tail, "on ")) {
    link.medium = std::string(tail);
    return;
  }
  std::string_view rest = tail;
  const bool has_author = starts_with(rest, "by ");
  if (has_author) rest = text::trim(rest.substr(3));
  std::string_view medium;
  if (!rest.empty() && rest.back() == ')') {
    const std::size_t open = rest.rfind('(');
    if (open != std::string_view::npos && (open == 0 || rest[open - 1] == ' ')) {
      medium = text::trim(rest.substr(open + 1, rest.size() - open - 2));
      rest = text::trim(rest.substr(0, open));
    }
  } else if (const std::size_t hash = rest.rfind(" #"); hash != std::string_view::npos || starts_with(rest, "#")) {
    const std::size_t at = hash == std::string_view::npos ? 0 : hash + 1;
    if (rest.find(' ', at) == std::string_view::npos) {
      medium = rest.substr(at);
      rest = text::trim(rest.substr(0, at));
    }
  }
  if (has_author) {
    link.author = std::string(rest);
  } else if (!rest.empty()) {
    // Unknown trailing words: keep them as the medium so nothing from the page is lost.
    link.medium = std::string(tail);
    return;
  }
  link.medium = std::string(medium);
}

constexpr std::string_view note_open = "<!-- whygo:";
constexpr std::string_view note_close = "-->";

// Takes the note off the end of what follows the link into link; false when it is malformed.
bool take_note(std::string_view& tail, Link& link) {
  const std::string_view trimmed = text::trim(tail);
  const std::size_t open = trimmed.rfind(note_open);
  if (open == std::string_view::npos || trimmed.size() < note_close.size() ||
      trimmed.substr(trimmed.size() - note_close.size()) != note_close)
    return true;
  std::string_view words = trimmed.substr(open + note_open.size());
  words.remove_suffix(note_close.size());
  tail = trimmed.substr(0, open);
  std::istringstream in{std::string(words)};
  for (std::string word; in >> word;) {
    if (word == "admin") {
      link.origin = LinkOrigin::admin;
    } else if (word.size() > 1 && word[0] == '#' && !validate::tag(word)) {
      link.tags.push_back(word.substr(1));
    } else {
      return false;
    }
  }
  return true;
}

std::string escape_title(std::string_view title) {
  std::string out;
  for (char c : title) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string escape_url(std::string_view url) {
  // Parentheses and spaces would end the markdown link early.
  std::string out;
  int depth = 0;
  for (char c : url) {
    if (c == ' ') {
      out += "%20";
    } else if (c == '(') {
      ++depth;
      out += c;
    } else if (c == ')') {
      if (depth == 0) {
        out += "%29";
      } else {
        --depth;
        out += c;
      }
    } else {
      out += c;
    }
  }
  if (depth > 0) {
    // Unbalanced opening parenthesis: encode them all.
    std::string fixed;
    for (char c : out) fixed += c == '(' ? std::string("%28") : std::string(1, c);
    return fixed;
  }
  return out;
}

}  // namespace

Page parse(std::string_view markdown) {
  Page page;
  std::string section;
  std::istringstream in{std::string(markdown)};
  std::string raw;
  std::size_t line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    std::string_view line = text::trim(raw);
    if (starts_with(line, "#") && !starts_with(line, "#!")) {
      const std::size_t hashes = line.find_first_not_of('#');
      if (hashes != std::string_view::npos && line[hashes] == ' ') {
        section = std::string(text::trim(line.substr(hashes)));
        continue;
      }
    }
    if (!(starts_with(line, "* ") || starts_with(line, "- ") || starts_with(line, "+ "))) continue;
    line = text::trim(line.substr(2));
    const auto skip = [&page, line_number](std::string reason) {
      page.skipped.push_back({line_number, std::move(reason)});
    };
    Link link;
    const std::size_t end = parse_link(line, link.title, link.url);
    if (end == std::string_view::npos || link.title.empty() || link.url.empty()) {
      skip("not a link item (\"* [title](url) by author\")");
      continue;
    }
    std::string_view tail = line.substr(end);
    if (!take_note(tail, link)) {
      skip("the whygo note is not \"<!-- whygo: admin #tag ... -->\"");
      continue;
    }
    parse_tail(tail, link);
    // What `add` refuses, import refuses too.
    if (auto problem = url::problem(link.url)) {
      skip(problem->text);
      continue;
    }
    if (auto problem = validate::title(link.title)) {
      skip(problem->text);
      continue;
    }
    if (auto problem = validate::author(link.author)) {
      skip(problem->text);
      continue;
    }
    link.section = section.empty() ? "Why Go" : section;
    tags::derive(link);
    if (std::find(page.sections.begin(), page.sections.end(), link.section) == page.sections.end())
      page.sections.push_back(link.section);
    page.links.push_back(std::move(link));
  }
  return page;
}

std::string render(const std::vector<std::string>& sections, const std::vector<Link>& links) {
  std::ostringstream out;
  out << "# Introduction\n\n"
         "Here's why: a list of people/organizations tell why they use Go.\n\n"
         "This is partly redundant with [[GoUsers]]\n\n";
  std::vector<std::string> order = sections;
  for (const Link& link : links)
    if (std::find(order.begin(), order.end(), link.section) == order.end()) order.push_back(link.section);
  for (const std::string& section : order) {
    bool header = false;
    for (const Link& link : links) {
      if (link.section != section) continue;
      if (!header) {
        out << "\n# " << section << "\n\n";
        header = true;
      }
      out << "  * [" << escape_title(link.title) << "](" << escape_url(link.url) << ")";
      if (!link.author.empty()) out << " by " << link.author;
      if (!link.medium.empty()) {
        if (link.medium[0] == '#' || starts_with(link.medium, "on "))
          out << " " << link.medium;
        else
          out << " (" << link.medium << ")";
      }
      // What the wiki cannot say: who added it, and the tags admins gave.
      const std::vector<std::string> custom = tags::custom_tags(link);
      if (link.origin == LinkOrigin::admin || !custom.empty()) {
        out << " " << note_open;
        if (link.origin == LinkOrigin::admin) out << " admin";
        for (const std::string& tag : custom) out << " #" << tag;
        out << " " << note_close;
      }
      out << "\n";
    }
    if (header) out << "\n";
  }
  return out.str();
}

}  // namespace whygo::wiki
