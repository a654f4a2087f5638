// "help": generated from the registry; admin commands are listed only to admins.
#include "commands/builtin.hpp"

namespace whygo::commands {
namespace {

Reply run(const Request& request, std::string_view, Services& services) {
  std::string text =
      "Ask why teams chose Go: type a company, a person or a topic, e.g. \"docker\", "
      "\"rob pike\", \"concurrency\".\n";
  bool admin_header = false;
  for (const bool admin : {false, true}) {
    if (admin && !request.is_admin && !request.manages_channel) break;
    for (const auto& command : *services.commands) {
      if (command.admin_only != admin) continue;
      if (admin && !request.is_admin && !command.channel_scope) continue;  // a channel's manager
      if (admin && !admin_header) {
        text += "Admin commands:\n";
        admin_header = true;
      }
      text += "  " + command.usage + " - " + command.summary + "\n";
    }
  }
  text.pop_back();
  return Reply::message(text);
}

}  // namespace

Command help() {
  return {.name = "help",
          .aliases = {"?", "commands"},
          .usage = "help",
          .summary = "this list",
          .admin_only = false,
          .writes = false,
          .from_memory = [](Services&) { return true; },
          .run = run};
}

}  // namespace whygo::commands
