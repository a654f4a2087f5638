#include "bot/synonyms.hpp"

#include <sstream>

#include "bot/text.hpp"

namespace whygo {
namespace {
constexpr std::size_t longest_key_words = 3;

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t i = from; i < from + count; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}
}  // namespace

Synonyms Synonyms::parse(std::string_view content) {
  Synonyms result;
  std::istringstream in{std::string(content)};
  std::string raw;
  std::size_t line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    const std::string_view line = text::trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::size_t eq = line.find('=');
    const auto key_words = text::words(line.substr(0, eq == std::string_view::npos ? 0 : eq));
    if (eq == std::string_view::npos || key_words.empty() || key_words.size() > longest_key_words) {
      result.errors_.push_back("line " + std::to_string(line_number) + ": expected 'word = other spelling'");
      continue;
    }
    std::vector<Phrase> choices;
    std::string_view rest = line.substr(eq + 1);
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      auto phrase = text::words(rest.substr(0, comma));
      if (!phrase.empty()) choices.push_back(std::move(phrase));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (choices.empty()) {
      result.errors_.push_back("line " + std::to_string(line_number) + ": nothing after '='");
      continue;
    }
    auto& entry = result.entries_[join(key_words, 0, key_words.size())];
    entry.insert(entry.end(), choices.begin(), choices.end());
  }
  return result;
}

std::pair<std::size_t, const std::vector<Phrase>*> Synonyms::lookup(const std::vector<std::string>& words,
                                                                    std::size_t at) const {
  for (std::size_t n = std::min(longest_key_words, words.size() - at); n > 0; --n) {
    const auto it = entries_.find(join(words, at, n));
    if (it != entries_.end()) return {n, &it->second};
  }
  return {0, nullptr};
}

}  // namespace whygo
