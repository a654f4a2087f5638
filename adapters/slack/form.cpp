#include "adapters/slack/form.hpp"

#include "bot/text.hpp"

namespace whygo::slack {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> form_decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  while (!encoded.empty()) {
    const std::size_t at = encoded.find_first_of("+%");
    out.append(encoded.substr(0, at));  // the text between, at once
    if (at == std::string_view::npos) break;
    if (encoded[at] == '+') {
      out += ' ';  // the form encoding's space (WHATWG URL: application/x-www-form-urlencoded)
      encoded.remove_prefix(at + 1);
      continue;
    }
    if (at + 2 >= encoded.size()) return std::nullopt;  // "%" needs two hex digits after it
    const int high = hex_value(encoded[at + 1]);
    const int low = hex_value(encoded[at + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    encoded.remove_prefix(at + 3);
  }
  if (!text::valid_utf8(out)) return std::nullopt;
  return out;
}

std::optional<Form> Form::parse(std::string_view body) {
  Form form;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (field.empty()) continue;
    const std::size_t eq = field.find('=');
    auto name = form_decode(field.substr(0, eq));
    auto value = form_decode(eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    form.fields_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

const std::string* Form::find(std::string_view name) const {
  for (const auto& [key, value] : fields_)
    if (key == name) return &value;
  return nullptr;
}

std::string Form::value(std::string_view name) const {
  const std::string* found = find(name);
  return found ? *found : std::string();
}

}  // namespace whygo::slack
