#include "bot/typo.hpp"

#include <algorithm>
#include <string>

namespace whygo::typo {

std::optional<std::size_t> closest(const std::vector<Term>& sorted, std::string_view word, std::size_t max_edits) {
  const std::size_t m = word.size();
  // rows[d][j]: edits between the first d bytes of `path` and the first j bytes of `word`.
  std::vector<std::vector<std::size_t>> rows(1, std::vector<std::size_t>(m + 1));
  for (std::size_t j = 0; j <= m; ++j) rows[0][j] = j;
  std::string path;  // the prefix rows[1..] hold
  std::optional<std::size_t> best;
  std::size_t best_distance = max_edits + 1;
  std::int64_t best_links = -1;

  std::size_t i = 0;
  while (i < sorted.size()) {
    const std::string& term = sorted[i].text;
    std::size_t d = 0;
    while (d < path.size() && d < term.size() && path[d] == term[d]) ++d;
    path.resize(d);
    bool too_far = false;
    while (d < term.size()) {
      ++d;
      path.push_back(term[d - 1]);
      if (rows.size() <= d) rows.emplace_back(m + 1);
      const auto& up = rows[d - 1];
      auto& row = rows[d];
      row[0] = d;
      std::size_t row_min = row[0];
      for (std::size_t j = 1; j <= m; ++j) {
        const std::size_t cost = term[d - 1] == word[j - 1] ? 0 : 1;
        row[j] = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + cost});
        if (d > 1 && j > 1 && term[d - 1] == word[j - 2] && term[d - 2] == word[j - 1])
          row[j] = std::min(row[j], rows[d - 2][j - 2] + 1);
        row_min = std::min(row_min, row[j]);
      }
      // A row's minimum never falls as the prefix grows, so no longer word can come closer.
      if (row_min > max_edits) {
        too_far = true;
        break;
      }
    }
    if (too_far) {
      // Skip every term that starts with this prefix.
      i = static_cast<std::size_t>(
          std::partition_point(sorted.begin() + static_cast<std::ptrdiff_t>(i), sorted.end(),
                               [&](const Term& t) { return t.text.compare(0, path.size(), path) == 0; }) -
          sorted.begin());
      continue;
    }
    const std::size_t distance = rows[term.size()][m];
    if (distance < best_distance ||
        (distance == best_distance && distance <= max_edits && sorted[i].links > best_links)) {
      best = i;
      best_distance = distance;
      best_links = sorted[i].links;
    }
    ++i;
  }
  if (best_distance > max_edits) return std::nullopt;
  return best;
}

}  // namespace whygo::typo
