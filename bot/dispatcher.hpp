// Reads the text after the platform's command name, finds the command in the registry, checks
// admin-only flags and runs it. Unknown first words fall through to search. Never throws.
#pragma once
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/command.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

class Dispatcher {
 public:
  // `seen` remembers the replay keys of requests that ran a write (Request::replay_key);
  // `writes` keeps each user's write allowance (limits::write_burst, limits::write_refill), in
  // the database, so replicas share it.
  Dispatcher(Services services, SeenEvents& seen, WriteLimits& writes);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void add(Command command);
  void set_default(Command command);  // runs when no command name matches (search)

  Reply handle(const Request& request);
  // handle(), when the request's command answers from memory (Command::from_memory) and nothing
  // else is due (the channel's last daily post was read recently); nullopt when it may wait on
  // the store, and the adapters run handle() on the background queue under their platform's
  // answer deadline.
  std::optional<Reply> handle_from_memory(const Request& request);
  // A "More" click: the next page of what more.command answered, with more.args as its words and
  // no rights of the clicker. Refused when the command does not page (or no longer exists).
  Reply page(const Request& request, const MoreResults& more);

  const std::vector<Command>& commands() const { return commands_; }
  const Command* find(std::string_view word) const;

 private:
  Reply answer(const Request& request);
  // The command a request names (help for none, search for unknown words) and its arguments;
  // null when none applies.
  const Command* route(const Request& request, std::string_view& args) const;
  // The channel's last daily post is to be read again (limits::failed_post_recheck).
  bool failed_post_due(const std::string& channel_key, std::chrono::steady_clock::time_point now);
  Reply run(const Command& command, const Request& request, std::string_view args);
  bool replayed(const Request& request);
  // Takes a write from the user's allowance: zero, or how long until they may write again.
  std::chrono::milliseconds take_write(const Request& request);
  // A failed daily post in the request's channel is told once, in the next reply there.
  void tell_failed_post(const Request& request, Reply& reply);

  std::vector<Command> commands_;
  Command default_;
  Services services_;
  SeenEvents& seen_;
  WriteLimits& writes_;
  std::mutex told_mutex_;
  std::set<std::string> told_;  // failed posts already told, by platform, channel and date
  // When each channel's last post was last read (limits::failed_post_recheck), under told_mutex_.
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> post_checked_;
};

}  // namespace whygo
