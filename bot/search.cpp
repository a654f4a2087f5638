#include "search.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "limits.hpp"
#include "text.hpp"

namespace whygo {

// The catalog's words, cached until the catalog changes (catalog_version moves with every write,
// from any process).
struct Search::Vocabulary {
  std::int64_t version = -1;
  std::unordered_set<std::string> words;
  std::vector<Term> sorted;  // by text, for prefix look-ups
};

namespace {

// Words that say nothing about which link is wanted; dropped when the query has other words.
bool is_stop_word(std::string_view word) {
  static constexpr std::array<std::string_view, 24> words = {
      "go",  "golang", "why", "at",    "the", "a",  "an", "of",    "in", "on",  "for",  "to",
      "and", "with",   "is",  "using", "use", "we", "i",  "about", "by", "how", "what", "did"};
  return std::find(words.begin(), words.end(), word) != words.end();
}

// One thing the query asks for, with the spellings that count as it.
struct Group {
  std::vector<Phrase> choices;
  std::vector<bool> prefix;  // per choice: match as a prefix ("dock" -> docker)
  std::string shown;         // how the reply names it
  bool stop = false;
};

std::string quote(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string fts_choice(const Phrase& phrase, bool prefix) {
  std::string joined;
  for (const auto& word : phrase) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return quote(joined) + (prefix ? "*" : "");
}

std::string fts_group(const Group& group) {
  std::string out;
  for (std::size_t i = 0; i < group.choices.size(); ++i) {
    if (!out.empty()) out += " OR ";
    out += fts_choice(group.choices[i], group.prefix[i]);
  }
  return group.choices.size() > 1 ? "(" + out + ")" : out;
}

bool contains_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool contains_all(const std::vector<std::string>& haystack, const std::vector<std::string>& needles) {
  return !needles.empty() &&
         std::all_of(needles.begin(), needles.end(), [&](const auto& w) { return contains_word(haystack, w); });
}

}  // namespace

Search::Search(Store& store, Synonyms synonyms) : store_(store), synonyms_(std::move(synonyms)) {}

std::shared_ptr<const Search::Vocabulary> Search::vocabulary() {
  const std::int64_t version = store_.catalog_version();
  {
    std::lock_guard lock(mutex_);
    if (vocabulary_ && vocabulary_->version == version) return vocabulary_;
  }
  auto fresh = std::make_shared<Vocabulary>();
  fresh->version = version;
  fresh->sorted = store_.vocabulary();
  std::sort(fresh->sorted.begin(), fresh->sorted.end(), [](const Term& a, const Term& b) { return a.text < b.text; });
  for (const auto& term : fresh->sorted) fresh->words.insert(term.text);
  std::lock_guard lock(mutex_);
  vocabulary_ = fresh;
  return fresh;
}

SearchResult Search::find(std::string_view query, std::size_t offset, std::size_t limit) {
  SearchResult result;
  result.offset = offset;
  auto words = text::words(text::utf8_prefix(query, limits::query_max_bytes));
  if (words.size() > limits::query_max_words) words.resize(limits::query_max_words);
  if (words.empty()) return result;
  const auto vocab = vocabulary();

  const auto has_prefix = [&](const std::string& word) {
    const auto it = std::lower_bound(vocab->sorted.begin(), vocab->sorted.end(), word,
                                     [](const Term& t, const std::string& w) { return t.text < w; });
    return it != vocab->sorted.end() && it->text.compare(0, word.size(), word) == 0;
  };
  const auto correct = [&](const std::string& word) -> std::string {
    if (word.size() < limits::typo_min_length) return {};
    const std::size_t allowed = word.size() >= limits::typo_two_edits_length ? 2 : 1;
    std::string best;
    std::size_t best_distance = allowed + 1;
    std::int64_t best_links = -1;
    for (const auto& term : vocab->sorted) {
      const std::size_t d = text::edit_distance(word, term.text, allowed);
      if (d < best_distance || (d == best_distance && term.links > best_links)) {
        best = term.text;
        best_distance = d;
        best_links = term.links;
      }
    }
    return best_distance <= allowed ? best : std::string();
  };

  // Read the words into groups: synonyms first (longest key wins), then words the catalog joins
  // ("dot go" -> dotgo), then single words, corrected when the catalog has no such word.
  std::vector<Group> groups;
  for (std::size_t i = 0; i < words.size();) {
    Group group;
    const auto [covered, choices] = synonyms_.lookup(words, i);
    if (covered > 0) {
      Phrase typed(words.begin() + static_cast<std::ptrdiff_t>(i),
                   words.begin() + static_cast<std::ptrdiff_t>(i + covered));
      if (std::all_of(typed.begin(), typed.end(), [&](const auto& w) { return vocab->words.count(w) > 0; })) {
        group.choices.push_back(typed);
        group.prefix.push_back(false);
      }
      for (const auto& choice : *choices) {
        group.choices.push_back(choice);
        group.prefix.push_back(false);
      }
      for (const auto& w : typed) group.shown += (group.shown.empty() ? "" : " ") + w;
      std::string meant;
      for (const auto& choice : *choices) {
        meant += meant.empty() ? " (" : ", ";
        for (std::size_t k = 0; k < choice.size(); ++k) meant += (k ? " " : "") + choice[k];
      }
      group.shown += meant + ")";
      groups.push_back(std::move(group));
      i += covered;
      continue;
    }
    const std::string& word = words[i];
    if (i + 1 < words.size() && vocab->words.count(word + words[i + 1]) > 0) {
      group.choices = {Phrase{word + words[i + 1]}, Phrase{word, words[i + 1]}};
      group.prefix = {false, false};
      group.shown = word + " " + words[i + 1];
      groups.push_back(std::move(group));
      i += 2;
      continue;
    }
    group.shown = word;
    group.stop = is_stop_word(word);
    if (vocab->words.count(word) > 0) {
      group.choices = {Phrase{word}};
      group.prefix = {false};
    } else if (word.size() >= 2 && has_prefix(word)) {
      group.choices = {Phrase{word}};
      group.prefix = {true};
    } else if (const std::string meant = correct(word); !meant.empty()) {
      result.corrections.push_back({word, meant});
      group.choices = {Phrase{meant}};
      group.prefix = {false};
      group.shown = meant;
    } else if (!group.stop) {
      result.ignored.push_back(word);
    }
    if (!group.choices.empty()) groups.push_back(std::move(group));
    ++i;
  }
  // Stop words only count when the query has nothing else ("why go").
  if (std::any_of(groups.begin(), groups.end(), [](const Group& g) { return !g.stop; }))
    groups.erase(std::remove_if(groups.begin(), groups.end(), [](const Group& g) { return g.stop; }), groups.end());
  if (groups.empty()) return result;
  for (const auto& group : groups) result.searched_for += (result.searched_for.empty() ? "" : " ") + group.shown;

  std::string all;
  for (const auto& group : groups) all += (all.empty() ? "" : " AND ") + fts_group(group);
  std::vector<Match> matches = store_.match(all, limits::search_candidates);
  if (matches.empty() && groups.size() > 1) {
    std::string any;
    for (const auto& group : groups) any += (any.empty() ? "" : " OR ") + fts_group(group);
    matches = store_.match(any, limits::search_candidates);
    result.partial = !matches.empty();
  }

  // Ranking rules on top of bm25.
  std::vector<std::string> asked;  // the words of the first choice of every group
  for (const auto& group : groups)
    for (const auto& w : group.choices.front()) asked.push_back(w);
  std::string asked_joined;
  for (const auto& w : asked) asked_joined += w;
  std::vector<std::pair<double, std::size_t>> scored;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const Link& link = matches[i].link;
    double score = -matches[i].bm25;
    std::string subject_joined;
    for (const auto& w : text::words(link.subject)) subject_joined += w;
    const bool own_story = link.title.rfind("Go at ", 0) == 0;
    if (!subject_joined.empty() && subject_joined == asked_joined) {
      score += own_story ? 100 : 60;  // the company's own story first
    } else if (!subject_joined.empty() && std::any_of(groups.begin(), groups.end(), [&](const Group& g) {
                 return std::any_of(g.choices.begin(), g.choices.end(), [&](const Phrase& p) {
                   std::string joined;
                   for (const auto& w : p) joined += w;
                   return joined == subject_joined;
                 });
               })) {
      score += own_story ? 80 : 50;  // the subject under another spelling, or with more words
    }
    const auto author_words = text::words(link.author);
    if (contains_all(author_words, asked)) score += 40;  // a person by full or last name
    if (contains_all(text::words(link.title), asked)) score += 5;
    scored.emplace_back(score, i);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  result.total = scored.size();
  for (std::size_t k = offset; k < scored.size() && result.links.size() < limit; ++k)
    result.links.push_back(matches[scored[k].second].link);
  return result;
}

}  // namespace whygo
