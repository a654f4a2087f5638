#include "bot/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/clock.hpp"
#include "bot/limits.hpp"
#include "bot/metrics.hpp"
#include "bot/request_context.hpp"
#include "bot/story.hpp"
#include "bot/text.hpp"

namespace whygo {

Dispatcher::Dispatcher(Services services, SeenEvents& seen, WriteLimits& writes)
    : services_(services), seen_(seen), writes_(writes) {
  services_.commands = &commands_;
}

void Dispatcher::add(Command command) {
  commands_.push_back(std::move(command));
}

void Dispatcher::set_default(Command command) {
  default_ = std::move(command);
}

const Command* Dispatcher::find(std::string_view word) const {
  const std::string lowered = text::lower_ascii(word);
  for (const auto& command : commands_) {
    if (command.name == lowered) return &command;
    if (std::find(command.aliases.begin(), command.aliases.end(), lowered) != command.aliases.end()) return &command;
  }
  return nullptr;
}

std::chrono::milliseconds Dispatcher::take_write(const Request& request) {
  const WriteAllowance allowance{limits::write_burst,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(limits::write_refill)};
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(services_.clock.now().time_since_epoch());
  return writes_.take_write(request.platform + ":" + request.user, allowance, now.count());
}

Reply Dispatcher::handle(const Request& request) {
  Reply reply = answer(request);
  tell_failed_post(request, reply);
  return reply;
}

std::optional<Reply> Dispatcher::handle_from_memory(const Request& request) {
  if (request.text.size() > limits::command_max_bytes) return std::nullopt;
  std::string_view args;
  const Command* command = route(request, args);
  if (command == nullptr || !command->from_memory || !command->from_memory(services_)) return std::nullopt;
  if (!request.channel.empty()) {
    std::lock_guard lock(told_mutex_);
    if (failed_post_due(request.platform + "\n" + request.channel, std::chrono::steady_clock::now()))
      return std::nullopt;
  }
  return run(*command, request, args);
}

// Under told_mutex_.
bool Dispatcher::failed_post_due(const std::string& channel_key, std::chrono::steady_clock::time_point now) {
  const auto it = post_checked_.find(channel_key);
  return it == post_checked_.end() || now - it->second >= limits::failed_post_recheck;
}

void Dispatcher::tell_failed_post(const Request& request, Reply& reply) {
  if (request.channel.empty() || reply.command == "subscriptions") return;  // that one lists it anyway
  const std::string channel_key = request.platform + "\n" + request.channel;
  {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(told_mutex_);
    if (!failed_post_due(channel_key, now)) return;
    if (post_checked_.size() >= limits::failed_post_channels_max) post_checked_.clear();
    post_checked_[channel_key] = now;
  }
  std::optional<PostClaim> last;
  try {
    last = services_.subscriptions.last_post(request.platform, request.channel);
  } catch (const std::exception& e) {
    spdlog::warn("cannot read the last daily post of {} {}: {}", request.platform, request.channel, e.what());
    return;
  }
  if (!last) return;
  const std::string note = failed_post_note(*last);
  if (note.empty()) return;
  {
    std::lock_guard lock(told_mutex_);
    if (!told_.insert(channel_key + "\n" + std::to_string(last->local_date)).second) return;
  }
  reply.note += (reply.note.empty() ? "" : " ") + note;
}

Reply Dispatcher::answer(const Request& request) {
  if (request.text.size() > limits::command_max_bytes)
    return Reply::failure(ErrorKind::bad_request, "That message is too long for whygo (" +
                                                      std::to_string(request.text.size()) + " bytes; at most " +
                                                      std::to_string(limits::command_max_bytes) + ").");
  std::string_view args;
  if (const Command* command = route(request, args)) return run(*command, request, args);
  return Reply::failure(ErrorKind::bad_request, "Unknown command. Try \"help\".");
}

const Command* Dispatcher::route(const Request& request, std::string_view& args) const {
  const std::string_view input = text::trim(request.text);
  const std::size_t space = input.find_first_of(" \t\n");
  const std::string_view first = input.substr(0, space);
  args = space == std::string_view::npos ? std::string_view() : text::trim(input.substr(space));
  if (input.empty()) {
    if (const Command* help = find("help")) return help;
  }
  if (const Command* command = find(first)) return command;
  args = input;
  return default_.run ? &default_ : nullptr;
}

// The same signed request again (a capture replayed inside the platform's time window): its key
// was recorded when it first ran a write.
bool Dispatcher::replayed(const Request& request) {
  if (request.replay_key.empty()) return false;
  return !seen_.first_sighting(request.platform + "-request", request.replay_key, unix_seconds(services_.clock));
}

Reply Dispatcher::page(const Request& request, const MoreResults& more) {
  const auto named = std::find_if(commands_.begin(), commands_.end(),
                                  [&](const Command& command) { return command.name == more.command; });
  if (named == commands_.end() || !named->pages || named->admin_only || named->writes) {
    Reply reply = Reply::failure(ErrorKind::bad_request, "This button no longer works; ask again.");
    reply.command = "more";
    request_context::set_command(reply.command);
    Metrics::global().count(
        "whygo_commands_total",
        {{"platform", request.platform}, {"command", reply.command}, {"outcome", std::string(to_string(reply.error))}});
    return reply;
  }
  // The words are only ever the command's arguments, and the click borrows nobody's rights.
  Request paged = request;
  paged.text = more.args;
  paged.offset = more.offset;
  paged.is_admin = false;
  paged.manages_channel = false;
  return run(*named, paged, text::trim(more.args));
}

Reply Dispatcher::run(const Command& command, const Request& request, std::string_view args) {
  Reply reply;
  const bool allowed = !command.admin_only || request.is_admin || (command.channel_scope && request.manages_channel);
  if (!allowed) {
    reply = Reply::failure(ErrorKind::forbidden,
                           command.channel_scope
                               ? "Only admins can use \"" + command.name + "\" here; \"admins\" says who may."
                               : "Only admins listed in WHYGO_ADMINS can use \"" + command.name +
                                     "\": it changes or shows the catalog's curation, which every platform "
                                     "shares. \"admins\" says who they are; \"suggest\" proposes a link.");
  } else {
    try {
      if (command.writes && replayed(request)) {
        spdlog::warn("{}: a replayed request for \"{}\" was refused", request.platform, command.name);
        reply = Reply::failure(ErrorKind::bad_request, "This request was handled already; nothing was changed again.");
      } else if (const auto wait =
                     command.writes && command.rate_limited ? take_write(request) : std::chrono::milliseconds(0);
                 wait.count() > 0) {
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
        reply = Reply::failure(ErrorKind::too_many_requests, "That is a lot of changes at once; please wait " +
                                                                 std::to_string(std::max<std::int64_t>(1, seconds)) +
                                                                 " seconds and try again.");
      } else {
        reply = command.run(request, args, services_);
      }
    } catch (const std::exception& e) {
      spdlog::error("command {} failed: {}", command.name, e.what());
      reply = Reply::failure(ErrorKind::internal, "Something went wrong on our side; please try again later.");
    }
  }
  reply.command = command.name;
  request_context::set_command(command.name);
  Metrics::global().count(
      "whygo_commands_total",
      {{"platform", request.platform}, {"command", command.name}, {"outcome", std::string(to_string(reply.error))}});
  return reply;
}

}  // namespace whygo
