#include "adapters/discord/components.hpp"

#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "bot/limits.hpp"
#include "bot/more.hpp"
#include "bot/text.hpp"

namespace whygo::discord {
namespace {

// https://discord.com/developers/docs/components/reference: component type 1 = Action Row, 2 = Button; style 2 =
// Secondary.
constexpr int action_row = 1;
constexpr int button = 2;
constexpr int secondary_style = 2;

}  // namespace

std::optional<std::string> more_custom_id(const MoreResults& more) {
  std::string id = more::encode(more);
  if (!more::decode(id) || char_count(id) > limits::discord::custom_id_max_chars) return std::nullopt;
  return id;
}

std::optional<MoreResults> parse_more_custom_id(std::string_view custom_id) {
  if (custom_id.size() > 4 * limits::discord::custom_id_max_chars) return std::nullopt;
  return more::decode(custom_id);
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
