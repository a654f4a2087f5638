#include "app/origins.hpp"

#include <algorithm>
#include <filesystem>

namespace whygo {
namespace {

// The file's value at a dotted path ("tls.cert", "slack.api_base"), or null.
const nlohmann::json* in_file(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* at = &root;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
}

}  // namespace

std::string origin_of(const Config& config, const std::string& section, const settings::Documented& setting) {
  if (section.empty()) {
    const auto given = config.command_line.find(setting.name);
    if (given != config.command_line.end()) return "command line (" + given->second + ")";
  }
  if (!settings::env(setting.variable.c_str()).empty()) return "environment (" + setting.variable + ")";
  if (setting.secret) {
    const std::string file_variable = setting.variable + "_FILE";
    if (const std::string file = settings::env(file_variable.c_str()); !file.empty())
      return "environment (" + file_variable + "=" + file + ")";
  }
  const std::string key = section.empty() ? setting.name : section + "." + setting.name;
  if (setting.in_file && in_file(config.file_settings, key)) return "file (" + config.file + ")";
  return setting.fallback.empty() ? "not set" : "default";
}

std::optional<std::string> missing_database(const Config& config) {
  if (config.db_path.find("://") != std::string::npos) return std::nullopt;  // a server, not a file
  std::error_code error;
  if (std::filesystem::exists(config.db_path, error)) return std::nullopt;
  const auto db = std::find_if(Config::documented().begin(), Config::documented().end(),
                               [](const settings::Documented& s) { return s.name == "db"; });
  const std::string origin = origin_of(config, "", *db);
  return "no database at " + std::filesystem::absolute(config.db_path, error).string() + " (" +
         (origin == "default" ? "the default, whygo.db in the current folder" : "from the " + origin) +
         "). Point at the service's database with WHYGO_DB=FILE, --db FILE or --config FILE (the systemd "
         "unit's is /var/lib/whygo/whygo.db: see README, Running in production); only `whygo serve` and "
         "`whygo import FILE` create a new one.";
}

}  // namespace whygo
