// "sections": the catalog's sections and how many links each holds.
#include "bot/store_roles.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request&, std::string_view, Services& services) {
  const auto sections = services.catalog.sections();
  if (sections.empty()) return Reply::failure(ErrorKind::not_found, "The catalog is empty.");
  std::string text;
  for (const auto& s : sections) text += s.name + " (" + std::to_string(s.links) + " links)\n";
  text += "Show one with \"list <section>\", e.g. \"list " + sections.back().name + "\".";
  Reply reply = Reply::message(text);
  reply.title = "Sections";
  return reply;
}

}  // namespace

Command sections() {
  return {.name = "sections",
          .aliases = {},
          .usage = "sections",
          .summary = "the catalog's sections",
          .admin_only = false,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
