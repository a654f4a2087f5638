// "edit <id> title|url|author|tags <value>": fixes one field of a link.
#include "bot/tags.hpp"
#include "bot/text.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

constexpr const char* usage_example = "e.g. \"edit 12 title Go at Docker (2014)\" or \"edit 12 tags #containers\"";

Reply run(const Request& request, std::string_view args, Services& services) {
  const auto [id_word, rest] = first_word(args);
  const auto [field_word, value_view] = first_word(rest);
  const auto id = parse_id(id_word);
  const std::string field = text::lower_ascii(field_word);
  const std::string value(value_view);
  if (!id || field.empty()) return refusal(std::string("Edit what? ").append(usage_example).append("."));
  const auto current = services.catalog.link(*id);
  if (!current) return refusal("There is no link #" + std::to_string(*id) + ".");

  Link changed = *current;
  changed.tags = tags::custom_tags(*current);
  if (field == "title") {
    if (const auto why = validate::title(value)) return refusal(*why);
    changed.title = value;
  } else if (field == "url" || field == "link") {
    if (const auto why = url::problem(value)) return refusal(*why);
    changed.url = value;
  } else if (field == "author" || field == "by") {
    if (const auto why = validate::author(value)) return refusal(*why);
    changed.author = value;
  } else if (field == "tags") {
    const TagsInput typed = parse_tags(value);
    if (typed.problem) return refusal(*typed.problem);
    changed.tags = typed.tags;
  } else {
    return refusal("\"" + field + "\" cannot be edited; edit title, url, author or tags, " + usage_example + ".");
  }
  tags::derive(changed);  // the subject and derived tags follow the new title or URL
  const WriteResult r = services.curation.update_link(changed, AuditAction::edit, actor_of(request, services));
  if (r.status == WriteStatus::not_found) return refusal("There is no link #" + std::to_string(*id) + ".");
  if (r.status == WriteStatus::duplicate)
    return refusal("Link #" + std::to_string(r.other_id) + " already has that URL. Nothing changed.");
  return done("Updated " + describe(r.link) + ". \"undo\" reverts it.");
}

}  // namespace

Command edit() {
  return {.name = "edit",
          .aliases = {},
          .usage = "edit <id> title|url|author|tags <value>",
          .summary = "fix a link's title, URL, author or tags",
          .admin_only = true,
          .writes = true,
          .run = run};
}

}  // namespace whygo::commands
