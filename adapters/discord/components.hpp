// The "More" button. Its custom_id carries what the next page needs (bot/more.hpp: the paging
// command, its words and the offset), so a click needs no server-side state. custom_id is 1..100 characters and comes
// back as data.custom_id in a MESSAGE_COMPONENT interaction (https://discord.com/developers/docs/components/reference,
// "Button").
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "bot/reply.hpp"

namespace whygo::discord {

// bot/more.hpp's payload; nullopt when it would pass 100 characters: a button that asked for a
// shortened query would page through different results, so then there is no button.
std::optional<std::string> more_custom_id(const MoreResults& more);
// nullopt for anything this service did not make (or a tampered offset).
std::optional<MoreResults> parse_more_custom_id(std::string_view custom_id);

// One action row holding the "More" button, or an empty array (which also removes an old
// button when a message is updated).
nlohmann::json more_components(const std::optional<MoreResults>& more);

}  // namespace whygo::discord
