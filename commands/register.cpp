#include "bot/dispatcher.hpp"
#include "commands/builtin.hpp"

namespace whygo::commands {

void register_all(Dispatcher& dispatcher) {
  dispatcher.add(search());
  dispatcher.add(random());
  dispatcher.add(story());
  dispatcher.add(sections());
  dispatcher.add(list());
  dispatcher.add(stats());
  dispatcher.add(suggest());
  dispatcher.add(admins());
  dispatcher.add(help());
  dispatcher.add(add());
  dispatcher.add(remove());
  dispatcher.add(edit());
  dispatcher.add(tag());
  dispatcher.add(untag());
  dispatcher.add(undo());
  dispatcher.add(history());
  dispatcher.add(pending());
  dispatcher.add(approve());
  dispatcher.add(reject());
  dispatcher.add(subscribe());
  dispatcher.add(unsubscribe());
  dispatcher.add(subscriptions());
  dispatcher.add(fixes());
  dispatcher.add(accept());
  dispatcher.add(sync());
  dispatcher.set_default(search());
}

}  // namespace whygo::commands
