#include "adapters/web/adapter.hpp"

#include "adapters/web/config.hpp"
#include "adapters/web/routes.hpp"

namespace whygo::web {

Adapter adapter(const Config& settings) {
  const WebConfig config = WebConfig::load(settings.section("web"));
  Adapter a;
  a.name = "web";
  // GET / is the web's too, but as a prefix it would claim every path.
  a.route_prefixes = {"/search", "/links/", "/story", "/feed.atom", "/catalog.", "/style.css"};
  a.enabled = config.enabled;
  a.off_reason = "turned off by WHYGO_WEB=0 or web.enabled false";
  a.settings = config.describe();
  a.documented = WebConfig::documented();
  const std::string public_url = settings.public_url;
  a.mount = [public_url](HttpServer& server, AdapterServices& services) { mount(server, services, public_url); };
  return a;
}

}  // namespace whygo::web
