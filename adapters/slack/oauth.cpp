#include "adapters/slack/oauth.hpp"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <memory>
#include <stdexcept>

#include "adapters/slack/form.hpp"
#include "bot/json_fields.hpp"
#include "bot/log_text.hpp"
#include "bot/text.hpp"

namespace whygo::slack {
namespace {

using json_fields::object_at;
using json_fields::string_at;

constexpr const char* cookie_name = "whygo_slack_oauth";

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("OpenSSL: no random bytes");
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : raw) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

// A small page; every value in it is escaped.
void page(httplib::Response& res, int status, const std::string& title, const std::string& message) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", "default-src 'none'");
  res.set_content("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>whygo: " +
                      text::escape_html(title) + "</title></head>\n<body><h1>" + text::escape_html(title) +
                      "</h1>\n<p>" + text::escape_html(message) + "</p></body></html>\n",
                  "text/html; charset=utf-8");
}

std::string cookie_value(const httplib::Request& req) {
  const std::string header = req.get_header_value("Cookie");
  const std::string key = std::string(cookie_name) + "=";
  std::size_t at = 0;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
    const std::size_t end = header.find(';', at);
    const std::string_view pair = std::string_view(header).substr(at, end == std::string::npos ? end : end - at);
    if (pair.starts_with(key)) return std::string(pair.substr(key.size()));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

struct OAuth {
  OAuth(AdapterServices& s, const SlackConfig& c) : services(s), config(c), workspaces(c, s.installations) {}
  AdapterServices& services;
  SlackConfig config;
  Workspaces workspaces;
  StateBook states;
  std::string redirect_uri() const { return config.public_url + "/slack/oauth_redirect"; }
};

void on_install(OAuth& oauth, const httplib::Request&, httplib::Response& res) {
  const StateBook::Issued issued = oauth.states.issue(oauth.services.clock.now());
  const std::string location = oauth.config.authorize_url +
                               "?client_id=" + text::percent_encode(oauth.config.client_id) +
                               "&scope=" + text::percent_encode(bot_scopes) +
                               "&redirect_uri=" + text::percent_encode(oauth.redirect_uri()) + "&state=" + issued.state;
  const bool https = oauth.config.public_url.starts_with("https://");
  res.set_header("Set-Cookie", std::string(cookie_name) + "=" + issued.cookie +
                                   "; Path=/slack/; Max-Age=600; HttpOnly; SameSite=Lax" + (https ? "; Secure" : ""));
  res.set_header("Cache-Control", "no-store");
  res.set_redirect(location, 302);
}

// oauth.v2.access: client_id and client_secret as form fields, with the code and the same
// redirect_uri (https://docs.slack.dev/reference/methods/oauth.v2.access).
void on_redirect(OAuth& oauth, const httplib::Request& req, httplib::Response& res) {
  const std::string state = req.get_param_value("state");
  const StateBook::Check check = oauth.states.redeem(state, cookie_value(req), oauth.services.clock.now());
  if (check != StateBook::Check::ok) {
    spdlog::warn("slack: install refused: {} state", check == StateBook::Check::expired         ? "expired"
                                                     : check == StateBook::Check::other_browser ? "another browser's"
                                                                                                : "unknown or used");
    return page(res, 400, "Installation not done",
                check == StateBook::Check::expired
                    ? "This installation link is more than 10 minutes old. Start again from Add to Slack."
                    : "This installation link is not valid here (used already, or started in another browser). "
                      "Start again from Add to Slack.");
  }
  if (const std::string error = req.get_param_value("error"); !error.empty()) {
    spdlog::info("slack: install declined: {}", log_text::field(error));
    return page(res, 400, "Installation cancelled",
                "Slack said: " + error + ". Nothing was installed; you can start again from Add to Slack.");
  }
  const std::string code = req.get_param_value("code");
  if (code.empty())
    return page(res, 400, "Installation not done", "Slack sent no code. Start again from Add to Slack.");
  OutboundRequest call;
  call.platform = "slack";
  call.url = oauth.config.api_base + "/oauth.v2.access";
  call.setting = "SLACK_API_BASE";
  call.content_type = "application/x-www-form-urlencoded";
  call.body = "client_id=" + text::percent_encode(oauth.config.client_id) +
              "&client_secret=" + text::percent_encode(oauth.config.client_secret) +
              "&code=" + text::percent_encode(code) + "&redirect_uri=" + text::percent_encode(oauth.redirect_uri());
  RetryPolicy policy;
  policy.max_attempts = 2;  // a code is good once: only a failed connection is tried again
  policy.repeatable = false;
  const OutboundResponse answer = oauth.services.outbound.send(call, policy);
  const auto body = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  const bool ok = answer.ok() && body.is_object() && body.value("ok", false) == true;
  const std::string token = ok ? string_at(body, "access_token") : std::string();
  const std::string bot_user = ok ? string_at(body, "bot_user_id") : std::string();
  const std::string enterprise = string_at(object_at(body, "enterprise"), "id");
  // An org-wide install has no team; the enterprise is then the workspace.
  std::string team = string_at(object_at(body, "team"), "id");
  if (team.empty()) team = enterprise;
  if (!ok || !token.starts_with("xoxb-") || team.empty()) {
    const std::string why = body.is_object() && !string_at(body, "error").empty() ? string_at(body, "error")
                            : answer.status == 0                                  ? "no answer from Slack"
                                                 : "an unexpected answer (HTTP " + std::to_string(answer.status) + ")";
    spdlog::warn("slack: install failed: oauth.v2.access: {}", log_text::field(why));
    return page(res, 502, "Installation not done",
                "Slack did not give whygo a bot token (" + why +
                    "). Nothing was installed; start again from Add "
                    "to Slack.");
  }
  oauth.workspaces.install(team, enterprise, bot_user, token, unix_seconds(oauth.services.clock));
  const std::string name = string_at(object_at(body, "team"), "name");
  spdlog::info("slack: installed in workspace {}", log_text::field(team));
  page(res, 200, "whygo is installed",
       "whygo is now in " + (name.empty() ? team : name) +
           ". In any channel type /whygo docker, or /whygo help for the commands; /whygo subscribe there gets the "
           "Go story of the day.");
}

}  // namespace

StateBook::Issued StateBook::issue(std::chrono::system_clock::time_point now) {
  Issued issued{random_hex(32), random_hex(32)};
  std::lock_guard lock(mutex_);
  for (auto it = states_.begin(); it != states_.end();)
    it = it->second.expires <= now ? states_.erase(it) : std::next(it);
  if (states_.size() >= capacity) {
    auto oldest = states_.begin();
    for (auto it = states_.begin(); it != states_.end(); ++it)
      if (it->second.expires < oldest->second.expires) oldest = it;
    states_.erase(oldest);
  }
  states_[issued.state] = {issued.cookie, now + lifetime};
  return issued;
}

StateBook::Check StateBook::redeem(const std::string& state, const std::string& cookie,
                                   std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto found = states_.find(state);
  if (state.empty() || found == states_.end()) return Check::unknown;
  const Entry entry = found->second;
  states_.erase(found);
  if (entry.expires <= now) return Check::expired;
  // Both are 64 hex digits of our own; a constant-time compare keeps the cookie from being guessed.
  if (cookie.size() != entry.cookie.size() || CRYPTO_memcmp(cookie.data(), entry.cookie.data(), cookie.size()) != 0)
    return Check::other_browser;
  return Check::ok;
}

void mount_oauth(HttpServer& http, AdapterServices& services, const SlackConfig& config) {
  httplib::Server& server = http.routes();
  if (!config.oauth_enabled()) {
    const std::string why =
        "Add to Slack is off on this server: " + config.oauth_off_reason() + " (README, Slack, many workspaces).\n";
    const auto off = [why](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(why, "text/plain");
    };
    server.Get("/slack/install", off);
    server.Get("/slack/oauth_redirect", off);
    spdlog::info("slack: Add to Slack is off: {}", config.oauth_off_reason());
    return;
  }
  auto oauth = std::make_shared<OAuth>(services, config);
  const auto guarded = [oauth](auto handler) {
    return [oauth, handler](const httplib::Request& req, httplib::Response& res) {
      try {
        handler(*oauth, req, res);
      } catch (const std::exception& e) {
        spdlog::error("slack: {} failed: {}", req.path, e.what());
        page(res, 500, "Installation not done", "Something went wrong on our side; nothing was installed.");
      }
    };
  };
  server.Get("/slack/install", guarded(on_install));
  server.Get("/slack/oauth_redirect", guarded(on_redirect));
  spdlog::info("slack: Add to Slack on: GET /slack/install, redirect to {}/slack/oauth_redirect", config.public_url);
}

}  // namespace whygo::slack
