#include "adapters/discord/render.hpp"

#include "adapters/discord/components.hpp"
#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {
namespace {

using nlohmann::json;
namespace dl = limits::discord;

constexpr std::string_view separator = " \u00b7 ";  // " · "

// Discord refuses the whole message over a URL it cannot parse; only plain http(s) links go in
// an embed's url (the title then stays unlinked).
bool embeddable_url(std::string_view url) {
  if (url.size() > dl::embed_url_max_bytes) return false;
  if (url.substr(0, 7) != "http://" && url.substr(0, 8) != "https://") return false;
  for (const char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

// Counts toward the 6000-character total across embeds (https://discord.com/developers/docs/resources/message, "Embed
// Limits": title, description, field names and values, footer text, author name).
std::size_t embed_chars(const json& embed) {
  std::size_t total = 0;
  if (embed.contains("title")) total += char_count(embed["title"].get_ref<const std::string&>());
  if (embed.contains("description")) total += char_count(embed["description"].get_ref<const std::string&>());
  if (embed.contains("author")) total += char_count(embed["author"]["name"].get_ref<const std::string&>());
  if (embed.contains("footer")) total += char_count(embed["footer"]["text"].get_ref<const std::string&>());
  return total;
}

json link_embed(const Link& link) {
  json embed = json::object();
  // Embed titles and descriptions render markdown; author names and footers are plain text.
  const std::string title = clip(escape_markdown(link.title), dl::embed_title_max_chars);
  embed["title"] = title.empty() ? std::string("(untitled)") : title;
  if (embeddable_url(link.url)) embed["url"] = link.url;
  if (!link.author.empty()) embed["author"] = {{"name", clip(link.author, dl::embed_author_max_chars)}};
  std::string details = link.medium;
  if (!link.section.empty()) details += (details.empty() ? "" : std::string(separator)) + link.section;
  if (!details.empty()) embed["description"] = clip(escape_markdown(details), dl::embed_description_max_chars);
  embed["footer"] = {{"text", clip("#" + std::to_string(link.id), dl::embed_footer_max_chars)}};
  return embed;
}

}  // namespace

bool is_ephemeral(const Reply& reply) {
  return reply.error != ErrorKind::none || reply.visibility == Visibility::asker_only;
}

json render_message(const Reply& reply, MessageKind kind) {
  json embeds = json::array();
  std::size_t embeds_total = 0;
  for (const Link& link : reply.links) {
    if (embeds.size() == dl::embeds_max) break;
    json embed = link_embed(link);
    const std::size_t chars = embed_chars(embed);
    if (embeds_total + chars > dl::embeds_total_max_chars) break;
    embeds_total += chars;
    embeds.push_back(std::move(embed));
  }

  std::string content;
  if (!reply.title.empty()) {
    content = "**" + clip(escape_markdown(reply.title), dl::embed_title_max_chars) + "**";
    if (!embeds.empty() && reply.total > embeds.size())
      content += " (" + std::to_string(reply.first + 1) + "\u2013" + std::to_string(reply.first + embeds.size()) +
                 " of " + std::to_string(reply.total) + ")";
  }
  for (const std::string* part : {&reply.text, &reply.note}) {
    if (part->empty()) continue;
    content += (content.empty() ? "" : "\n") + escape_markdown(*part);
  }
  // Links that did not fit are still reachable: the "More" button starts after the last shown.
  std::optional<MoreResults> more = reply.more;
  if (!reply.links.empty() && embeds.size() < reply.links.size()) {
    if (reply.more) more->offset = reply.first + embeds.size();
  }
  if (content.empty() && embeds.empty()) content = "Nothing to show.";

  json message = {{"content", clip(content, dl::content_max_chars)},
                  {"embeds", std::move(embeds)},
                  {"components", more_components(more)},
                  {"allowed_mentions", {{"parse", json::array()}}}};
  if (kind == MessageKind::new_message && is_ephemeral(reply)) message["flags"] = flag_ephemeral;
  return message;
}

json interaction_response(CallbackType type, json data) {
  json response = {{"type", static_cast<int>(type)}};
  if (!data.is_null()) response["data"] = std::move(data);
  return response;
}

std::string to_wire(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace whygo::discord
