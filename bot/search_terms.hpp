// How a link is indexed for search: the words it is found by, how much each counts by where it
// stands, and the keys the ranking rules look up. Pure functions: bot/search_index.cpp writes
// them to Xapian, bot/search.cpp builds queries over the same names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"

namespace whygo::search_terms {

// Keys for the ranking rules. Xapian's convention: a prefix in capitals, which a typed (folded,
// lower-case) word never starts with.
inline constexpr std::string_view subject_key = "XS";    // the subject's words joined: XSnewyorktimes
inline constexpr std::string_view own_story_key = "XO";  // the same, for a "Go at <subject>" title
inline constexpr std::string_view author_key = "XA";     // each word of the author's name
// The whole title's words joined, stop words left out: "Gophercon India" -> XEgopherconindia.
inline constexpr std::string_view exact_title_key = "XE";
// Two neighbouring words of one field joined: "Space Monkey" -> XNspacemonkey, "real-time" ->
// XNrealtime. A query word written together finds them written apart; two query words find the
// links where they stand next to each other.
inline constexpr std::string_view neighbours_key = "XN";
// Each word of a link once more, under the ranking rules the link meets when that word is all
// that is asked: XW<word>:<rules>, its within-document frequency the word's. One word's links
// are then a few lists, each with one bonus for all its links (bot/search_rank.hpp).
inline constexpr std::string_view word_rules_key = "XW";
namespace word_rule {
inline constexpr unsigned subject = 1;      // the link's subject is the word
inline constexpr unsigned own_story = 2;    // ... and its title is "Go at <subject>"
inline constexpr unsigned person = 4;       // the word is in the author's name
inline constexpr unsigned exact_title = 8;  // the title is the word (stop words aside)
inline constexpr unsigned all = 15;
}  // namespace word_rule
// The prefix of a word's XW terms, and one of them.
std::string word_rules_prefix(std::string_view word);
std::string word_rules_term(std::string_view word, unsigned rules);

// How much a word counts where it stands, BM25F-style: its field's weight, lowered in a long
// field (a word of a three-word title says more than one of a fifteen-word title) and a little
// in a long link. It is folded into the within-document frequency here, so queries need no
// document lengths (Xapian reads those from a list as long as the catalog, which costs more than
// the words' own lists).
namespace weight {
inline constexpr double title = 6;
inline constexpr double author = 4;
inline constexpr double tags = 3;  // the subject, projects, the host, the kind of media
inline constexpr double url = 2;   // host and path: below the title
inline constexpr double medium = 2;
inline constexpr double section = 1;
// A mention of weight 1 in a field of average length counts this much (Xapian counts in
// integers); BM25's saturation is set in these units (bot/search.cpp).
inline constexpr double unit = 10;
// BM25's b, for the field and for the whole link: 0, length does not matter; 1, it divides.
inline constexpr double field_length_effect = 0.5;
inline constexpr double link_length_effect = 0.3;
}  // namespace weight

// The within-document frequency of one mention: weight * unit / field_norm / link_norm, where a
// norm is 1 - b + b * words / average words.
unsigned mention(double field_weight, std::size_t field_words, double average_field_words, std::size_t link_words);

// Xapian keeps terms of up to 245 bytes; longer words (and keys) are left out of the index, and a
// query word longer than this finds nothing.
inline constexpr std::size_t max_term_bytes = 240;
inline bool fits(std::string_view term) {
  return term.size() <= max_term_bytes;
}

struct Word {
  std::string text;
  unsigned weight = 0;  // mention()
};

struct Terms {
  // Folded words, their camel-case parts ("CloudFlare": cloud, flare) and each two neighbours
  // joined (neighbours_key). A word may come several times: the weights add up.
  std::vector<Word> words;
  std::vector<std::string> keys;       // ranking keys, prefixed
  std::vector<std::string> spellings;  // words typo correction may suggest, each once
};

Terms of(const Link& link);

// The words of a URL, as runs of neighbours. host: each label's words, without "www."
// ("matt-welsh.blogspot.com": {matt, welsh}, {blogspot}, {com}). segments: each path segment's
// words, split on - _ . and other punctuation, percent-decoded, digits kept
// ("/2013/03/how-we-went-from-30-servers-to-2-go.html": {2013}, {03}, {how, we, ..., 2, go}).
// Left out, breaking a run: ids ("BNUNbKSypE0", long numbers) and words that only say what kind
// of page it is ("post", "watch", "html"). The query string and fragment are left out whole.
struct UrlWords {
  std::vector<std::vector<std::string>> host;
  std::vector<std::vector<std::string>> segments;
};
UrlWords url_words(std::string_view url);

// Words joined into one: {"new", "york", "times"} -> "newyorktimes".
std::string joined(const std::vector<std::string>& words);

// Words that say nothing about which link is wanted ("go", "why", "the"): a query drops them when
// it has other words, and the exact title key leaves them out.
bool is_stop_word(std::string_view word);

}  // namespace whygo::search_terms
