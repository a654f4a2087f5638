#include "app/install_page.hpp"

#include <httplib.h>

#include <string_view>

#include "bot/text.hpp"

namespace whygo {
std::string install_page(const std::vector<Adapter>& adapters) {
  std::string items;
  for (const Adapter& adapter : adapters)
    for (const InstallLink& link : adapter.install)
      items += "<li><a href=\"" + text::escape_html(link.url) + "\">" + text::escape_html(link.label) +
               "</a>: " + text::escape_html(link.then) + "</li>\n";
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Install whygo</title></head>\n"
         "<body><h1>Install whygo</h1>\n" +
         (items.empty() ? std::string("<p>No platform offers an install link on this server.</p>\n")
                        : "<ul>\n" + items + "</ul>\n") +
         "</body></html>\n";
}

void mount_install_page(HttpServer& server, const std::vector<Adapter>& adapters) {
  const std::string page = install_page(adapters);  // settings do not change while serving
  server.routes().Get("/install", [page](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy", "default-src 'none'");
    res.set_content(page, "text/html; charset=utf-8");
  });
}

}  // namespace whygo
