// GET /install: how to add whygo where people chat, one entry per platform that is on and has
// something to offer ("Add to Slack", "Add to Discord", the Matrix user to invite).
#pragma once
#include <string>
#include <vector>

#include "bot/adapter.hpp"

namespace whygo {

// The page, every value escaped.
std::string install_page(const std::vector<Adapter>& adapters);
void mount_install_page(HttpServer& server, const std::vector<Adapter>& adapters);

}  // namespace whygo
