#include "../bot/dispatcher.hpp"
#include "builtin.hpp"

namespace whygo::commands {

void register_all(Dispatcher& dispatcher) {
  dispatcher.add(search());
  dispatcher.add(random());
  dispatcher.add(story());
  dispatcher.add(sections());
  dispatcher.add(list());
  dispatcher.add(stats());
  dispatcher.add(help());
  dispatcher.set_default(search());
}

}  // namespace whygo::commands
