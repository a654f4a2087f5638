// Reading fields of untrusted JSON without exceptions (nlohmann's get<>() throws on a wrong
// type): a missing key, a non-object or a value of another type reads as nothing.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace whygo::json_fields {

inline const nlohmann::json* member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

inline std::string string_at(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

inline const nlohmann::json& object_at(const nlohmann::json& object, const char* key) {
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json* value = member(object, key);
  return value && value->is_object() ? *value : empty;
}

}  // namespace whygo::json_fields
