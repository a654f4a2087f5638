// The command line's options: "--name value" and "--name=value", flags, and "--" before words
// that start with "--". An option a verb does not know is an error, never a word.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace whygo::cli {

struct OptionSpec {
  std::string name;        // "--offset"
  std::string value_name;  // "N"; empty for a flag
};

struct Options {
  std::map<std::string, std::string> values;  // by name; a flag maps to ""
  std::vector<std::string> words;             // what is not an option, in order
  std::optional<std::string> error;           // "unknown option --bogus", "--offset needs N"

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string value(const std::string& name) const;
};

// Reads `known` options from anywhere before "--". With keep_unknown, other options stay in
// words (the global options are taken out first, the verb's later); without it they are an error.
// "--" itself is kept in words when keep_unknown is set, so the verb sees it too.
Options parse_options(const std::vector<std::string>& args, const std::vector<OptionSpec>& known,
                      bool keep_unknown = false);

// "--guild=1" becomes "--guild", "1" (before any "--"): for verbs that read "--name value" only.
std::vector<std::string> split_equals(const std::vector<std::string>& args);

}  // namespace whygo::cli
