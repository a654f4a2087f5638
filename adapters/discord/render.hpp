// A platform-neutral Reply as a Discord message: a short heading in `content`, one embed per
// link (linked title, author, medium and section), the "More" button, and allowed_mentions
// {"parse": []} on every message, so nothing from the catalog or the asker pings anyone (docs
// https://discord.com/developers/docs/interactions/receiving-and-responding, "Messages": the inline sample sends
// exactly that).
#pragma once
#include <nlohmann/json.hpp>

#include "adapters/discord/interactions.hpp"
#include "bot/reply.hpp"

namespace whygo::discord {

// A new message may be ephemeral (flag 64); an update must not say, because "an existing
// message's ephemeral state cannot be changed", and it clears the old content, embeds and button.
enum class MessageKind { new_message, update };

inline constexpr int flag_ephemeral = 1 << 6;  // https://discord.com/developers/docs/resources/message, Message Flags

// Help, errors and admin confirmations are for the asker only.
bool is_ephemeral(const Reply& reply);

// The message body (interaction callback data, follow-up or Create Message), within Discord's
// limits: content 2000, at most 10 embeds, title 256, description 4096, 6000 over all embeds.
nlohmann::json render_message(const Reply& reply, MessageKind kind);

// An interaction response: {"type": T, "data": ...}; no data for PONG and the deferred types.
nlohmann::json interaction_response(CallbackType type, nlohmann::json data = nullptr);

// JSON text for the wire: invalid UTF-8 is replaced, never thrown on.
std::string to_wire(const nlohmann::json& value);

}  // namespace whygo::discord
