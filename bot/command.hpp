// A chat command: plain logic from a Request to a Reply. Commands know no HTTP and no platform;
// each lives in its own file under commands/ and is registered with the dispatcher.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "reply.hpp"

namespace whygo {

class Store;
class Search;
class Clock;
struct Command;

// What a command may use.
struct Services {
  Store& store;
  Search& search;
  const Clock& clock;
  const std::vector<Command>& commands;    // the registry, for help
  const std::vector<std::string>& admins;  // configured admins, "platform:user"
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
