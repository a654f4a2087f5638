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
namespace upstream {
class Syncer;
}

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
  LinkHealthBook* health = nullptr;                // link health (stats, fixes, accept); null: not kept
  // Following the upstream wiki page (the fetch is wired in by the composition root); null
  // where no fetcher is, and `sync` says so.
  upstream::Syncer* upstream = nullptr;
};

struct Command {
  std::string name;
  std::vector<std::string> aliases;
  std::string usage;    // "list <section>"
  std::string summary;  // one line for help
  // Catalog admins only (Request::is_admin)...
  bool admin_only = false;
  // ...or, with this, also whoever manages the channel it is asked in (Request::manages_channel):
  // commands that touch only that channel.
  bool channel_scope = false;
  // Changes what is stored: runs at most once per signed request (Request::replay_key), and is
  // rate-limited per user unless `rate_limited` is off (rejections only clear work).
  bool writes = false;
  bool rate_limited = true;
  // Its replies may carry "More": a click runs it again with the same words and the next offset
  // (Dispatcher::page). Only for commands that read, never for admin-only ones.
  bool pages = false;
  // Says when the command answers from memory alone (help; a search once the index holds the
  // catalog's latest version): the adapters then run it on the request's own thread rather than
  // through the background queue, which costs two thread wake-ups a request. Null: never.
  std::function<bool(Services&)> from_memory = nullptr;
  // args: the text after the command word, trimmed.
  std::function<Reply(const Request&, std::string_view args, Services&)> run;
};

}  // namespace whygo
