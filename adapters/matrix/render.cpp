#include "adapters/matrix/render.hpp"

#include "adapters/matrix/limits.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::matrix {
namespace {

constexpr std::string_view word_joiner = "\u2060";

// Only absolute http(s) links become anchors: clients drop other schemes anyway (spec
// instant_messaging "a: href only if not relative and https, http, ftp, mailto, magnet").
bool linkable(std::string_view url) {
  const std::string lower = text::lower_ascii(url.substr(0, 8));
  return lower.starts_with("https://") || lower.starts_with("http://");
}

std::string safe(std::string_view text) {
  return defuse_room_mention(text);
}
std::string safe_html(std::string_view text) {
  return text::escape_html(defuse_room_mention(text));
}

std::string heading(const Reply& reply) {
  std::string out = reply.title;
  if (reply.total > reply.links.size() && !reply.links.empty())
    out += " (" + std::to_string(reply.first + 1) + "-" + std::to_string(reply.first + reply.links.size()) + " of " +
           std::to_string(reply.total) + ")";
  return out;
}

std::string details(const Link& link) {
  std::string out;
  if (!link.author.empty()) out += "by " + link.author;
  if (!link.medium.empty()) out += (out.empty() ? "" : ", ") + link.medium;
  if (!link.section.empty()) out += (out.empty() ? "" : " · ") + link.section;
  out += (out.empty() ? "#" : " · #") + std::to_string(link.id);
  return out;
}

std::string html_lines(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t eol = text.find('\n', pos);
    if (pos > 0) out += "<br>";
    out += safe_html(text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos));
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return out;
}

}  // namespace

std::string defuse_room_mention(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '@' && text::lower_ascii(text.substr(i + 1, 4)) == "room") out += word_joiner;
  }
  return out;
}

nlohmann::json render(const Reply& reply, const ReplyTarget& target) {
  std::string body;
  std::string html;
  if (const std::string head = heading(reply); !head.empty()) {
    body += safe(head) + "\n";
    html += "<p><strong>" + safe_html(head) + "</strong></p>";
  }
  if (!reply.text.empty()) {
    body += safe(reply.text) + "\n";
    html += "<p>" + html_lines(reply.text) + "</p>";
  }
  if (!reply.links.empty()) {
    html += "<ol start=\"" + std::to_string(reply.first + 1) + "\">";
    std::size_t number = reply.first;
    for (const Link& link : reply.links) {
      body += std::to_string(++number) + ". " + safe(link.title) + "\n   " + link.url + "\n   " + safe(details(link)) +
              "\n";
      html += "<li>";
      if (linkable(link.url))
        html += "<a href=\"" + text::escape_html(link.url) + "\">" + safe_html(link.title) + "</a>";
      else
        html += safe_html(link.title) + " (" + text::escape_html(link.url) + ")";
      html += "<br><em>" + safe_html(details(link)) + "</em></li>";
    }
    html += "</ol>";
  }
  if (!reply.note.empty()) {
    body += safe(reply.note) + "\n";
    html += "<p><em>" + html_lines(reply.note) + "</em></p>";
  }
  while (!body.empty() && body.back() == '\n') body.pop_back();
  if (body.empty()) body = "(no answer)";

  nlohmann::json content = {{"msgtype", "m.notice"}, {"body", body}};
  // Past the size budget the HTML goes and the plain text is cut: a refused event is worse.
  if (body.size() + html.size() <= limits::matrix::reply_max_bytes) {
    content["format"] = "org.matrix.custom.html";
    content["formatted_body"] = html;
  } else {
    content["body"] = std::string(text::utf8_prefix(body, limits::matrix::reply_max_bytes));
  }
  // Rich reply, in the thread when the question was in one (spec modules/threading.md: copy
  // rel_type and the root, point m.in_reply_to at the asking event, is_falling_back false).
  nlohmann::json relates = {{"m.in_reply_to", {{"event_id", target.event_id}}}};
  if (!target.thread_root.empty()) {
    relates["rel_type"] = "m.thread";
    relates["event_id"] = target.thread_root;
    relates["is_falling_back"] = false;
  }
  if (!target.event_id.empty()) content["m.relates_to"] = relates;
  // The asker is told of the answer ("Mentioning the replied to user",
  // https://spec.matrix.org/latest/client-server-api/#mentioning-the-replied-to-user); no one else is
  // mentioned, and an m.mentions is always sent so legacy body-matching push rules do not apply
  // (https://spec.matrix.org/latest/client-server-api/#user-and-room-mentions).
  content["m.mentions"] = nlohmann::json::object();
  if (!target.sender.empty()) content["m.mentions"]["user_ids"] = nlohmann::json::array({target.sender});
  return content;
}

nlohmann::json notice(std::string_view text) {
  return {{"msgtype", "m.notice"}, {"body", std::string(text)}, {"m.mentions", nlohmann::json::object()}};
}

}  // namespace whygo::matrix
