#include "bot/settings.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bot/text.hpp"

namespace whygo::settings {

std::string env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

std::string read_file(const std::string& path, const std::string& what) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::invalid_argument(what + ": cannot read " + path +
                                (errno ? ": " + std::string(std::strerror(errno)) : ""));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string secret(const char* name) {
  if (std::string direct = env(name); !direct.empty()) return direct;
  const std::string file_var = std::string(name) + "_FILE";
  if (const std::string file = env(file_var.c_str()); !file.empty())
    return std::string(text::trim(read_file(file, file_var)));
  return {};
}

std::string masked(const std::string& secret_value) {
  return secret_value.empty() ? "(not set)" : "(set, " + std::to_string(secret_value.size()) + " characters)";
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

void check_base_url(const std::string& setting, const std::string& url) {
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw std::invalid_argument(setting + ": expected an http:// or https:// URL, got \"" + url + "\"");
}

namespace {
// Tokens, secrets and keys are never read from the file, so a copy of it cannot leak them.
std::string secret_hint(std::string_view key) {
  for (const std::string_view suffix : {"token", "secret", "key"})
    if (key.size() >= suffix.size() && key.substr(key.size() - suffix.size()) == suffix)
      return " (secrets come only from the environment; see README)";
  return "";
}
}  // namespace

Section::Section(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
  if (!object_.is_null() && !object_.is_object()) throw std::invalid_argument(name("") + ": expected an object");
}

void Section::allow(std::initializer_list<const char*> keys) const {
  if (!object_.is_object()) return;
  for (const auto& item : object_.items()) {
    const std::string& key = item.key();
    if (std::none_of(keys.begin(), keys.end(), [&key](const char* k) { return key == k; }))
      throw std::invalid_argument(name(key) + ": unknown setting" + secret_hint(key));
  }
}

void Section::string(const char* key, std::string& into) const {
  if (!object_.is_object() || !object_.contains(key)) return;
  if (!object_[key].is_string()) throw std::invalid_argument(name(key) + ": expected a string");
  into = object_[key].get<std::string>();
}

const nlohmann::json* Section::object(const char* key) const {
  return object_.is_object() && object_.contains(key) ? &object_[key] : nullptr;
}

std::string Section::name(const std::string& key) const {
  return path_.empty() ? key : key.empty() ? path_ : path_ + "." + key;
}

}  // namespace whygo::settings
