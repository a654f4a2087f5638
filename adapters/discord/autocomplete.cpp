#include "adapters/discord/autocomplete.hpp"

#include <spdlog/spdlog.h>

#include <set>
#include <string>
#include <vector>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "bot/limits.hpp"
#include "bot/search.hpp"
#include "bot/text.hpp"

namespace whygo::discord {
namespace {

using nlohmann::json;
namespace dl = limits::discord;

struct Suggestions {
  json choices = json::array();
  std::set<std::string> seen;  // folded names, so "Docker" comes once

  bool full() const { return choices.size() >= dl::autocomplete_choices_max; }

  void add(std::string_view name, std::string_view value) {
    if (full()) return;
    // The dropdown is plain text: no markdown to escape, but control characters go.
    std::string clean_name = clip(text::trim(name), dl::choice_name_max_chars);
    for (char& c : clean_name)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    const std::string clean_value = clip(text::trim(value), dl::choice_value_max_chars);
    if (text::trim(clean_name).empty() || clean_value.empty()) return;
    if (!seen.insert(text::fold(clean_name)).second) return;
    choices.push_back({{"name", clean_name}, {"value", clean_value}});
  }
};

// True when a word of `name` starts with one of the typed words ("dock" -> "Docker").
bool mentions(std::string_view name, const std::vector<std::string>& typed_words) {
  for (const std::string& word : text::words(name))
    for (const std::string& typed : typed_words)
      if (word.rfind(typed, 0) == 0) return true;
  return false;
}

}  // namespace

json autocomplete_choices(const SearchFunction& search, std::string_view typed) {
  Suggestions out;
  const std::string_view query = text::trim(text::utf8_prefix(typed, limits::query_max_bytes));
  if (query.empty()) {
    out.add("docker (a company, a person or a topic)", "docker");
    out.add("random: a link picked at random", "random");
    out.add("story: the Go story of the day", "story");
    out.add("sections: browse the catalog", "sections");
    out.add("help", "help");
    return out.choices;
  }
  try {
    const SearchResult found = search(query, dl::autocomplete_choices_max);
    const std::vector<std::string> typed_words = text::words(query);
    for (const Link& link : found.links)
      if (!link.subject.empty() && mentions(link.subject, typed_words)) out.add(link.subject, link.subject);
    for (const Link& link : found.links)
      if (!link.author.empty() && mentions(link.author, typed_words)) out.add(link.author, link.author);
    for (const Link& link : found.links) out.add(link.title, link.title);
  } catch (const std::exception& e) {
    spdlog::warn("discord autocomplete: search failed: {}", e.what());
    return json::array();
  }
  return out.choices;
}

}  // namespace whygo::discord
