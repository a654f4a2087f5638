// application/x-www-form-urlencoded, decoded exactly: slash commands and interaction payloads
// arrive this way (https://api.slack.com/interactivity/slash-commands). "+" is a space, "%XX" a byte, and the
// decoded bytes must be UTF-8. Only the ssl_check flag is read before the raw body was verified.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace whygo::slack {

// One name=value field decoded; nullopt on a "%" without two hex digits or bytes that are not
// UTF-8.
std::optional<std::string> form_decode(std::string_view encoded);

class Form {
 public:
  // nullopt when any field is malformed. Empty fields ("a=1&&b=2") are skipped; a name without
  // "=" has an empty value.
  static std::optional<Form> parse(std::string_view body);

  // The first value of a field; nullptr when absent.
  const std::string* find(std::string_view name) const;
  // The first value of a field, or "" when absent.
  std::string value(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace whygo::slack
