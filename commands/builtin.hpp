// The built-in chat commands, one file each.
#pragma once
#include "bot/command.hpp"

namespace whygo::commands {

Command search();
Command random();
Command story();
Command help();
Command sections();
Command list();
Command stats();
Command admins();
Command suggest();

// Admin commands: curation of the catalog.
Command add();
Command remove();
Command edit();
Command tag();
Command untag();
Command undo();
Command history();
Command pending();
Command approve();
Command reject();
Command subscribe();
Command unsubscribe();
Command subscriptions();
Command fixes();
Command accept();
Command sync();

// Registers every built-in command, with search as the default.
void register_all(class Dispatcher& dispatcher);

}  // namespace whygo::commands
