#include "adapters/console/console.hpp"

#include <cstdlib>

namespace whygo::console {

Request request(std::string text, std::size_t offset) {
  Request r;
  r.platform = "console";
  r.tenant = "local";
  r.channel = "console";
  const char* user = std::getenv("USER");
  r.user = user && *user ? user : "operator";
  r.text = std::move(text);
  r.is_admin = true;
  r.manages_channel = true;
  r.admin_reason = "run whygo on this machine";
  r.offset = offset;
  r.receives_posts = false;  // it only answers
  return r;
}

std::string render(const Reply& reply) {
  std::string out;
  if (!reply.title.empty()) {
    out += reply.title;
    if (reply.total > reply.links.size())
      out += " (" + std::to_string(reply.first + 1) + "-" + std::to_string(reply.first + reply.links.size()) + " of " +
             std::to_string(reply.total) + ")";
    out += "\n";
  }
  if (!reply.text.empty()) out += reply.text + "\n";
  std::size_t number = reply.first;
  for (const Link& link : reply.links) {
    out += std::to_string(++number) + ". " + link.title + "\n   " + link.url + "\n";
    std::string details;
    if (!link.author.empty()) details += "by " + link.author;
    if (!link.medium.empty()) details += (details.empty() ? "" : ", ") + link.medium;
    details += (details.empty() ? "" : " · ") + link.section + " · #" + std::to_string(link.id);
    out += "   " + details + "\n";
  }
  if (!reply.note.empty()) out += reply.note + "\n";
  if (reply.more)
    out += "More: whygo ask --offset " + std::to_string(reply.more->offset) + " " + reply.more->command + " " +
           reply.more->args + "\n";
  return out;
}

nlohmann::json to_json(const Reply& reply) {
  nlohmann::json links = nlohmann::json::array();
  for (const Link& link : reply.links)
    links.push_back({{"id", link.id},
                     {"title", link.title},
                     {"url", link.url},
                     {"author", link.author},
                     {"medium", link.medium},
                     {"section", link.section},
                     {"subject", link.subject},
                     {"tags", link.tags}});
  nlohmann::json out = {{"command", reply.command},
                        {"title", reply.title},
                        {"text", reply.text},
                        {"links", links},
                        {"note", reply.note},
                        {"total", reply.total},
                        {"first", reply.first},
                        {"visibility", reply.visibility == Visibility::channel ? "channel" : "asker_only"},
                        {"error", to_string(reply.error)}};
  if (reply.more)
    out["more"] = {{"query", reply.more->command + " " + reply.more->args},  // what `ask --offset` runs
                   {"command", reply.more->command},
                   {"args", reply.more->args},
                   {"offset", reply.more->offset}};
  else
    out["more"] = nullptr;
  return out;
}

}  // namespace whygo::console
