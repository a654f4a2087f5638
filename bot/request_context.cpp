#include "bot/request_context.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace whygo::request_context {
namespace {
thread_local std::string current_id;
thread_local std::string current_command;
thread_local std::string current_note;
}  // namespace

std::string new_request_id() {
  static std::atomic<std::uint64_t> next{0};
  static const std::uint64_t prefix = std::random_device{}();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%08llx-%llu", static_cast<unsigned long long>(prefix & 0xFFFFFFFF),
                static_cast<unsigned long long>(++next));
  return buffer;
}

void begin(std::string request_id) {
  current_id = std::move(request_id);
  current_command.clear();
  current_note.clear();
}
const std::string& request_id() {
  return current_id;
}
void set_command(std::string_view command) {
  current_command = command;
}
const std::string& command() {
  return current_command;
}
void set_note(std::string note) {
  current_note = std::move(note);
}
const std::string& note() {
  return current_note;
}

}  // namespace whygo::request_context
