#include "app/options.hpp"

#include <algorithm>

namespace whygo::cli {
namespace {

bool is_option(const std::string& arg) {
  return arg.size() > 2 && arg.compare(0, 2, "--") == 0;
}

}  // namespace

std::string Options::value(const std::string& name) const {
  const auto found = values.find(name);
  return found == values.end() ? std::string() : found->second;
}

Options parse_options(const std::vector<std::string>& args, const std::vector<OptionSpec>& known, bool keep_unknown) {
  Options out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      // Everything after is words, whatever it looks like.
      out.words.insert(out.words.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + (keep_unknown ? 0 : 1),
                       args.end());
      break;
    }
    if (!is_option(arg)) {
      out.words.push_back(arg);
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const auto spec = std::find_if(known.begin(), known.end(), [&name](const OptionSpec& s) { return s.name == name; });
    if (spec == known.end()) {
      if (!keep_unknown) {
        out.error = "unknown option " + name;
        return out;
      }
      out.words.push_back(arg);
      continue;
    }
    if (spec->value_name.empty()) {
      if (equals != std::string::npos) {
        out.error = name + " takes no value";
        return out;
      }
      out.values[name] = "";
    } else if (equals != std::string::npos) {
      out.values[name] = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      out.values[name] = args[++i];
    } else {
      out.error = name + " needs " + spec->value_name;
      return out;
    }
  }
  return out;
}

std::vector<std::string> split_equals(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  bool options_ended = false;
  for (const std::string& arg : args) {
    options_ended = options_ended || arg == "--";
    const std::size_t equals = arg.find('=');
    if (!options_ended && is_option(arg) && equals != std::string::npos) {
      out.push_back(arg.substr(0, equals));
      out.push_back(arg.substr(equals + 1));
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

}  // namespace whygo::cli
