// The operator's verbs: each takes the words after its name (global options taken out) and
// returns the exit code (0 done, 1 refused or failed, 2 usage error).
#pragma once
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/options.hpp"
#include "bot/adapter.hpp"
#include "bot/wiki.hpp"

namespace whygo::cli {

// A core verb's grammar, checked before anything is opened.
struct Verb {
  std::string name;
  std::string usage;    // "ask [--json] [--offset N] [--] TEXT..."
  std::string summary;  // for whygo help
  std::vector<OptionSpec> options;
  std::size_t min_words = 0;
  std::size_t max_words = 0;  // words after the options; max(): any number
  std::string hint;           // said with a usage error: where the setting it may be missing lives
};

inline constexpr std::size_t any_number = std::numeric_limits<std::size_t>::max();

const std::vector<Verb>& verbs();
const Verb* find_verb(const std::string& name);

// The global options, before or after the verb.
const std::vector<OptionSpec>& global_options();

// Checks args against the verb's options and number of words: nullopt when they fit, else what is wrong.
std::optional<std::string> check_usage(const Verb& verb, const std::vector<std::string>& args);

// Prints "whygo: verb: problem", the verb's usage and hint on stderr; returns 2.
int usage_error(const Verb& verb, const std::string& problem);

// Prints "whygo: message" on stderr and returns code.
int fail(const std::string& message, int code = 2);

// `whygo rotate-key`: every stored token re-sealed under WHYGO_SECRET_KEY.
int rotate_key(App& app, const std::vector<Adapter>& adapters);

// `whygo help`: every verb (the adapters' too), option and setting.
std::string help(const std::vector<Adapter>& adapters);
std::string version();

int ask(App& app, const std::vector<std::string>& args);
// import's FILE ("-": standard input), read and parsed before any database is opened or created.
struct ImportFile {
  std::string name;
  wiki::Page page;
};
// nullopt when it cannot be imported; the reason is printed (exit 2).
std::optional<ImportFile> read_import(const std::vector<std::string>& args);
int import(App& app, const ImportFile& file);
int export_catalog(App& app, const std::vector<std::string>& args);
int story(App& app, const std::vector<std::string>& args);
// whygo sync [--url URL]: one sync of the upstream page; exit 1 when refused or failed.
int sync(App& app, const std::vector<std::string>& args);
int post_story(App& app, const std::vector<Adapter>& adapters, const std::vector<std::string>& args);
int config(const Config& config, const std::vector<Adapter>& adapters, const std::vector<std::string>& args);
int backup(App& app, const std::vector<std::string>& args);
// `whygo copy-store --to DATABASE`: the whole store into a new, empty database, checked by counts.
int copy_store(App& app, const std::vector<std::string>& args);

}  // namespace whygo::cli
