#include "adapters/discord/components.hpp"

#include <charconv>

#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::discord {
namespace {

constexpr std::string_view more_prefix = "more:";
constexpr std::size_t offset_max_digits = 6;  // pages past a million results are not real

// https://discord.com/developers/docs/components/reference: component type 1 = Action Row, 2 = Button; style 2 =
// Secondary.
constexpr int action_row = 1;
constexpr int button = 2;
constexpr int secondary_style = 2;

}  // namespace

std::optional<std::string> more_custom_id(const MoreResults& more) {
  const std::string_view query = text::trim(more.query);
  if (query.empty() || !text::valid_utf8(query)) return std::nullopt;
  std::string id = std::string(more_prefix) + std::to_string(more.offset) + ":" + std::string(query);
  if (char_count(id) > limits::discord::custom_id_max_chars) return std::nullopt;
  return id;
}

std::optional<MoreResults> parse_more_custom_id(std::string_view custom_id) {
  if (custom_id.size() > 4 * limits::discord::custom_id_max_chars ||
      custom_id.substr(0, more_prefix.size()) != more_prefix)
    return std::nullopt;
  custom_id.remove_prefix(more_prefix.size());
  const std::size_t colon = custom_id.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > offset_max_digits) return std::nullopt;
  std::size_t offset = 0;
  const std::string_view digits = custom_id.substr(0, colon);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  const std::string_view query = text::trim(custom_id.substr(colon + 1));
  if (query.empty() || !text::valid_utf8(query)) return std::nullopt;
  return MoreResults{std::string(query), offset};
}

nlohmann::json more_components(const std::optional<MoreResults>& more) {
  nlohmann::json rows = nlohmann::json::array();
  if (!more) return rows;
  const auto id = more_custom_id(*more);
  if (!id) return rows;
  rows.push_back(
      {{"type", action_row},
       {"components", nlohmann::json::array(
                          {{{"type", button}, {"style", secondary_style}, {"label", "More"}, {"custom_id", *id}}})}});
  return rows;
}

}  // namespace whygo::discord
