#include "adapters/slack/routes.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "adapters/slack/events.hpp"
#include "adapters/slack/form.hpp"
#include "adapters/slack/limits.hpp"
#include "adapters/slack/oauth.hpp"
#include "adapters/slack/render.hpp"
#include "adapters/slack/signature.hpp"
#include "adapters/slack/text.hpp"
#include "adapters/slack/web_api.hpp"
#include "adapters/slack/workspaces.hpp"
#include "bot/json_fields.hpp"
#include "bot/log_text.hpp"
#include "bot/request_context.hpp"

namespace whygo::slack {
namespace {

using nlohmann::json;

struct Slack {
  AdapterServices& services;
  SlackConfig config;
  WebApi api;
  Workspaces workspaces;
  // The Web API as the bot of this workspace: its own token, or SLACK_BOT_TOKEN.
  WebApi api_for(const std::string& team) const { return api.with_token(workspaces.token_for(team)); }
};

constexpr const char* json_type = "application/json; charset=utf-8";

void refuse(httplib::Response& res, int status, std::string_view why) {
  res.status = status;
  res.set_content(std::string(why) + "\n", "text/plain");
}

using json_fields::object_at;
using json_fields::string_at;

// Slack's reachability probe for public apps: a form body "ssl_check=1&token=..." with no
// signature headers at all (bolt-js#1397). It wants a 200 and nothing else, so it is answered
// before verification and nothing in it is read further.
bool is_ssl_check(const std::optional<Form>& form) {
  return form && form->value("ssl_check") == "1";
}

// "If you couldn't verify the request payload, your app should return an error instead and
// ignore the request" (Slack, slash commands); 401 as the Bolts answer. One log line, no secrets.
bool verified(const Slack& slack, const httplib::Request& req, httplib::Response& res) {
  const SignatureCheck check = verify(slack.config.signing_secret, req.get_header_value("X-Slack-Request-Timestamp"),
                                      req.get_header_value("X-Slack-Signature"), req.body, slack.services.clock.now());
  if (check == SignatureCheck::ok) return true;
  spdlog::warn("slack: {} refused with 401: {}", log_text::field(req.path), to_string(check));
  refuse(res, 401, "unauthorized");
  return false;
}

Request slack_request(const Slack& slack, std::string team, std::string channel, std::string user, std::string text,
                      std::size_t offset = 0) {
  Request request;
  request.platform = "slack";
  // "slack:T0123/U0456" counts only in the workspace T0123; a bare "slack:U0456" everywhere.
  request.is_admin = slack.services.admins.listed("slack", user, team);
  request.manages_channel = request.is_admin;
  if (request.is_admin) request.admin_reason = "are listed in WHYGO_ADMINS";
  request.admin_policy = "An entry of WHYGO_ADMINS may name its workspace (slack:T0123/U0456); it counts only there.";
  request.tenant = std::move(team);
  request.channel = std::move(channel);
  request.user = std::move(user);
  request.text = std::move(text);
  request.offset = offset;
  // chat:write.public lets the bot post in any public channel; a private channel or a direct
  // message needs it invited first (https://docs.slack.dev/reference/scopes/chat.write.public),
  // which the bot cannot check without more scopes.
  request.posting_advice =
      "If this is a private channel, invite me first (/invite @whygo) or the story cannot be posted; in a direct "
      "message, only the one with whygo itself can get it.";
  return request;
}

// Expected failures are answers; anything unexpected is logged and becomes a 500 here rather than
// escaping into the server.
template <typename Handler>
httplib::Server::Handler guarded(std::shared_ptr<Slack> slack, Handler handler) {
  return [slack = std::move(slack), handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(slack, req, res);
    } catch (const std::exception& e) {
      spdlog::error("slack: {} failed: {}", req.path, e.what());
      refuse(res, 500, "internal error");
    }
  };
}

// A slash command's answer whatever went wrong: "The status code returned as a response to the
// command should only be used to indicate whether or not the request URL successfully received
// the data payload" (https://docs.slack.dev/interactivity/implementing-slash-commands).
Reply apology() {
  return Reply::failure(ErrorKind::internal, "Something went wrong on our side; please try again later.");
}

// Runs a dispatcher call; whatever escapes it becomes an apology, never a 500.
template <class Call>
Reply answered(Call&& call) {
  try {
    return call();
  } catch (const std::exception& e) {
    spdlog::error("slack: command failed: {}", e.what());
  } catch (...) {
    spdlog::error("slack: command failed");
  }
  return apology();
}

// POST /slack/commands: "/whygo docker". Slack shows an error unless it has an answer "within
// 3000 milliseconds" (https://docs.slack.dev/interactivity/implementing-slash-commands). A command
// that answers from memory (a search, help) runs here; anything that may wait on the store runs on
// the background queue, and an answer ready within the inline budget goes back in the HTTP
// response (search results in_channel, everything else ephemeral). Later, the command is
// acknowledged with an empty 200 and the answer is POSTed to response_url.
void on_command(const std::shared_ptr<Slack>& self, const httplib::Request& req, httplib::Response& res) {
  Slack& slack = *self;
  // Parsed once; nothing in it but the check ping's flag is read before the signature holds.
  const auto form = Form::parse(req.body);
  if (is_ssl_check(form)) return;  // 200, empty
  if (!verified(slack, req, res)) return;
  if (!form) return refuse(res, 400, "malformed form body");
  const std::string team = form->value("team_id");
  const std::string channel = form->value("channel_id");
  const std::string user = form->value("user_id");
  if (team.empty() || channel.empty() || user.empty())
    return refuse(res, 400, "team_id, channel_id and user_id are required");
  struct Pending {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool late = false;
    Reply reply;
  };
  auto pending = std::make_shared<Pending>();
  // Text arrives Slack-formatted (links wrapped in <...>, "&" as "&amp;"): decoded here, so the
  // commands see what the person typed.
  Request request = slack_request(slack, team, channel, user, decode_text(form->value("text")));
  // A replayed capture is byte for byte the same request, so it carries the same signature: a
  // write runs once per signature (kept longer than the five minutes a timestamp is accepted).
  request.replay_key = req.get_header_value("X-Slack-Signature");
  if (const auto at_once = slack.services.dispatcher.handle_from_memory(request)) {
    request_context::set_note("team=" + log_text::field(team) + " channel=" + log_text::field(channel) +
                              " outcome=" + std::string(to_string(at_once->error)));
    res.set_content(message_json(*at_once), json_type);
    return;
  }
  auto job = [self, pending, request = std::move(request), response_url = form->value("response_url")] {
    Reply reply = answered([&] { return self->services.dispatcher.handle(request); });
    {
      std::lock_guard lock(pending->mutex);
      if (!pending->late) {
        pending->reply = std::move(reply);
        pending->done = true;
        pending->done_cv.notify_one();
        return;
      }
    }
    spdlog::info("slack: late answer {} for {}/{}: {}", reply.command, log_text::field(request.tenant),
                 log_text::field(request.channel), to_string(reply.error));
    self->api.respond(response_url, message(reply));
  };
  if (!slack.services.background.post(job)) job();  // stopping: answer inline, however long
  std::unique_lock lock(pending->mutex);
  if (!pending->done_cv.wait_for(lock, limits::slack::inline_answer_budget, [&] { return pending->done; })) {
    pending->late = true;
    request_context::set_note("team=" + log_text::field(team) + " channel=" + log_text::field(channel) +
                              " outcome=late");
    return;  // 200, empty: the acknowledgement
  }
  const Reply& reply = pending->reply;
  request_context::set_note("team=" + log_text::field(team) + " channel=" + log_text::field(channel) +
                            " outcome=" + std::string(to_string(reply.error)));
  res.set_content(message_json(reply), json_type);
}

// The slash command route: whatever escapes still answers 200, privately.
httplib::Server::Handler command_route(std::shared_ptr<Slack> slack) {
  return [slack = std::move(slack)](const httplib::Request& req, httplib::Response& res) {
    try {
      on_command(slack, req, res);
      return;
    } catch (const std::exception& e) {
      spdlog::error("slack: {} failed: {}", req.path, e.what());
    } catch (...) {
      spdlog::error("slack: {} failed", req.path);
    }
    res.status = 200;
    res.set_content(message_json(apology()), json_type);
  };
}

// POST /slack/interactions: the "More" button (block_actions). The ack must be an empty 200
// within 3 s ("block actions don't accept any value in the ack response", bolt-js); the next page
// replaces the message through its response_url from the background queue.
void on_interaction(const std::shared_ptr<Slack>& self, const httplib::Request& req, httplib::Response& res) {
  Slack& slack = *self;
  const auto form = Form::parse(req.body);
  if (is_ssl_check(form)) return;
  if (!verified(slack, req, res)) return;
  if (!form) return refuse(res, 400, "malformed form body");
  const std::string* raw_payload = form->find("payload");
  if (!raw_payload) return refuse(res, 400, "no payload");
  const json payload = json::parse(*raw_payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return refuse(res, 400, "payload is not a JSON object");
  if (string_at(payload, "type") != "block_actions") return;  // nothing else is ours: ack and ignore
  const auto actions = payload.find("actions");
  if (actions == payload.end() || !actions->is_array()) return refuse(res, 400, "block_actions without actions");
  const json* more_action = nullptr;
  for (const json& action : *actions)
    if (string_at(action, "action_id") == more_action_id) more_action = &action;
  if (!more_action) return;
  const auto more = parse_more_value(string_at(*more_action, "value"));
  const std::string response_url = string_at(payload, "response_url");
  std::string channel = string_at(object_at(payload, "channel"), "id");
  if (channel.empty()) channel = string_at(object_at(payload, "container"), "channel_id");
  std::string team = string_at(object_at(payload, "team"), "id");
  const std::string user = string_at(object_at(payload, "user"), "id");
  if (team.empty()) team = string_at(object_at(payload, "user"), "team_id");
  if (!more || response_url.empty() || user.empty()) return refuse(res, 400, "malformed More action");
  Request request = slack_request(slack, team, channel, user, {});
  const bool queued = slack.services.background.post([self, request = std::move(request), more = *more, response_url] {
    Slack& slack = *self;  // the job holds the adapter alive
    const Reply reply = answered([&] { return slack.services.dispatcher.page(request, more); });
    json answer = message(reply);
    // The next page takes the place of the old one; a refusal ("no more results") is said to the
    // clicker alone and leaves the results in place.
    const bool page = reply.error == ErrorKind::none;
    answer["replace_original"] = page;
    if (!page) answer["response_type"] = "ephemeral";
    spdlog::info("slack: more {} offset {}: {}", reply.command, more.offset, to_string(reply.error));
    slack.api.respond(response_url, answer);
  });
  if (!queued) refuse(res, 503, "shutting down");
}

// POST /slack/events: url_verification answers the challenge; app_mention is acked at once and
// answered in its thread with chat.postMessage from the background queue. Slack redelivers an
// event it thinks failed ("up to 3 times", X-Slack-Retry-Num) with the same event_id, so each id
// is answered once, recorded in the store so that holds across restarts.
void on_event(const std::shared_ptr<Slack>& self, const httplib::Request& req, httplib::Response& res) {
  Slack& slack = *self;
  if (!verified(slack, req, res)) return;  // url_verification is signed too (Bolts verify it first)
  const json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return refuse(res, 400, "body is not a JSON object");
  const std::string type = string_at(body, "type");
  if (type == "url_verification") {
    const std::string challenge = string_at(body, "challenge");
    if (challenge.empty()) return refuse(res, 400, "url_verification without a challenge");
    return res.set_content(json{{"challenge", challenge}}.dump(), json_type);
  }
  if (type == "app_rate_limited") {
    spdlog::warn("slack: Slack is holding back events for team {} (app_rate_limited)", string_at(body, "team_id"));
    return;
  }
  if (type != "event_callback") return;  // acknowledged, nothing to do
  const json& event = object_at(body, "event");
  const std::string event_id = string_at(body, "event_id");
  if (event_id.empty() || event.empty()) return refuse(res, 400, "event_callback without event or event_id");
  const std::string event_type = string_at(event, "type");
  // The workspace removed the app (https://docs.slack.dev/reference/events/app_uninstalled), or
  // revoked the bot's token (https://docs.slack.dev/reference/events/tokens_revoked, which lists
  // the revoked bot tokens' user ids under tokens.bot): its token is forgotten and its daily
  // stories wait until it installs whygo again.
  if (event_type == "app_uninstalled" || event_type == "tokens_revoked") {
    const std::string team = string_at(body, "team_id");
    if (team.empty()) return refuse(res, 400, "event without team_id");
    if (event_type == "tokens_revoked") {
      const std::string bot_user = slack.workspaces.bot_user(team);
      const json& bots = object_at(object_at(event, "tokens"), "bot");
      bool ours = false;
      if (bots.is_array())
        for (const json& id : bots) ours = ours || (id.is_string() && !bot_user.empty() && id == bot_user);
      if (!ours) return;  // a user's token, or another bot's: not ours to forget
    }
    const bool had = slack.workspaces.uninstall(team);
    spdlog::info("slack: {} in workspace {}: {}", event_type, log_text::field(team),
                 had ? "its token is deleted, its daily stories paused" : "it had no token of its own");
    return;
  }
  if (event_type != "app_mention") return;
  // Bots (this one included) mentioning us would start a loop; edits arrive with a subtype.
  if (event.contains("bot_id") || !string_at(event, "subtype").empty()) return;
  const std::string channel = string_at(event, "channel");
  const std::string user = string_at(event, "user");
  const std::string ts = string_at(event, "ts");
  if (channel.empty() || user.empty() || ts.empty()) return refuse(res, 400, "app_mention without channel, user or ts");
  const std::string retry = req.get_header_value("X-Slack-Retry-Num");
  SeenEvents& store = slack.services.seen;
  if (!store.first_sighting("slack", event_id, unix_seconds(slack.services.clock))) {
    spdlog::info("slack: event {} already handled (retry {})", event_id, retry.empty() ? "none" : retry);
    return;
  }
  // Slack has also redelivered one message under new event ids (node-slack-sdk#2141); the
  // message's own id (channel, ts) catches that.
  if (!store.first_sighting("slack", "message:" + channel + ":" + ts, unix_seconds(slack.services.clock))) {
    spdlog::info("slack: message {} in {} already answered (event {})", ts, channel, event_id);
    return;
  }
  const std::string in_thread = string_at(event, "thread_ts");
  Request request =
      slack_request(slack, string_at(body, "team_id"), channel, user, mention_command_text(string_at(event, "text")));
  const bool queued = slack.services.background.post([self, request = std::move(request), ts, in_thread] {
    Slack& slack = *self;  // the job holds the adapter alive
    const Reply reply = answered([&] { return slack.services.dispatcher.handle(request); });
    spdlog::info("slack: mention {} in {}/{}: {}", reply.command, request.tenant, request.channel,
                 to_string(reply.error));
    const json answer = message(reply);
    const WebApi api = slack.api_for(request.tenant);
    if (answer.value("response_type", "") == "in_channel") {
      api.post_message(request.channel, answer, in_thread.empty() ? ts : in_thread);  // a thread under it
    } else {
      // Help, errors and admin confirmations are the asker's alone, as a slash command's are;
      // in a thread only when the mention was in one (an ephemeral message shows in a thread
      // "only if there is already an active thread").
      api.post_ephemeral(request.channel, request.user, answer, in_thread);
    }
  });
  if (!queued) spdlog::warn("slack: event {} dropped: shutting down", event_id);
}

}  // namespace

void mount(HttpServer& http, AdapterServices& services, const SlackConfig& config) {
  httplib::Server& server = http.routes();
  auto slack = std::make_shared<Slack>(
      Slack{services, config, WebApi(config, services.outbound), Workspaces(config, services.installations)});
  post_raw(server, "/slack/commands", command_route(slack));
  post_raw(server, "/slack/events", guarded(slack, on_event));
  post_raw(server, "/slack/interactions", guarded(slack, on_interaction));
  mount_oauth(http, services, config);
  spdlog::info("slack: adapter on: POST /slack/commands, /slack/events, /slack/interactions");
  if (config.bot_token.empty() && !config.oauth_enabled())
    spdlog::warn("slack: SLACK_BOT_TOKEN is not set: mentions cannot be answered (slash commands still work)");
}

}  // namespace whygo::slack
