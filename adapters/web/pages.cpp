#include "adapters/web/pages.hpp"

#include <cstdio>

#include "bot/story.hpp"
#include "bot/text.hpp"

namespace whygo::web {
namespace {

using text::escape_html;

// Only web addresses become links; anything else (which `add` refuses anyway) stays text.
bool web_address(std::string_view url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string search_form(std::string_view query) {
  return "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\n"
         "<label for=\"q\">Search the catalog</label>\n"
         "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"512\" value=\"" +
         escape_html(query) +
         "\" placeholder=\"docker, rob pike, concurrency\">\n"
         "<button type=\"submit\">Search</button>\n</form>\n";
}

std::string layout(std::string_view title, const std::string& main) {
  std::string out;
  out.reserve(main.size() + 1200);
  out +=
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += escape_html(title);
  out +=
      "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n"
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Go story of the day\" href=\"/feed.atom\">\n"
      "</head>\n<body>\n<header>\n<nav aria-label=\"Site\">\n<a class=\"home\" href=\"/\">whygo</a>\n"
      "<a href=\"/story\">Story of the day</a>\n<a href=\"/feed.atom\">Feed</a>\n<a href=\"/install\">Install</a>\n"
      "</nav>\n</header>\n<main>\n";
  out += main;
  out +=
      "</main>\n<footer>\n<p>The catalog as <a href=\"/catalog.md\">wiki markdown</a> or "
      "<a href=\"/catalog.json\">JSON</a>. Grown from the Go wiki's "
      "<a href=\"https://go.dev/wiki/whygo\">Why Go</a> page.</p>\n</footer>\n</body>\n</html>\n";
  return out;
}

std::string link_item(const Link& link) {
  std::string out = "<li>";
  if (web_address(link.url))
    out += "<a class=\"title\" href=\"" + escape_html(link.url) + "\">" + escape_html(link.title) + "</a>";
  else
    out += "<span class=\"title\">" + escape_html(link.title) + "</span>";
  if (!link.author.empty()) out += " <span class=\"by\">by " + escape_html(link.author) + "</span>";
  out += "<br><span class=\"meta\">";
  if (!link.medium.empty()) out += escape_html(link.medium) + " · ";
  out += escape_html(link.section) + " · <a href=\"/links/" + std::to_string(link.id) + "\" aria-label=\"About " +
         escape_html(link.title) + "\">about this link</a></span></li>\n";
  return out;
}

std::string link_list(const std::vector<Link>& links, std::size_t first) {
  std::string out = first > 0 ? "<ol class=\"links\" start=\"" + std::to_string(first + 1) + "\">\n"
                              : std::string("<ol class=\"links\">\n");
  for (const Link& link : links) out += link_item(link);
  return out + "</ol>\n";
}

std::string story_block(const Reply& story) {
  if (story.error != ErrorKind::none || story.links.empty()) return "<p>" + escape_html(story.text) + "</p>\n";
  return "<ul class=\"links story\">\n" + link_item(story.links.front()) + "</ul>\n";
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string iso_date(date::sys_days day) {
  const date::year_month_day ymd{day};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

std::string home_page(const HomePage& page) {
  std::string main =
      "<h1>whygo: why teams chose Go</h1>\n"
      "<p class=\"lead\">whygo is a chat bot for Slack, Discord and Matrix: type <code>/whygo "
      "docker</code> and get the best links on why Docker, or any company, person or topic, chose Go. "
      "Every morning it posts a Go story of the day to the channels that ask for it.</p>\n";
  main += search_form("");
  main += "<section aria-labelledby=\"today\">\n<h2 id=\"today\">" +
          escape_html(page.story.title.empty() ? "Go story of the day" : page.story.title) + "</h2>\n" +
          story_block(page.story) + "<p><a href=\"/story\">The story page, with the days before</a></p>\n</section>\n";
  std::size_t links = 0;
  for (const SectionCount& s : page.sections) links += s.links;
  main += "<section aria-labelledby=\"catalog\">\n<h2 id=\"catalog\">The catalog</h2>\n<p>" +
          count(links, "link", "links") + " in " + count(page.sections.size(), "section", "sections") +
          ":</p>\n<ul class=\"sections\">\n";
  for (const SectionCount& s : page.sections)
    main +=
        "<li>" + escape_html(s.name) + " <span class=\"count\">" + count(s.links, "link", "links") + "</span></li>\n";
  main += "</ul>\n</section>\n<section aria-labelledby=\"install\">\n<h2 id=\"install\">Add whygo to your chat</h2>\n";
  if (page.install.empty()) {
    main += "<p>This server offers no install link; ask its operator how to reach whygo.</p>\n";
  } else {
    main += "<ul class=\"install\">\n";
    for (const InstallLink& link : page.install)
      main += "<li><a href=\"" + escape_html(link.url) + "\">" + escape_html(link.label) +
              "</a>: " + escape_html(link.then) + "</li>\n";
    main += "</ul>\n";
  }
  main += "</section>\n";
  return layout("whygo: why teams chose Go", main);
}

std::string search_page(std::string_view query, const Reply& reply, std::size_t page, std::size_t per_page) {
  std::string main = "<h1>" + escape_html(reply.title.empty() ? "Search" : reply.title) + "</h1>\n";
  main += search_form(query);
  if (reply.error != ErrorKind::none || reply.links.empty()) {
    main += "<p class=\"notice\" role=\"status\">" + escape_html(reply.text) + "</p>\n";
    return layout(query.empty() ? "Search: whygo" : "Search: " + std::string(query) + ": whygo", main);
  }
  const std::size_t last = reply.first + reply.links.size();
  main += "<p role=\"status\">" + std::to_string(reply.first + 1) + "–" + std::to_string(last) + " of " +
          count(reply.total, "link", "links") + "</p>\n";
  if (!reply.note.empty()) main += "<p class=\"notice\">" + escape_html(reply.note) + "</p>\n";
  main += link_list(reply.links, reply.first);
  const std::string base = "/search?q=" + text::percent_encode(query) + "&amp;page=";
  std::string pages;
  if (page > 1)
    pages += "<a rel=\"prev\" href=\"" + base + std::to_string(page - 1) + "\">Previous " + std::to_string(per_page) +
             "</a>\n";
  if (reply.more) pages += "<a rel=\"next\" href=\"" + base + std::to_string(page + 1) + "\">More results</a>\n";
  if (!pages.empty()) main += "<nav class=\"pages\" aria-label=\"Result pages\">\n" + pages + "</nav>\n";
  return layout("Search: " + std::string(query) + ": whygo", main);
}

std::string link_page(const Link& link, const std::optional<LinkHealth>& health) {
  std::string main = "<h1>" + escape_html(link.title) + "</h1>\n<dl class=\"link\">\n";
  main += "<dt>Link</dt><dd>" +
          (web_address(link.url) ? "<a href=\"" + escape_html(link.url) + "\">" + escape_html(link.url) + "</a>"
                                 : escape_html(link.url)) +
          "</dd>\n";
  if (!link.author.empty()) main += "<dt>Author</dt><dd>" + escape_html(link.author) + "</dd>\n";
  if (!link.medium.empty()) main += "<dt>Medium</dt><dd>" + escape_html(link.medium) + "</dd>\n";
  main += "<dt>Section</dt><dd>" + escape_html(link.section) + "</dd>\n";
  if (health && health->url == link.url && health->checked_at > 0) {
    // Only what the checker recorded: a status and addresses, never anything the site sent.
    const auto day = [](std::int64_t at) {
      return iso_date(date::floor<date::days>(std::chrono::sys_seconds{std::chrono::seconds{at}}));
    };
    std::string state = health->dead           ? "dead: failing since " + day(health->failing_since)
                        : health->failures > 0 ? "failing since " + day(health->failing_since)
                        : health->status >= 200 && health->status < 300 ? "alive"
                                                                        : "unknown: the site would not say";
    main += "<dt>Health</dt><dd>" + escape_html(state) + " (checked " + day(health->checked_at) +
            (health->status ? ", HTTP " + std::to_string(health->status) : std::string()) + ")</dd>\n";
    if (!health->fix_url.empty() && web_address(health->fix_url))
      main += "<dt>Moved to</dt><dd><a href=\"" + escape_html(health->fix_url) + "\">" + escape_html(health->fix_url) +
              "</a></dd>\n";
    if (health->dead && !health->archive_url.empty() && web_address(health->archive_url))
      main += "<dt>Archived copy</dt><dd><a href=\"" + escape_html(health->archive_url) + "\">" +
              escape_html(health->archive_url) + "</a></dd>\n";
  }
  if (!link.tags.empty()) {
    main += "<dt>Tags</dt><dd>";
    for (std::size_t i = 0; i < link.tags.size(); ++i)
      main += (i ? " " : "") + std::string("<a class=\"tag\" href=\"/search?q=") + text::percent_encode(link.tags[i]) +
              "\">#" + escape_html(link.tags[i]) + "</a>";
    main += "</dd>\n";
  }
  main += "<dt>Added</dt><dd>";
  if (link.added_at > 0)
    main += iso_date(date::floor<date::days>(std::chrono::sys_seconds{std::chrono::seconds{link.added_at}})) + ", ";
  main += link.origin == LinkOrigin::admin ? "by an admin" : "from the Go wiki's Why Go page";
  main += "</dd>\n</dl>\n<h2>In chat</h2>\n<p>Ask whygo for it by its words, e.g. <code>/whygo " +
          escape_html(link.subject.empty() ? link.title : link.subject) +
          "</code>. Admins change it with <code>/whygo edit " + std::to_string(link.id) +
          " title|url|author|tags …</code>, <code>/whygo tag " + std::to_string(link.id) +
          " #tag</code> or <code>/whygo remove " + std::to_string(link.id) + "</code>.</p>\n";
  main += search_form("");
  return layout(link.title + ": whygo", main);
}

std::string story_page(const Reply& reply, date::sys_days day, std::optional<date::sys_days> previous,
                       std::optional<date::sys_days> next) {
  std::string main = "<h1>" + escape_html(reply.title.empty() ? "Go story of " + story_date_label(day) : reply.title) +
                     "</h1>\n" + story_block(reply);
  if (previous || next) {
    main += "<nav class=\"pages\" aria-label=\"Other days\">\n";
    if (previous)
      main += "<a rel=\"prev\" href=\"/story/" + iso_date(*previous) + "\">Previous day, " +
              story_date_label(*previous) + "</a>\n";
    if (next)
      main += "<a rel=\"next\" href=\"/story/" + iso_date(*next) + "\">Next day, " + story_date_label(*next) + "</a>\n";
    main += "</nav>\n";
  }
  main +=
      "<p>Every morning whygo posts this story to the channels that subscribed; follow it with the "
      "<a href=\"/feed.atom\">Atom feed</a>.</p>\n";
  main += search_form("");
  return layout("Go story of " + story_date_label(day) + ": whygo", main);
}

std::string problem_page(std::string_view title, std::string_view text) {
  return layout(std::string(title) + ": whygo", "<h1>" + escape_html(title) + "</h1>\n<p>" + escape_html(text) +
                                                    "</p>\n" + search_form("") +
                                                    "<p><a href=\"/\">Back to the start page</a></p>\n");
}

std::string_view stylesheet() {
  return R"css(:root { color-scheme: light dark; --fg: #1b1f23; --bg: #ffffff; --muted: #57606a; --link: #0b5cad;
  --accent: #007d9c; --line: #d0d7de; --field: #ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --link: #6cb6ff; --accent: #3fc1e0; --line: #30363d;
    --field: #161b22; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 46rem; padding: 0 1rem 2rem; font: 1.0625rem/1.55 system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
header nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 1rem 0; border-bottom: 1px solid var(--line); }
header .home { font-weight: 700; margin-right: auto; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.5rem 0 0.75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
.lead { font-size: 1.1rem; }
code { font-size: 0.95em; background: color-mix(in srgb, var(--line) 45%, transparent); padding: 0 0.2em;
  border-radius: 3px; }
.search { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 1rem 0; }
.search label { flex-basis: 100%; font-weight: 600; }
.search input { flex: 1 1 12rem; min-width: 0; font: inherit; padding: 0.5rem 0.6rem; color: var(--fg);
  background: var(--field); border: 1px solid var(--muted); border-radius: 6px; }
.search button { font: inherit; padding: 0.5rem 1rem; border: 0; border-radius: 6px; color: #ffffff;
  background: #0b5cad; cursor: pointer; }
.links { padding-left: 1.5rem; }
.links li { margin: 0 0 0.9rem; }
ul.links { list-style: none; padding-left: 0; }
.links .title { font-weight: 600; }
.by, .meta, .count { color: var(--muted); }
.meta { font-size: 0.9rem; }
.notice { border-left: 4px solid var(--accent); padding: 0.25rem 0.75rem; }
.pages { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 1.5rem 0; }
dl.link { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
dl.link dt { font-weight: 600; }
dl.link dd { margin: 0; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted);
  font-size: 0.9rem; }
)css";
}

}  // namespace whygo::web
