// "admins": who may change the catalog here, and why.
#include "builtin.hpp"
#include "curation.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  std::string listed;
  const std::string prefix = request.platform + ":";
  for (const auto& admin : services.admins)
    if (admin.rfind(prefix, 0) == 0) listed += (listed.empty() ? "" : ", ") + admin.substr(prefix.size());
  std::string text = listed.empty() ? "No admins are configured for " + request.platform + " (WHYGO_ADMINS)."
                                    : "Configured admins on " + request.platform + ": " + listed + ".";
  if (request.platform == "discord")
    text += "\nMembers with the Administrator or Manage Server permission are admins of their server too.";
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
