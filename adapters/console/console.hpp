// The console adapter: `whygo ask TEXT...` as a chat platform of its own. The local operator is
// trusted as an admin.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "bot/reply.hpp"

namespace whygo::console {

Request request(std::string text, std::size_t offset);

// Readable text for a terminal.
std::string render(const Reply& reply);

// The platform-neutral reply as JSON (`whygo ask --json`).
nlohmann::json to_json(const Reply& reply);

}  // namespace whygo::console
