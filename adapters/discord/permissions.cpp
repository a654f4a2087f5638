#include "adapters/discord/permissions.hpp"

#include <utility>
#include <vector>

#include "adapters/discord/limits.hpp"
#include "bot/limits.hpp"

namespace whygo::discord {

std::optional<std::uint64_t> parse_permissions(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > limits::discord::permissions_max_digits) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    // Unsigned arithmetic wraps modulo 2^64: the low bits stay exact however long the number.
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::string install_url(const std::string& application_id) {
  return "https://discord.com/oauth2/authorize?client_id=" + application_id +
         "&scope=applications.commands+bot&permissions=" + std::to_string(install_permissions);
}

bool grants_admin(std::uint64_t permissions) {
  return (permissions & (permission_administrator | permission_manage_guild)) != 0;
}

std::string missing_post_permissions(std::uint64_t app_permissions, bool thread) {
  if (app_permissions & permission_administrator) return {};
  const std::pair<std::uint64_t, const char*> needed[] = {
      {permission_view_channel, "View Channel"},
      {thread ? permission_send_messages_in_threads : permission_send_messages,
       thread ? "Send Messages in Threads" : "Send Messages"},
      {permission_embed_links, "Embed Links"},
      {permission_read_message_history, "Read Message History"},
  };
  std::vector<std::string> missing;
  for (const auto& [bit, name] : needed)
    if ((app_permissions & bit) == 0) missing.emplace_back(name);
  if (missing.empty()) return {};
  std::string names;
  for (std::size_t i = 0; i < missing.size(); ++i)
    names += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
  return "whygo lacks the " + names + (missing.size() == 1 ? " permission" : " permissions") +
         " here. Give them to whygo's role in this channel's settings (Edit Channel > Permissions), then subscribe "
         "again.";
}

}  // namespace whygo::discord
