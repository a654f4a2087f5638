// The operator's verbs: each takes the words after its name and returns the exit code
// (0 done, 1 refused or failed, 2 usage error).
#pragma once
#include <string>
#include <vector>

#include "app/app.hpp"
#include "bot/adapter.hpp"

namespace whygo::cli {

// Prints "whygo: message" on stderr and returns code.
int fail(const std::string& message, int code = 2);

int ask(App& app, const std::vector<std::string>& args);
int import(App& app, const std::vector<std::string>& args);
int export_catalog(App& app, const std::vector<std::string>& args);
int story(App& app, const std::vector<std::string>& args);
int post_story(App& app, const std::vector<Adapter>& adapters, const std::vector<std::string>& args);
int config(const Config& config, const std::vector<Adapter>& adapters, const std::vector<std::string>& args);
int backup(App& app, const std::vector<std::string>& args);

}  // namespace whygo::cli
