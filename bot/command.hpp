// A chat command: plain logic from a Request to a Reply. Commands know no HTTP and no platform;
// each lives in a file of its own and is registered with the dispatcher.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/admins.hpp"
#include "bot/reply.hpp"
#include "bot/request.hpp"
#include "bot/store_roles.hpp"

namespace whygo {

struct Command;
class Search;
class Clock;

// What a command may use: roles of the store, search, the clock and the configured admins.
struct Services {
  CatalogReader& catalog;
  Curation& curation;
  StoryBook& stories;
  Subscriptions& subscriptions;
  Search& search;
  const Clock& clock;
  const AdminList& admins;
  const std::vector<Command>* commands = nullptr;  // the registry, for help; set by the dispatcher
};

struct Command {
  std::string name;
  std::vector<std::string> aliases;
  std::string usage;    // "list <section>"
  std::string summary;  // one line for help
  bool admin_only = false;
  bool writes = false;  // changes the catalog: rate-limited per user
  // args: the text after the command word, trimmed.
  std::function<Reply(const Request&, std::string_view args, Services&)> run;
};

}  // namespace whygo
