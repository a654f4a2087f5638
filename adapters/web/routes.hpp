// The web pages' routes: each looks up what it shows through the same calls chat uses (the
// dispatcher's search and story, the catalog reader, the wiki export) and answers cacheable,
// strictly typed HTML, Atom, markdown or JSON.
#pragma once
#include <string>

#include "adapters/web/config.hpp"
#include "bot/adapter.hpp"

namespace whygo::web {

// public_url: WHYGO_PUBLIC_URL, for the feed's absolute links; may be empty.
void mount(HttpServer& server, AdapterServices& services, const std::string& public_url);

}  // namespace whygo::web
