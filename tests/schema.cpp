#include "tests/schema.hpp"

#include <yaml-cpp/yaml.h>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

namespace whygo::test {
namespace {

using nlohmann::json;

json scalar(const YAML::Node& node) {
  const std::string text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  static const std::regex integer(R"([-+]?[0-9]+)");
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  if (std::regex_match(text, integer)) return std::stoll(text);
  return text;
}

json convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& item : node) out[item.first.as<std::string>()] = convert(item.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalar(node);
    default:
      return nullptr;
  }
}

void make_strict(json& schema) {
  if (schema.is_array()) {
    for (json& item : schema) make_strict(item);
    return;
  }
  if (!schema.is_object()) return;
  for (auto& [key, value] : schema.items())
    if (key != "enum" && key != "const" && key != "examples") make_strict(value);
  if (schema.contains("properties") && !schema.contains("additionalProperties")) schema["additionalProperties"] = false;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

json yaml_to_json(const std::string& text) {
  return convert(YAML::Load(text));
}

json yaml_file_to_json(const std::string& path) {
  return convert(YAML::LoadFile(path));
}

std::vector<std::string> schema_errors(const json& schema_in, const json& instance, const std::string& base_dir,
                                       bool strict) {
  json schema = schema_in;
  if (strict) make_strict(schema);
  // Other files the schema names ("$ref": "namespace_list.yaml"), read once each and kept alive
  // for the parser.
  std::map<std::string, std::unique_ptr<json>> documents;
  const auto fetch = [&](const std::string& uri) -> const json* {
    auto& slot = documents[uri];
    if (!slot) {
      const std::string path = (std::filesystem::path(base_dir) / uri).string();
      json doc = uri.ends_with(".json") ? json::parse(read(path)) : yaml_file_to_json(path);
      if (strict) make_strict(doc);
      slot = std::make_unique<json>(std::move(doc));
    }
    return slot.get();
  };
  valijson::Schema parsed;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema);
  parser.populateSchema(schema_adapter, parsed, fetch, [](const json*) {});
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(instance);
  std::vector<std::string> errors;
  if (validator.validate(parsed, target, &results)) return errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const std::string& part : error.context) where += part;
    errors.push_back(where + ": " + error.description);
  }
  return errors;
}

}  // namespace whygo::test
