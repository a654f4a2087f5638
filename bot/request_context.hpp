// What the HTTP request being served did, for its log line and metrics. A request is served on
// one thread from start to end, so this is thread-local; whoever knows a fact sets it (the
// dispatcher knows the command).
#pragma once
#include <string>
#include <string_view>

namespace whygo::request_context {

void begin(std::string request_id);
// A new request id: unique in this process, unlikely to repeat across restarts.
std::string new_request_id();
const std::string& request_id();
void set_command(std::string_view command);
const std::string& command();
// More for the request's one log line ("team=T1 channel=C1 outcome=ok"), set by the adapter.
void set_note(std::string note);
const std::string& note();

}  // namespace whygo::request_context
