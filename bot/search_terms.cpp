#include "bot/search_terms.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "bot/tags.hpp"
#include "bot/text.hpp"

namespace whygo::search_terms {
namespace {

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Path words that say what kind of page it is, not what it is about.
bool is_boilerplate(std::string_view word) {
  static constexpr std::array<std::string_view, 33> words = {
      "post",     "posts", "p",      "blog",      "blogs",         "article", "articles", "watch", "status",
      "statuses", "d",     "msg",    "forum",     "topic",         "edit",    "doc",      "docs",  "document",
      "index",    "html",  "htm",    "php",       "asp",           "aspx",    "jsp",      "shtml", "cgi",
      "amp",      "www",   "answer", "questions", "presentations", "news"};
  return std::find(words.begin(), words.end(), word) != words.end();
}

// A token of a URL path that is an id, not a word: "BNUNbKSypE0", "4ba9e7f3e52b", "245873677483274240",
// "jLnMsUbYwrQ". Years, "5years", "k8s" and "GopherCon" are kept.
bool is_id(std::string_view token) {
  const bool digits = std::any_of(token.begin(), token.end(), is_digit);
  const bool letters =
      std::any_of(token.begin(), token.end(), [](char c) { return is_ascii_alnum(c) && !is_digit(c); });
  if (token.size() > 40) return true;
  if (digits && letters && token.size() >= 8) return true;
  if (digits && !letters && token.size() > 6) return true;
  if (token.size() >= 8) {
    // Case changing every letter or two: a random id, not camel-case words.
    const auto parts = text::camel_parts(token);
    if (parts.size() >= 4 && token.size() < 3 * parts.size()) return true;
  }
  return false;
}

std::string percent_decoded(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Tokens of a path segment in their original spelling: runs of letters and digits (and any
// non-ASCII bytes); every other character separates.
std::vector<std::string> tokens(std::string_view segment) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : segment) {
    if (is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current += c;
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// Average words per field, for the length normalisation (the bundled catalog's, rounded).
namespace average {
constexpr double title = 6, author = 2, tags = 4, url = 8, medium = 2, section = 2;
constexpr double link = 24;
}  // namespace average

class Builder {
 public:
  void run(const std::vector<std::string>& words, unsigned weight) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      add(words[i], weight);
      if (i + 1 < words.size()) term(std::string(neighbours_key) + words[i] + words[i + 1], weight);
    }
  }

  // A field of free text: its words and their neighbours joined, and camel-case parts read from
  // the original spelling ("CloudFlare" -> cloud, flare; "dotGo" -> dot, go).
  void field(std::string_view text, unsigned weight) { field(text, text::words(text), weight); }
  void field(std::string_view text, const std::vector<std::string>& words, unsigned weight) {
    run(words, weight);
    std::string current;
    const auto flush = [&] {
      const auto parts = text::camel_parts(current);
      if (parts.size() > 1)
        for (const std::string& part : parts) add(text::fold(part), weight);
      current.clear();
    };
    for (const char c : text) {
      if (is_ascii_alnum(c)) {
        current += c;
      } else {
        flush();
      }
    }
    flush();
  }

  void key(std::string_view prefix, const std::string& word) {
    if (word.empty()) return;
    std::string k(prefix);
    k += word;
    if (fits(k) && std::find(terms_.keys.begin(), terms_.keys.end(), k) == terms_.keys.end())
      terms_.keys.push_back(std::move(k));
  }

  Terms take() { return std::move(terms_); }

 private:
  void term(std::string text, unsigned weight) {
    if (fits(text)) terms_.words.push_back({std::move(text), weight});
  }

  void add(const std::string& word, unsigned weight) {
    if (!fits(word)) return;
    terms_.words.push_back({word, weight});
    // Typo correction suggests words, not numbers or scraps of two letters.
    if (word.size() >= 3 && !std::all_of(word.begin(), word.end(), is_digit) &&
        std::find(terms_.spellings.begin(), terms_.spellings.end(), word) == terms_.spellings.end())
      terms_.spellings.push_back(word);
  }

  Terms terms_;
};

}  // namespace

bool is_stop_word(std::string_view word) {
  static constexpr std::array<std::string_view, 24> words = {
      "go",  "golang", "why", "at",    "the", "a",  "an", "of",    "in", "on",  "for",  "to",
      "and", "with",   "is",  "using", "use", "we", "i",  "about", "by", "how", "what", "did"};
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w;
  return out;
}

unsigned mention(double field_weight, std::size_t field_words, double average_field_words, std::size_t link_words) {
  const auto norm = [](double b, std::size_t words, double average) {
    return 1 - b + b * static_cast<double>(words) / average;
  };
  const double frequency = field_weight * weight::unit /
                           norm(weight::field_length_effect, field_words, average_field_words) /
                           norm(weight::link_length_effect, link_words, average::link);
  return std::max(1u, static_cast<unsigned>(std::lround(frequency)));
}

UrlWords url_words(std::string_view url) {
  UrlWords out;
  const std::string host = tags::host_of(url);
  std::string_view label_rest = host;
  while (!label_rest.empty()) {
    const std::size_t dot = label_rest.find('.');
    auto words = text::words(label_rest.substr(0, dot));
    if (!words.empty()) out.host.push_back(std::move(words));
    label_rest = dot == std::string_view::npos ? std::string_view() : label_rest.substr(dot + 1);
  }
  const std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const std::size_t path_start = rest.find_first_of("/?#");
  if (path_start == std::string_view::npos || rest[path_start] != '/') return out;
  rest = rest.substr(path_start);
  rest = rest.substr(0, rest.find_first_of("?#"));
  const std::string path = percent_decoded(rest);
  std::string_view segments = path;
  while (!segments.empty()) {
    const std::size_t slash = segments.find('/');
    std::vector<std::string> run;
    for (const std::string& token : tokens(segments.substr(0, slash))) {
      const auto words = text::words(token);
      const bool kept = !words.empty() && !is_id(token) && !(words.size() == 1 && is_boilerplate(words[0]));
      if (!kept) {
        if (!run.empty()) out.segments.push_back(std::move(run));
        run.clear();
        continue;
      }
      run.insert(run.end(), words.begin(), words.end());
    }
    if (!run.empty()) out.segments.push_back(std::move(run));
    segments = slash == std::string_view::npos ? std::string_view() : segments.substr(slash + 1);
  }
  return out;
}

std::string word_rules_prefix(std::string_view word) {
  std::string out(word_rules_key);
  out += word;
  out += ':';
  return out;
}

std::string word_rules_term(std::string_view word, unsigned rules) {
  return word_rules_prefix(word) + static_cast<char>('a' + (rules & word_rule::all));
}

Terms of(const Link& link) {
  Builder b;
  const auto title = text::words(link.title);
  const auto author = text::words(link.author);
  std::size_t tag_words = 0;
  for (const std::string& tag : link.tags) tag_words += text::words(tag).size();
  const auto medium = text::words(link.medium);
  const auto section = text::words(link.section);
  const UrlWords url = url_words(link.url);
  std::size_t url_words = 0;
  for (const auto& run : url.host) url_words += run.size();
  for (const auto& run : url.segments) url_words += run.size();
  const std::size_t words = title.size() + author.size() + tag_words + medium.size() + section.size() + url_words;

  b.field(link.title, title, mention(weight::title, title.size(), average::title, words));
  b.field(link.author, author, mention(weight::author, author.size(), average::author, words));
  for (const std::string& tag : link.tags) b.field(tag, mention(weight::tags, tag_words, average::tags, words));
  b.field(link.medium, medium, mention(weight::medium, medium.size(), average::medium, words));
  b.field(link.section, section, mention(weight::section, section.size(), average::section, words));
  const unsigned url_weight = mention(weight::url, url_words, average::url, words);
  for (const auto& run : url.host) b.run(run, url_weight);
  for (const auto& run : url.segments) b.run(run, url_weight);

  std::string title_words;
  for (const std::string& word : text::words(link.title)) {
    if (!is_stop_word(word)) title_words += word;
  }
  b.key(exact_title_key, title_words);
  for (const std::string& word : author) b.key(author_key, word);
  const std::string subject = joined(text::words(link.subject));
  b.key(subject_key, subject);
  const bool own_story = link.title.rfind("Go at ", 0) == 0;
  if (own_story) b.key(own_story_key, subject);
  Terms terms = b.take();

  std::unordered_map<std::string, unsigned> frequency;  // each word's mentions added up
  for (const Word& word : terms.words)
    if (word.text.rfind(neighbours_key, 0) != 0) frequency[word.text] += word.weight;
  for (const auto& entry : frequency) {
    const std::string& word = entry.first;
    // The rules as the keys above hold them (a key too long for the index holds none).
    const auto keyed = [&](std::string_view prefix) { return prefix.size() + word.size() <= max_term_bytes; };
    unsigned rules = 0;
    if (word == subject && keyed(subject_key)) rules |= word_rule::subject;
    if (word == subject && own_story && keyed(own_story_key)) rules |= word_rule::own_story;
    if (std::find(author.begin(), author.end(), word) != author.end() && keyed(author_key)) rules |= word_rule::person;
    if (word == title_words && keyed(exact_title_key)) rules |= word_rule::exact_title;
    std::string term = word_rules_term(word, rules);
    if (fits(term)) terms.words.push_back({std::move(term), entry.second});
  }
  return terms;
}

}  // namespace whygo::search_terms
