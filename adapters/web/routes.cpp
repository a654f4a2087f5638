#include "adapters/web/routes.hpp"

#include <httplib.h>

#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "adapters/web/feed.hpp"
#include "adapters/web/limits.hpp"
#include "adapters/web/pages.hpp"
#include "bot/clock.hpp"
#include "bot/limits.hpp"
#include "bot/story.hpp"
#include "bot/wiki.hpp"

namespace whygo::web {
namespace {

// No script at all, styles only from /style.css, forms only to this site, never in a frame.
constexpr const char* content_security_policy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

struct Site {
  Site(AdapterServices& s, std::string url) : services(s), public_url(std::move(url)) {}

  AdapterServices& services;
  std::string public_url;
  // Whole answers that depend on nothing but the ETag (/, the feed, the catalog exports), kept
  // until the catalog or the date moves on.
  std::mutex mutex;
  std::string cached_tag;
  std::map<std::string, std::string> cached;

  date::sys_days today() const { return date::floor<date::days>(services.clock.now()); }

  // What every page depends on: the build, the catalog's version and the date (today's story).
  std::string etag() {
    return "\"" + std::string(WHYGO_VERSION) + "-" + std::to_string(services.catalog.catalog_version()) + "-" +
           std::to_string(today().time_since_epoch().count()) + "\"";
  }

  Request request(std::string text) const {
    Request r;
    r.platform = "web";
    r.text = std::move(text);
    r.receives_posts = false;
    return r;
  }

  Reply story(date::sys_days day) {
    // The text is built here from a parsed date: nothing the visitor typed is read as a command.
    return services.dispatcher.handle(request("story " + iso_date(day)));
  }
};

void secure(httplib::Response& res) {
  res.set_header("Content-Security-Policy", content_security_policy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
}

// Sets the caching headers; true when the client's copy is current (answered 304, no body).
bool not_modified(const httplib::Request& req, httplib::Response& res, const std::string& etag) {
  secure(res);
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "public, max-age=" + std::to_string(limits::web::page_max_age.count()));
  const std::string asked = req.get_header_value("If-None-Match");
  if (!asked.empty() && (asked == etag || asked == "*" || asked.find(etag) != std::string::npos)) {
    res.status = 304;
    return true;
  }
  return false;
}

void html(httplib::Response& res, const std::string& body, int status = 200) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

void problem(httplib::Response& res, int status, std::string_view title, std::string_view text) {
  secure(res);
  res.set_header("Cache-Control", "no-store");
  html(res, problem_page(title, text), status);
}

// A page from the cache, or made and kept: for answers that depend on the ETag alone.
template <typename Make>
std::string cached(Site& site, const std::string& etag, const std::string& key, Make make) {
  {
    std::lock_guard lock(site.mutex);
    if (site.cached_tag != etag) {
      site.cached.clear();
      site.cached_tag = etag;
    }
    if (const auto found = site.cached.find(key); found != site.cached.end()) return found->second;
  }
  std::string made = make();
  std::lock_guard lock(site.mutex);
  if (site.cached_tag == etag) site.cached[key] = made;
  return made;
}

nlohmann::json catalog_json(CatalogReader& catalog) {
  nlohmann::json sections = nlohmann::json::array();
  for (const SectionCount& s : catalog.sections()) sections.push_back({{"name", s.name}, {"links", s.links}});
  nlohmann::json links = nlohmann::json::array();
  for (const Link& l : catalog.links())
    links.push_back({{"id", l.id},
                     {"title", l.title},
                     {"url", l.url},
                     {"author", l.author},
                     {"medium", l.medium},
                     {"section", l.section},
                     {"tags", l.tags},
                     {"origin", to_string(l.origin)},
                     {"added_at", l.added_at}});
  return {{"version", catalog.catalog_version()}, {"sections", sections}, {"links", links}};
}

std::optional<std::size_t> page_number(const httplib::Request& req) {
  if (!req.has_param("page")) return 1;
  const std::string text = req.get_param_value("page");
  std::size_t n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || n < 1 || n > limits::web::search_pages_max)
    return std::nullopt;
  return n;
}

}  // namespace

void mount(HttpServer& server, AdapterServices& services, const std::string& public_url) {
  auto site = std::make_shared<Site>(services, public_url);
  auto& routes = server.routes();

  routes.Get("/", [site](const httplib::Request& req, httplib::Response& res) {
    const std::string etag = site->etag();
    if (not_modified(req, res, etag)) return;
    html(res, cached(*site, etag, "/", [&] {
           return home_page({site->services.catalog.sections(), site->story(site->today()), site->services.install});
         }));
  });

  routes.Get("/style.css", [site](const httplib::Request& req, httplib::Response& res) {
    if (not_modified(req, res, "\"" + std::string(WHYGO_VERSION) + "-css\"")) return;
    res.set_header("Cache-Control", "public, max-age=86400");
    res.set_content(std::string(stylesheet()), "text/css; charset=utf-8");
  });

  routes.Get("/search", [site](const httplib::Request& req, httplib::Response& res) {
    const auto page = page_number(req);
    if (!page)
      return problem(res, 400, "No such page",
                     "page must be a number from 1 to " + std::to_string(limits::web::search_pages_max) + ".");
    if (not_modified(req, res, site->etag())) return;
    const std::string query = req.get_param_value("q");
    // The same call as "/whygo <words>" in chat, and as its "More" button for later pages.
    const Reply reply = site->services.dispatcher.page(
        site->request(query), MoreResults{"search", query, (*page - 1) * limits::results_per_page});
    html(res, search_page(query, reply, *page, limits::results_per_page));
  });

  routes.Get(R"(/links/(\d{1,18}))", [site](const httplib::Request& req, httplib::Response& res) {
    const std::int64_t id = std::stoll(req.matches[1].str());
    // The page shows the link's health too: its last check is part of the validator.
    std::optional<LinkHealth> health;
    if (site->services.health != nullptr) health = site->services.health->link_health(id);
    std::string etag = site->etag();
    if (health) etag.insert(etag.size() - 1, "-" + std::to_string(health->checked_at));
    if (not_modified(req, res, etag)) return;
    const auto link = site->services.catalog.link(id);
    if (!link)
      return problem(res, 404, "No such link",
                     "The catalog has no link " + std::to_string(id) + "; it may have been removed.");
    html(res, link_page(*link, health));
  });
  routes.Get("/links/.*", [](const httplib::Request&, httplib::Response& res) {
    problem(res, 404, "No such link", "A link's address is /links/ and its number, e.g. /links/1.");
  });

  const auto story_route = [site](const httplib::Request& req, httplib::Response& res, date::sys_days day) {
    const date::sys_days today = site->today();
    if (day > today)
      return problem(res, 404, "Not yet", "The story of " + story_date_label(day) + " is told on that day.");
    if (day < today - date::days{limits::web::story_days_shown})
      return problem(res, 404, "Too long ago",
                     "The site shows the stories of the last " + std::to_string(limits::web::story_days_shown) +
                         " days; `whygo story --date` tells older ones.");
    if (not_modified(req, res, site->etag())) return;
    const Reply reply = site->story(day);
    std::optional<date::sys_days> previous, next;
    if (day > today - date::days{limits::web::story_days_shown}) previous = day - date::days{1};
    if (day < today) next = day + date::days{1};
    html(res, story_page(reply, day, previous, next), reply.error == ErrorKind::none ? 200 : 404);
  };
  routes.Get("/story", [site, story_route](const httplib::Request& req, httplib::Response& res) {
    story_route(req, res, site->today());
  });
  routes.Get("/story/(.*)", [story_route](const httplib::Request& req, httplib::Response& res) {
    const auto day = parse_date(req.matches[1].str());
    if (!day) return problem(res, 400, "Not a date", "Write the date as YYYY-MM-DD, e.g. /story/2026-11-27.");
    story_route(req, res, *day);
  });

  routes.Get("/feed.atom", [site](const httplib::Request& req, httplib::Response& res) {
    const std::string etag = site->etag();
    if (not_modified(req, res, etag)) return;
    res.set_content(cached(*site, etag, "/feed.atom",
                           [&] {
                             std::vector<FeedDay> days;
                             const date::sys_days today = site->today();
                             for (int back = 0; back < limits::web::feed_days; ++back) {
                               const date::sys_days day = today - date::days{back};
                               const Reply reply = site->story(day);
                               if (!reply.links.empty()) days.push_back({day, reply.links.front()});
                             }
                             return atom_feed(site->public_url, days);
                           }),
                    "application/atom+xml; charset=utf-8");
  });

  routes.Get("/catalog.md", [site](const httplib::Request& req, httplib::Response& res) {
    const std::string etag = site->etag();
    if (not_modified(req, res, etag)) return;
    // The same markdown as `whygo export`.
    res.set_content(
        cached(*site, etag, "/catalog.md",
               [&] { return wiki::render(site->services.catalog.section_names(), site->services.catalog.links()); }),
        "text/markdown; charset=utf-8");
  });

  routes.Get("/catalog.json", [site](const httplib::Request& req, httplib::Response& res) {
    const std::string etag = site->etag();
    if (not_modified(req, res, etag)) return;
    res.set_content(cached(*site, etag, "/catalog.json",
                           [&] {
                             return catalog_json(site->services.catalog)
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                           }),
                    "application/json");
  });
}

}  // namespace whygo::web
