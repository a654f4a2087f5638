#include "bot/store_roles.hpp"

#include <array>
#include <utility>

namespace whygo {
namespace {

// Each enum's stored names, in the enum's order.
template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> origin_names = {"wiki", "admin"};
constexpr std::array<std::string_view, 8> action_names = {"add",   "remove",  "edit",   "tag",
                                                          "untag", "approve", "reject", "undo"};
constexpr std::array<std::string_view, 3> suggestion_names = {"pending", "approved", "rejected"};
constexpr std::array<std::string_view, 4> post_names = {"claimed", "sent", "failed", "abandoned"};

}  // namespace

std::string_view to_string(LinkOrigin origin) {
  return origin_names.at(static_cast<std::size_t>(origin));
}
std::optional<LinkOrigin> parse_link_origin(std::string_view text) {
  return parse_name<LinkOrigin>(origin_names, text);
}

std::string_view to_string(AuditAction action) {
  return action_names.at(static_cast<std::size_t>(action));
}
std::optional<AuditAction> parse_audit_action(std::string_view text) {
  return parse_name<AuditAction>(action_names, text);
}

std::string_view to_string(SuggestionStatus status) {
  return suggestion_names.at(static_cast<std::size_t>(status));
}
std::optional<SuggestionStatus> parse_suggestion_status(std::string_view text) {
  return parse_name<SuggestionStatus>(suggestion_names, text);
}

bool SuggestionSelection::contains(std::int64_t id) const {
  if (all) return true;
  for (const auto& [first, last] : ranges)
    if (id >= first && id <= last) return true;
  return false;
}

std::string_view to_string(PostStatus status) {
  return post_names.at(static_cast<std::size_t>(status));
}
std::optional<PostStatus> parse_post_status(std::string_view text) {
  return parse_name<PostStatus>(post_names, text);
}

std::string bulk_rejection_detail(std::size_t count, const SuggestionSelection& which, const std::string& reason) {
  std::string named = which.all ? std::string("all pending") : std::string();
  for (std::size_t i = 0; !which.all && i < which.ranges.size(); ++i) {
    const auto& [first, last] = which.ranges[i];
    named += (i ? " " : "") + std::to_string(first) + (first == last ? "" : "-" + std::to_string(last));
  }
  return std::to_string(count) + " suggestions (" + named + ")" + (reason.empty() ? "" : ": " + reason);
}

}  // namespace whygo
