// "admins": who may change the catalog here, and why.
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

constexpr const char* rule =
    "Changing the catalog (add, remove, edit, tag, untag, undo, approve, reject, pending, history) needs a "
    "stable id listed in WHYGO_ADMINS, on every platform alike.";

Reply run(const Request& request, std::string_view, Services& services) {
  // Only this platform's ids, and only those that count in this tenant: nobody learns other
  // platforms' or other workspaces' user ids here.
  std::string listed;
  for (const auto& user : services.admins.users_on(request.platform, request.tenant))
    listed += (listed.empty() ? "" : ", ") + user;
  std::string text = listed.empty() ? "No admins are configured for " + request.platform + " (WHYGO_ADMINS)."
                                    : "Configured admins on " + request.platform + ": " + listed + ".";
  text += std::string("\n") + rule;
  if (!request.admin_policy.empty()) text += "\n" + request.admin_policy;
  const std::string because = request.admin_reason.empty() ? "" : " because you " + request.admin_reason;
  if (request.is_admin)
    text += "\nYou are an admin" + because + ".";
  else if (request.manages_channel)
    text += "\nYou may manage the daily story here (subscribe, unsubscribe, subscriptions)" + because +
            "; you cannot change the catalog, but you can \"suggest\" links.";
  else
    text += "\nYou are not an admin; you can \"suggest\" links.";
  Reply reply = done(text);
  reply.names_people = request.is_admin && !listed.empty();
  return reply;
}

}  // namespace

Command admins() {
  return {.name = "admins",
          .aliases = {},
          .usage = "admins",
          .summary = "who may change the catalog here, and why",
          .admin_only = false,
          .writes = false,
          .run = run};
}

}  // namespace whygo::commands
