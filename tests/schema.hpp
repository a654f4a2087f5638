// Checking what whygo sends or writes against a platform's published schema (JSON Schema, as
// Discord's OpenAPI description and Matrix's spec give them), with valijson; and YAML read into
// JSON (yaml-cpp) for the files operators paste (Slack's manifest, Matrix's registration).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace whygo::test {

// A YAML document as JSON: mappings become objects, sequences arrays, and plain scalars that read
// as booleans, integers or null become those (YAML 1.2 core schema); everything else is a string.
nlohmann::json yaml_file_to_json(const std::string& path);
nlohmann::json yaml_to_json(const std::string& text);

// What is wrong with `instance` against `schema` (draft 7), one line each; empty when it is valid.
// `$ref`s to other files are resolved next to `base_dir` (YAML or JSON). With `strict`, an object
// schema that lists its properties takes no others: the published schemas name every field the
// platform accepts, so an unnamed one is a typo here, not an extension.
std::vector<std::string> schema_errors(const nlohmann::json& schema, const nlohmann::json& instance,
                                       const std::string& base_dir = {}, bool strict = true);

}  // namespace whygo::test
