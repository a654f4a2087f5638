// Reading settings: the environment (secrets only from there, directly or through NAME_FILE),
// and one level of the JSON config file at a time, where every key must be known. Used by the
// core's Config and by each adapter for its own section.
#pragma once
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace whygo::settings {

// A setting as an operator meets it, for `whygo help`, `whygo config check` and README's table:
// one list per part (the core's in Config, each adapter's in its descriptor), next to the code
// that reads the values.
struct Documented {
  std::string name;      // its key in the file ("listen", "tls.cert"; within a platform's section,
                         // "api_base"), and in describe()
  std::string variable;  // "WHYGO_LISTEN"
  std::string meaning;   // "HOST:PORT to serve on"
  std::string fallback;  // the default as shown; empty when there is none
  bool in_file = true;   // false: environment only
  bool secret = false;   // environment only, also as NAME_FILE; shown masked
};

// The variable's value; `fallback` when it is unset or empty.
std::string env(const char* name, const std::string& fallback = {});

// A secret: NAME itself, or the file NAME_FILE names (Docker and systemd credentials), trimmed.
// Throws std::invalid_argument when NAME_FILE names a file that cannot be read.
std::string secret(const char* name);

// The whole file; throws std::invalid_argument naming `what` when it cannot be read.
std::string read_file(const std::string& path, const std::string& what);

// "(not set)" or "(set, N characters)": how `config check` shows a secret.
std::string masked(const std::string& secret_value);

std::string without_trailing_slash(std::string url);
// Throws std::invalid_argument naming `setting` unless url is empty or starts with http(s)://.
void check_base_url(const std::string& setting, const std::string& url);

// One object level of the config file. Unknown keys and wrong types throw std::invalid_argument
// naming the key's full path ("slack.api_base").
class Section {
 public:
  // `object` may be null (the section is absent): every read then leaves its default.
  Section(const nlohmann::json& object, std::string path);
  void allow(std::initializer_list<const char*> keys) const;
  void string(const char* key, std::string& into) const;
  const nlohmann::json* object(const char* key) const;
  std::string name(const std::string& key) const;

 private:
  const nlohmann::json& object_;
  std::string path_;
};

}  // namespace whygo::settings
