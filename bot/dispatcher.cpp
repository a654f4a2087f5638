#include "dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "limits.hpp"
#include "text.hpp"

namespace whygo {

Dispatcher::Dispatcher(Store& store, Search& search, const Clock& clock)
    : store_(store), search_(search), clock_(clock) {}

void Dispatcher::add(Command command) { commands_.push_back(std::move(command)); }

void Dispatcher::set_default(Command command) { default_ = std::move(command); }

const Command* Dispatcher::find(std::string_view word) const {
  const std::string lowered = text::lower_ascii(word);
  for (const auto& command : commands_) {
    if (command.name == lowered) return &command;
    if (std::find(command.aliases.begin(), command.aliases.end(), lowered) != command.aliases.end()) return &command;
  }
  return nullptr;
}

Reply Dispatcher::handle(const Request& request) {
  std::string_view input = text::trim(text::utf8_prefix(request.text, limits::query_max_bytes));
  const std::size_t space = input.find_first_of(" \t\n");
  const std::string_view first = input.substr(0, space);
  const std::string_view rest = space == std::string_view::npos ? std::string_view() : text::trim(input.substr(space));
  if (input.empty()) {
    if (const Command* help = find("help")) return run(*help, request, {});
  }
  if (const Command* command = find(first)) return run(*command, request, rest);
  if (default_.run) return run(default_, request, input);
  return Reply::failure(ErrorKind::bad_request, "Unknown command. Try \"help\".");
}

Reply Dispatcher::run(const Command& command, const Request& request, std::string_view args) {
  Reply reply;
  if (command.admin_only && !request.is_admin) {
    reply = Reply::failure(ErrorKind::forbidden, "Only admins can use \"" + command.name +
                                                     "\"; ask an admin of this workspace.");
  } else {
    try {
      Services services{store_, search_, clock_, commands_};
      reply = command.run(request, args, services);
    } catch (const std::exception& e) {
      spdlog::error("command {} failed: {}", command.name, e.what());
      reply = Reply::failure(ErrorKind::internal, "Something went wrong on our side; please try again later.");
    }
  }
  reply.command = command.name;
  return reply;
}

}  // namespace whygo
