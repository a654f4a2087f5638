#include "adapters/discord/routes.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "adapters/discord/autocomplete.hpp"
#include "adapters/discord/components.hpp"
#include "adapters/discord/interactions.hpp"
#include "adapters/discord/limits.hpp"
#include "adapters/discord/render.hpp"
#include "adapters/discord/rest_api.hpp"
#include "adapters/discord/signature.hpp"
#include "bot/adapter.hpp"
#include "bot/limits.hpp"
#include "bot/request_context.hpp"

namespace whygo::discord {
namespace {

using nlohmann::json;
namespace dl = limits::discord;

struct State {
  State(AdapterServices& services_in, const DiscordConfig& config)
      : services(services_in),
        verifier(SignatureVerifier::from_hex_key(config.public_key)),
        rest(config, services_in.outbound, services_in.clock) {}
  AdapterServices& services;
  std::optional<SignatureVerifier> verifier;
  RestApi rest;
};

struct Answer {
  int status = 200;
  json body;         // null: no body
  std::string what;  // for the log line
};

Answer refuse(int status, std::string what) {
  return {status, nullptr, std::move(what)};
}

// Unix seconds as sent; a generous window (limits.hpp) so only old captures are refused.
bool fresh(std::string_view timestamp, const Clock& clock) {
  if (timestamp.empty() || timestamp.size() > 12) return false;
  long long seconds = 0;
  for (const char c : timestamp) {
    if (c < '0' || c > '9') return false;
    seconds = seconds * 10 + (c - '0');
  }
  const auto now = unix_seconds(clock);
  const auto window = std::chrono::duration_cast<std::chrono::seconds>(dl::signature_max_age).count();
  return seconds >= now - window && seconds <= now + window;
}

// A command and a "More" click differ in how they answer: a command posts a message (type 4, or
// 5 then the webhook); a click updates the message it sits on (type 7, or 6 then the webhook),
// and a failure goes to the clicker alone instead of replacing the results.
enum class Origin { command, button };

// What the public "thinking..." placeholder says for the moment between its edit and its
// deletion, when the answer turned out to be for the asker alone.
nlohmann::json placeholder_resolved() {
  return {{"content", "Answered privately."},
          {"embeds", nlohmann::json::array()},
          {"components", nlohmann::json::array()},
          {"allowed_mentions", {{"parse", nlohmann::json::array()}}}};
}

void follow_up(State& state, const Interaction& in, const Reply& reply, Origin origin) {
  const std::string app_id = in.application_id.empty() ? state.rest.config().application_id : in.application_id;
  OutboundResponse sent;
  if (origin == Origin::command && !is_ephemeral(reply)) {
    sent = state.rest.edit_original(app_id, in.token, render_message(reply, MessageKind::update));
  } else if (origin == Origin::button && reply.error == ErrorKind::none) {
    sent = state.rest.edit_original(app_id, in.token, render_message(reply, MessageKind::update));
  } else {
    // A private answer after a public deferral. A follow-up sent "directly after" a type 5 edits
    // the loading message instead and "the ephemeral flag will be ignored"
    // (https://discord.com/developers/docs/interactions/receiving-and-responding, "Create Followup Message"): the
    // channel would read the private text and the asker get nothing. So the placeholder is
    // resolved first, then the answer goes out as an ephemeral follow-up, then the placeholder
    // is removed. A button's deferral (type 6) has no placeholder: its follow-up is new anyway.
    if (origin == Origin::command) {
      sent = state.rest.edit_original(app_id, in.token, placeholder_resolved());
      if (!sent.ok()) {
        spdlog::warn("discord: deferred reply for interaction {} not delivered: placeholder not resolved: {}", in.id,
                     sent.status ? std::to_string(sent.status) : sent.error);
        return;
      }
    }
    sent = state.rest.create_followup(app_id, in.token, render_message(reply, MessageKind::new_message));
    if (origin == Origin::command && sent.ok()) sent = state.rest.delete_original(app_id, in.token);
  }
  if (!sent.ok())
    spdlog::warn("discord: deferred reply for interaction {} not delivered: {}", in.id,
                 sent.status ? std::to_string(sent.status) : sent.error);
}

Answer inline_answer(const Reply& reply, Origin origin) {
  if (origin == Origin::button && reply.error == ErrorKind::none)
    return {200, interaction_response(CallbackType::update_message, render_message(reply, MessageKind::update)), ""};
  return {200, interaction_response(CallbackType::channel_message, render_message(reply, MessageKind::new_message)),
          ""};
}

// Answers at once what the dispatcher answers from memory (a search, help). Anything else runs on
// the background queue, and the request waits up to the inline budget. In time: the
// reply goes back in the HTTP answer. Late: the answer is "deferred" (Discord's 3-second rule,
// https://discord.com/developers/docs/interactions/receiving-and-responding), and the job sends the reply through the
// webhook.
Answer run_command(const std::shared_ptr<State>& state, const Interaction& in, Request request, Origin origin,
                   std::optional<MoreResults> more = std::nullopt) {
  struct Pending {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool deferred = false;
    Reply reply;
  };
  if (!more) {
    if (const auto at_once = state->services.dispatcher.handle_from_memory(request)) {
      Answer answer = inline_answer(*at_once, origin);
      answer.what = at_once->command + " " + std::string(to_string(at_once->error));
      return answer;
    }
  }
  auto pending = std::make_shared<Pending>();
  auto job = [state, pending, in, request = std::move(request), origin, more = std::move(more)] {
    Reply reply;
    try {
      // A click pages what the button names and nothing else (bot/more.hpp).
      reply = more ? state->services.dispatcher.page(request, *more) : state->services.dispatcher.handle(request);
    } catch (const std::exception& e) {
      spdlog::error("discord: dispatch failed: {}", e.what());
      reply = Reply::failure(ErrorKind::internal, "Something went wrong on our side; please try again later.");
    }
    {
      std::lock_guard lock(pending->mutex);
      if (!pending->deferred) {
        pending->reply = std::move(reply);
        pending->done = true;
        pending->done_cv.notify_one();
        return;
      }
    }
    try {
      follow_up(*state, in, reply, origin);
    } catch (const std::exception& e) {
      spdlog::error("discord: follow-up failed: {}", e.what());
    }
  };
  if (!state->services.background.post(job)) job();  // stopping: answer inline, however long

  std::unique_lock lock(pending->mutex);
  if (pending->done_cv.wait_for(lock, dl::inline_answer_budget, [&] { return pending->done; })) {
    Answer answer = inline_answer(pending->reply, origin);
    answer.what = pending->reply.command + " " + std::string(to_string(pending->reply.error));
    return answer;
  }
  pending->deferred = true;
  return {200,
          interaction_response(origin == Origin::command ? CallbackType::deferred_channel_message
                                                         : CallbackType::deferred_update_message),
          "deferred"};
}

Answer ephemeral_text(std::string text, std::string what) {
  return {200,
          interaction_response(
              CallbackType::channel_message,
              render_message(Reply::failure(ErrorKind::bad_request, std::move(text)), MessageKind::new_message)),
          std::move(what)};
}

Answer answer(const std::shared_ptr<State>& state, const httplib::Request& req) {
  // Verify before anything else touches the body (https://discord.com/developers/docs/interactions/overview: "If the
  // signature fails validation, your app should respond with a 401").
  if (!state->verifier) return refuse(401, "no usable DISCORD_PUBLIC_KEY");
  const std::string signature = req.get_header_value("X-Signature-Ed25519");
  const std::string timestamp = req.get_header_value("X-Signature-Timestamp");
  if (signature.empty() || timestamp.empty()) return refuse(401, "unsigned");
  if (!state->verifier->verify(signature, timestamp, req.body)) return refuse(401, "bad signature");
  if (!fresh(timestamp, state->services.clock)) return refuse(401, "stale timestamp");

  const auto in = parse_interaction(req.body);
  if (!in) return refuse(400, "malformed interaction");
  const AdminList& admins = state->services.admins;

  switch (static_cast<InteractionType>(in->type)) {
    case InteractionType::ping:
      // Answered inline with 200 and {"type":1} (https://discord.com/developers/docs/interactions/overview,
      // "Acknowledging PING").
      return {200, interaction_response(CallbackType::pong), "ping"};
    case InteractionType::application_command: {
      if (in->command_name != "whygo") return ephemeral_text("Unknown command; try /whygo.", "unknown command");
      Request request = to_request(*in, admins, in->query, 0);
      // Each interaction has its own id; a replayed capture repeats it (and its signature), and
      // then runs no write again (https://discord.com/developers/docs/interactions/receiving-and-responding).
      request.replay_key = in->id.empty() ? signature : "interaction:" + in->id;
      return run_command(state, *in, std::move(request), Origin::command);
    }
    case InteractionType::autocomplete:
      return {200,
              interaction_response(CallbackType::autocomplete_result,
                                   {{"choices", autocomplete_choices(state->services.search, in->query)}}),
              "autocomplete"};
    case InteractionType::message_component: {
      const auto more = parse_more_custom_id(in->custom_id);
      if (!more) return ephemeral_text("This button no longer works; ask /whygo again.", "unknown button");
      return run_command(state, *in, to_request(*in, admins, {}, 0), Origin::button, *more);
    }
    default:
      return refuse(400, "unsupported interaction type " + std::to_string(in->type));
  }
}

}  // namespace

void mount(HttpServer& http, AdapterServices& services, const DiscordConfig& config) {
  httplib::Server& server = http.routes();
  auto state = std::make_shared<State>(services, config);
  if (!state->verifier)
    spdlog::error(
        "discord: DISCORD_PUBLIC_KEY is not 64 hex characters of an Ed25519 key (Developer Portal > "
        "General Information > Public Key); every interaction will be refused");
  if (config.application_id.empty())
    spdlog::warn("discord: DISCORD_APPLICATION_ID is not set; deferred replies use the id each interaction carries");
  spdlog::info("discord: interactions endpoint at POST /discord/interactions");

  server.Post("/discord/interactions", [state](const httplib::Request& req, httplib::Response& res) {
    Answer result;
    try {
      result = answer(state, req);
    } catch (const std::exception& e) {
      spdlog::error("discord: interaction failed: {}", e.what());
      result = refuse(500, "internal error");
    } catch (...) {
      spdlog::error("discord: interaction failed");
      result = refuse(500, "internal error");
    }
    res.status = result.status;
    // The dispatcher may run on a background thread: the command and outcome go in the note.
    if (!result.what.empty()) request_context::set_note("answer=\"" + result.what + "\"");
    if (!result.body.is_null())
      res.set_content(to_wire(result.body), "application/json");
    else
      res.set_content(result.status == 401 ? "invalid request signature\n" : "refused\n", "text/plain");
  });
}

}  // namespace whygo::discord
