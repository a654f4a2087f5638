// Typo correction: the catalog word closest to what was typed, within a few edits (optimal
// string alignment: insert, delete, substitute, swap two neighbours; counted in bytes).
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "bot/store.hpp"

namespace whygo::typo {

// Index into `sorted` (byte order, no repeats) of the closest term at most max_edits away: the
// fewest edits, then the most links, then the first in order. The list is walked as a trie, so
// a branch whose prefix is already too far from `word` is skipped whole; the cost follows the
// number of near prefixes, not the size of the vocabulary.
std::optional<std::size_t> closest(const std::vector<Term>& sorted, std::string_view word, std::size_t max_edits);

}  // namespace whygo::typo
