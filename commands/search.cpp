// The default command: "docker", "rob pike", "k8s", "dcoker".
#include "bot/search.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "\"" : ", \"") + w + "\"";
  return out;
}

Reply run(const Request& request, std::string_view args, Services& services) {
  if (args.empty())
    return Reply::failure(ErrorKind::bad_request,
                          "Search for what? Try a company (\"docker\"), a person (\"rob pike\") or a topic "
                          "(\"concurrency\").");
  const SearchResult found = services.search.find(args, request.offset, limits::results_per_page);
  if (found.links.empty()) {
    if (found.total > 0)
      return Reply::failure(ErrorKind::not_found, "No more results for \"" + std::string(args) + "\".");
    std::string text = "No link matches \"" + std::string(args) + "\".";
    text += " Try \"sections\" to browse the catalog, or \"random\" for a surprise.";
    return Reply::failure(ErrorKind::not_found, text);
  }
  Reply reply;
  reply.visibility = Visibility::channel;
  reply.title = "Why Go: " + found.searched_for;
  reply.links = found.links;
  reply.total = found.total;
  reply.first = found.offset;
  std::vector<std::string> notes;
  if (!found.corrections.empty()) {
    std::vector<std::string> meant;
    for (const auto& c : found.corrections) meant.push_back(c.meant);
    notes.push_back("Did you mean " + quoted_list(meant) + "? Showing results for \"" + found.searched_for + "\".");
  }
  if (!found.ignored.empty()) notes.push_back("No link mentions " + quoted_list(found.ignored) + ".");
  if (found.partial) notes.push_back("No link has every word; these match some of them.");
  for (const auto& n : notes) reply.note += (reply.note.empty() ? "" : " ") + n;
  const std::size_t next = found.offset + found.links.size();
  // A button carries only what bot/more.hpp can read back: words that are not UTF-8 (Xapian
  // matches their bytes all the same) get this page and no button (found by fuzz_dispatcher).
  if (next < found.total && text::valid_utf8(args)) reply.more = MoreResults{"search", std::string(args), next};
  return reply;
}

}  // namespace

Command search() {
  return {.name = "search",
          .aliases = {"find", "s"},
          .usage = "search <words>",
          .summary = "links on why a company, person or topic chose Go (the default: just type the words)",
          .admin_only = false,
          .writes = false,
          .pages = true,
          .from_memory = [](Services& services) { return services.search.up_to_date(); },
          .run = run};
}

}  // namespace whygo::commands
