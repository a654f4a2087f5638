// Abbreviations and other spellings, read from data/synonyms.txt ("k8s = kubernetes").
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace whygo {

using Phrase = std::vector<std::string>;  // folded words

class Synonyms {
 public:
  Synonyms() = default;
  // Parses the file's text; malformed lines are reported in errors() and skipped.
  static Synonyms parse(std::string_view text);

  // The longest key (up to three words) starting at words[at]: how many words it covers and
  // what to search for instead. {0, {}} when none does.
  std::pair<std::size_t, const std::vector<Phrase>*> lookup(const std::vector<std::string>& words,
                                                            std::size_t at) const;
  std::size_t size() const { return entries_.size(); }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::map<std::string, std::vector<Phrase>, std::less<>> entries_;  // key: words joined by ' '
  std::vector<std::string> errors_;
};

}  // namespace whygo
