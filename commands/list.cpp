// "list <section>": the links of one section, a page at a time.
#include "bot/limits.hpp"
#include "bot/store_roles.hpp"
#include "bot/text.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

// "conference", "Conference & Meetup" and "meetup" all name "Conference & Meetup".
bool names_section(const std::vector<std::string>& asked, const std::string& section) {
  const auto words = text::words(section);
  for (const auto& a : asked) {
    bool found = false;
    for (const auto& w : words) found = found || w.rfind(a, 0) == 0;
    if (!found) return false;
  }
  return true;
}

Reply run(const Request& request, std::string_view args, Services& services) {
  const auto sections = services.catalog.sections();
  const auto asked = text::words(args);
  if (asked.empty()) {
    std::string names;
    for (const auto& s : sections) names += (names.empty() ? "" : ", ") + s.name;
    return Reply::failure(ErrorKind::bad_request, "List which section? One of: " + names + ".");
  }
  const SectionCount* chosen = nullptr;
  for (const auto& s : sections)
    if (names_section(asked, s.name)) {
      chosen = &s;
      break;
    }
  if (!chosen) {
    std::string names;
    for (const auto& s : sections) names += (names.empty() ? "" : ", ") + s.name;
    return Reply::failure(ErrorKind::not_found, "No section \"" + std::string(args) + "\". Sections: " + names + ".");
  }
  std::vector<Link> in_section;
  for (auto& link : services.catalog.links())
    if (link.section == chosen->name) in_section.push_back(std::move(link));
  if (request.offset >= in_section.size())
    return Reply::failure(ErrorKind::not_found, "No more links in " + chosen->name + ".");
  Reply reply;
  reply.visibility = Visibility::channel;
  reply.title = chosen->name;
  reply.total = in_section.size();
  reply.first = request.offset;
  for (std::size_t i = request.offset; i < in_section.size() && reply.links.size() < limits::results_per_page; ++i)
    reply.links.push_back(in_section[i]);
  const std::size_t next = request.offset + reply.links.size();
  if (next < in_section.size() && text::valid_utf8(args)) reply.more = MoreResults{"list", std::string(args), next};
  return reply;
}

}  // namespace

Command list() {
  return {.name = "list",
          .aliases = {"ls"},
          .usage = "list <section>",
          .summary = "the links of one section",
          .admin_only = false,
          .writes = false,
          .pages = true,
          .run = run};
}

}  // namespace whygo::commands
