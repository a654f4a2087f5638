// Text helpers shared by the importer, the search and the commands: folding, word splitting,
// edit distance. Pure functions, no I/O.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace whygo::text {

std::string_view trim(std::string_view s);
std::string lower_ascii(std::string_view s);

// Lower-case and fold Latin-1 letters to ASCII ("Lütke" -> "lutke", "Bjørn" -> "bjorn"), so
// people can type names without the accents.
std::string fold(std::string_view s);

// Folded words: runs of ASCII letters and digits, or any non-ASCII bytes left after folding.
std::vector<std::string> words(std::string_view s);

// Splits camel case in the original spelling: "CloudFlare" -> {"Cloud", "Flare"}, "dotGo" ->
// {"dot", "Go"}. A word without an inner capital comes back whole.
std::vector<std::string> camel_parts(std::string_view word);

// Optimal string alignment distance (insertions, deletions, substitutions, adjacent
// transpositions); returns max + 1 as soon as the distance is known to exceed max.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

// True when s is valid UTF-8 without control characters other than those allowed.
bool valid_utf8(std::string_view s);

// Number of code points in valid UTF-8.
std::size_t utf8_length(std::string_view s);

// Cuts s to at most max_bytes without splitting a code point.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// Every byte but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~) as %XX: safe as a path
// segment, a query value or a form field (https://www.rfc-editor.org/rfc/rfc3986#section-2.3).
std::string percent_encode(std::string_view value);

// For HTML text and attribute values: & < > " ' as entities.
std::string escape_html(std::string_view s);

}  // namespace whygo::text
