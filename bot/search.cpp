#include "bot/search.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "bot/limits.hpp"
#include "bot/text.hpp"
#include "bot/typo.hpp"

namespace whygo {

// What search reads of the catalog besides FTS5, kept until the catalog changes
// (catalog_version moves with every write, from any process).
struct Search::Catalog {
  std::int64_t version = -1;
  std::vector<Term> sorted;  // by text: whole words, prefixes and typos are looked up here
  // What the ranking rules compare, per link: words joined ("cloudflare"), or spaced with a
  // space at both ends (" rob pike ") so a whole word is found with one scan.
  struct Names {
    std::int64_t id = 0;
    std::string subject_joined;
    std::string title_words;
    std::string author_words;
    bool own_story = false;
  };
  std::vector<Names> names;  // by id

  std::vector<Term>::const_iterator first_not_before(std::string_view word) const {
    return std::lower_bound(sorted.begin(), sorted.end(), word,
                            [](const Term& t, std::string_view w) { return t.text < w; });
  }
  bool is_term(std::string_view word) const {
    const auto it = first_not_before(word);
    return it != sorted.end() && it->text == word;
  }
  bool starts_a_term(std::string_view word) const {
    const auto it = first_not_before(word);
    return it != sorted.end() && it->text.starts_with(word);
  }

  const Names* names_of(std::int64_t id) const {
    const auto it =
        std::lower_bound(names.begin(), names.end(), id, [](const Names& n, std::int64_t i) { return n.id < i; });
    return it != names.end() && it->id == id ? &*it : nullptr;
  }
};

// What a query found, before paging.
struct Search::Ranking {
  std::vector<std::int64_t> ids;  // best first
  std::vector<Link> first_page;   // the links of the first ids, read once
  std::string searched_for;
  std::vector<Correction> corrections;
  std::vector<std::string> ignored;
  bool partial = false;
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

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w;
  return out;
}

// " w1 w2 ... " for has_all_words.
std::string spaced(const std::vector<std::string>& words) {
  std::string out = " ";
  for (const auto& w : words) out += w + " ";
  return out;
}

bool has_word(const std::string& spaced_words, std::string_view word) {
  for (auto at = spaced_words.find(word); at != std::string::npos; at = spaced_words.find(word, at + 1))
    if (spaced_words[at - 1] == ' ' && spaced_words[at + word.size()] == ' ') return true;
  return false;
}

bool has_all_words(const std::string& spaced_words, const std::vector<std::string>& needles) {
  return !needles.empty() &&
         std::all_of(needles.begin(), needles.end(), [&](const auto& w) { return has_word(spaced_words, w); });
}

}  // namespace

Search::Search(Store& store, Synonyms synonyms, std::size_t cache_entries)
    : store_(store), synonyms_(std::move(synonyms)), cache_entries_(cache_entries) {}

std::shared_ptr<const Search::Catalog> Search::catalog() {
  const std::int64_t version = store_.catalog_version();
  {
    std::lock_guard lock(mutex_);
    if (catalog_ && catalog_->version == version) return catalog_;
  }
  std::lock_guard building(build_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (catalog_ && catalog_->version == version) return catalog_;
  }
  auto fresh = std::make_shared<Catalog>();
  fresh->version = version;
  fresh->sorted = store_.vocabulary();
  std::sort(fresh->sorted.begin(), fresh->sorted.end(), [](const Term& a, const Term& b) { return a.text < b.text; });
  for (const auto& link : store_.link_texts())
    fresh->names.push_back({link.id, joined(text::words(link.subject)), spaced(text::words(link.title)),
                            spaced(text::words(link.author)), link.title.rfind("Go at ", 0) == 0});
  std::lock_guard lock(mutex_);
  catalog_ = fresh;
  recent_.clear();
  by_words_.clear();
  return fresh;
}

std::shared_ptr<const Search::Ranking> Search::cached(const std::string& key, const Catalog& catalog) {
  std::lock_guard lock(mutex_);
  if (catalog_.get() != &catalog) return nullptr;
  const auto it = by_words_.find(key);
  if (it == by_words_.end()) return nullptr;
  recent_.splice(recent_.begin(), recent_, it->second);
  return it->second->second;
}

void Search::remember(const std::string& key, const Catalog& catalog, std::shared_ptr<const Ranking> ranking) {
  std::lock_guard lock(mutex_);
  if (cache_entries_ == 0 || catalog_.get() != &catalog || by_words_.count(key) > 0) return;
  recent_.emplace_front(key, std::move(ranking));
  by_words_.emplace(key, recent_.begin());
  if (recent_.size() > cache_entries_) {
    by_words_.erase(recent_.back().first);
    recent_.pop_back();
  }
}

SearchResult Search::find(std::string_view query, std::size_t offset, std::size_t limit) {
  SearchResult result;
  result.offset = offset;
  auto words = text::words(text::utf8_prefix(query, limits::query_max_bytes));
  if (words.size() > limits::query_max_words) words.resize(limits::query_max_words);
  if (words.empty()) return result;
  const auto current = catalog();
  std::string key;
  for (const auto& w : words) key += (key.empty() ? "" : " ") + w;
  auto ranking = cached(key, *current);
  if (!ranking) {
    auto fresh = rank(words, *current);
    const std::size_t page = std::min(fresh->ids.size(), limits::results_per_page);
    fresh->first_page =
        store_.links_by_id({fresh->ids.begin(), fresh->ids.begin() + static_cast<std::ptrdiff_t>(page)});
    if (fresh->first_page.size() != page) fresh->first_page.clear();  // one was removed meanwhile
    ranking = fresh;
    remember(key, *current, ranking);
  }
  result.searched_for = ranking->searched_for;
  result.corrections = ranking->corrections;
  result.ignored = ranking->ignored;
  result.partial = ranking->partial;
  result.total = ranking->ids.size();
  const std::size_t end = std::min(ranking->ids.size(), offset + limit);
  if (offset < end && end <= ranking->first_page.size()) {
    result.links.assign(ranking->first_page.begin() + static_cast<std::ptrdiff_t>(offset),
                        ranking->first_page.begin() + static_cast<std::ptrdiff_t>(end));
  } else if (offset < end) {
    const auto first = ranking->ids.begin() + static_cast<std::ptrdiff_t>(offset);
    const auto last = ranking->ids.begin() + static_cast<std::ptrdiff_t>(end);
    result.links = store_.links_by_id({first, last});
  }
  return result;
}

std::shared_ptr<Search::Ranking> Search::rank(const std::vector<std::string>& words, const Catalog& vocab) {
  auto result = std::make_shared<Ranking>();
  const auto correct = [&](const std::string& word) -> std::string {
    if (word.size() < limits::typo_min_length) return {};
    const std::size_t allowed = word.size() >= limits::typo_two_edits_length ? 2 : 1;
    const auto closest = typo::closest(vocab.sorted, word, allowed);
    return closest ? vocab.sorted[*closest].text : std::string();
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
      if (std::all_of(typed.begin(), typed.end(), [&](const auto& w) { return vocab.is_term(w); })) {
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
    if (i + 1 < words.size() && vocab.is_term(word + words[i + 1])) {
      group.choices = {Phrase{word + words[i + 1]}, Phrase{word, words[i + 1]}};
      group.prefix = {false, false};
      group.shown = word + " " + words[i + 1];
      groups.push_back(std::move(group));
      i += 2;
      continue;
    }
    group.shown = word;
    group.stop = is_stop_word(word);
    if (vocab.is_term(word)) {
      group.choices = {Phrase{word}};
      group.prefix = {false};
    } else if (word.size() >= 2 && vocab.starts_a_term(word)) {
      group.choices = {Phrase{word}};
      group.prefix = {true};
    } else if (const std::string meant = correct(word); !meant.empty()) {
      result->corrections.push_back({word, meant});
      group.choices = {Phrase{meant}};
      group.prefix = {false};
      group.shown = meant;
    } else if (!group.stop) {
      result->ignored.push_back(word);
    }
    if (!group.choices.empty()) groups.push_back(std::move(group));
    ++i;
  }
  // Stop words only count when the query has nothing else ("why go").
  if (std::any_of(groups.begin(), groups.end(), [](const Group& g) { return !g.stop; }))
    groups.erase(std::remove_if(groups.begin(), groups.end(), [](const Group& g) { return g.stop; }), groups.end());
  if (groups.empty()) return result;
  for (const auto& group : groups) result->searched_for += (result->searched_for.empty() ? "" : " ") + group.shown;

  std::string all;
  for (const auto& group : groups) all += (all.empty() ? "" : " AND ") + fts_group(group);
  std::vector<Scored> matches = store_.match(all, limits::search_candidates);
  if (matches.empty() && groups.size() > 1) {
    std::string any;
    for (const auto& group : groups) any += (any.empty() ? "" : " OR ") + fts_group(group);
    matches = store_.match(any, limits::search_candidates);
    result->partial = !matches.empty();
  }

  // Ranking rules on top of bm25.
  std::vector<std::string> asked;  // the words of the first choice of every group
  for (const auto& group : groups)
    for (const auto& w : group.choices.front()) asked.push_back(w);
  const std::string asked_joined = joined(asked);
  std::vector<std::string> choices_joined;  // every spelling of every group, words joined
  for (const auto& group : groups)
    for (const auto& choice : group.choices) choices_joined.push_back(joined(choice));
  std::vector<std::pair<double, std::int64_t>> scored;
  scored.reserve(matches.size());
  for (const auto& match : matches) {
    double score = -match.bm25;
    if (const auto* names = vocab.names_of(match.id)) {
      const std::string& subject = names->subject_joined;
      if (!subject.empty() && subject == asked_joined) {
        score += names->own_story ? 100 : 60;  // the company's own story first
      } else if (!subject.empty() &&
                 std::find(choices_joined.begin(), choices_joined.end(), subject) != choices_joined.end()) {
        score += names->own_story ? 80 : 50;  // the subject under another spelling, or with more words
      }
      if (has_all_words(names->author_words, asked)) score += 40;  // a person by full or last name
      if (has_all_words(names->title_words, asked)) score += 5;
    }
    scored.emplace_back(score, match.id);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  result->ids.reserve(scored.size());
  for (const auto& [score, id] : scored) result->ids.push_back(id);
  return result;
}

}  // namespace whygo
