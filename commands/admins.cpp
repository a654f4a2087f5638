// "admins": who may change the catalog here, and why.
#include "commands/builtin.hpp"
#include "commands/curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  std::string listed;
  for (const auto& user : services.admins.users_on(request.platform)) listed += (listed.empty() ? "" : ", ") + user;
  std::string text = listed.empty() ? "No admins are configured for " + request.platform + " (WHYGO_ADMINS)."
                                    : "Configured admins on " + request.platform + ": " + listed + ".";
  if (!request.admin_policy.empty()) text += "\n" + request.admin_policy;
  if (request.is_admin)
    text += "\nYou are an admin" +
            (request.admin_reason.empty() ? std::string(".") : " because you " + request.admin_reason + ".");
  else
    text += "\nYou are not an admin; you can \"suggest\" links.";
  return done(text);
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
