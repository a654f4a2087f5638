#include "adapters/matrix/routes.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/matrix/auth.hpp"
#include "adapters/matrix/events.hpp"
#include "adapters/matrix/limits.hpp"
#include "adapters/matrix/transactions.hpp"
#include "bot/adapter.hpp"
#include "bot/log_text.hpp"
#include "bot/problem.hpp"

namespace whygo::matrix {
namespace {

constexpr const char* json_type = "application/json";

void answer(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), json_type);
}

void refuse(httplib::Response& res, int status, std::string_view errcode, std::string_view message) {
  answer(res, status, error_body(errcode, message));
}

// True when the homeserver proved itself; otherwise the refusal is already in res.
bool authorized(const httplib::Request& req, httplib::Response& res, const std::string& hs_token) {
  const std::string header = req.get_header_value("Authorization");
  const std::string query_token = req.get_param_value("access_token");
  std::optional<std::string_view> legacy;
  if (req.has_param("access_token")) legacy = query_token;
  switch (check_hs_token(header, legacy, hs_token)) {
    case AuthOutcome::ok:
      return true;
    case AuthOutcome::missing:
      refuse(res, 401, "M_MISSING_TOKEN", "Missing hs_token (Authorization: Bearer)");
      return false;
    case AuthOutcome::forbidden:
      refuse(res, 403, "M_FORBIDDEN", "Bad hs_token");
      return false;
  }
  return false;
}

std::optional<Problem> config_problem(const MatrixConfig& config) {
  if (config.homeserver_url.empty()) return Problem{"MATRIX_HOMESERVER_URL is not set"};
  if (!config.homeserver_url.starts_with("http://") && !config.homeserver_url.starts_with("https://"))
    return Problem{"MATRIX_HOMESERVER_URL must start with http:// or https://"};
  if (localpart(config.bot_user).empty()) return Problem{"MATRIX_BOT_USER must be a user id like @whygo:example.org"};
  return std::nullopt;
}

}  // namespace

void mount(HttpServer& http, AdapterServices& services, const MatrixConfig& config) {
  if (const auto problem = config_problem(config)) {
    spdlog::error("Matrix is off: {}", problem->text);
    return;
  }
  httplib::Server& server = http.routes();
  // A homeserver batches many events in one transaction (limits.hpp).
  http.allow_larger_bodies("/_matrix/app/v1/transactions/", limits::matrix::transaction_max_bytes);
  http.allow_larger_bodies("/transactions/", limits::matrix::transaction_max_bytes);
  auto transactions = std::make_shared<Transactions>(services, Client(config, services.outbound));
  transactions->start([&server] { return server.is_running(); });
  const std::string hs_token = config.hs_token;
  const std::string bot_user = config.bot_user;

  // httplib matches against the percent-decoded path, so the ids arrive decoded (Synapse quotes
  // them, https://spec.matrix.org/latest/rooms/v4/#event-ids); (.+) because a decoded id may hold '/'.
  const auto push = [transactions, hs_token, bot_user](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res, hs_token)) return;
    const std::string txn_id = req.matches.size() > 1 ? req.matches[1].str() : std::string();
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    std::optional<std::vector<Event>> events;
    if (!body.is_discarded()) {
      events = parse_transaction(body, bot_user);
    } else {
      // One event the parser refuses (a lone surrogate, say) must not hold up the others: they
      // are handled, it is skipped and said in the log.
      auto salvaged = salvage_transaction(req.body, bot_user);
      if (!salvaged) return refuse(res, 400, "M_NOT_JSON", "The body is not JSON");
      for (const auto& skipped : salvaged->skipped)
        spdlog::warn("matrix: transaction {}: event {} (#{}) is not valid JSON (a lone surrogate?); skipped",
                     log_text::field(txn_id), log_text::field(skipped.event_id), skipped.position);
      events = std::move(salvaged->events);
    }
    if (!events) return refuse(res, 400, "M_BAD_JSON", "Expected a JSON object with an \"events\" array");
    switch (transactions->accept(txn_id, std::move(*events))) {
      case Accepted::queued:
      case Accepted::repeat:
        // Answered at once; the events are handled off this thread, in order.
        return answer(res, 200, "{}");
      case Accepted::store_failed:
        return refuse(res, 500, "M_UNKNOWN", "Cannot record the transaction; retry later");
      case Accepted::stopping:
        return refuse(res, 503, "M_UNKNOWN", "Shutting down; retry later");
    }
  };
  server.Put(R"(/_matrix/app/v1/transactions/(.+))", push);
  // Homeservers fall back to the unversioned path on older setups (spec "Legacy routes").
  server.Put(R"(/transactions/(.+))", push);

  server.Get(R"(/_matrix/app/v1/users/(.+))",
             [hs_token, bot_user](const httplib::Request& req, httplib::Response& res) {
               if (!authorized(req, res, hs_token)) return;
               // The bot is the only user in the namespace and is registered at start (query_user.yaml:
               // 200 means the user exists).
               if (req.matches.size() > 1 && req.matches[1].str() == bot_user) return answer(res, 200, "{}");
               refuse(res, 404, "M_NOT_FOUND", "No such user");
             });
  server.Get(R"(/_matrix/app/v1/rooms/(.+))", [hs_token](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res, hs_token)) return;
    refuse(res, 404, "M_NOT_FOUND", "No such room alias");  // the bot creates no rooms
  });
  server.Post("/_matrix/app/v1/ping", [hs_token](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res, hs_token)) return;
    answer(res, 200, "{}");
  });
  // A known endpoint with the wrong method gets 405 M_UNRECOGNIZED, an unknown one 404
  // M_UNRECOGNIZED: "This is expected to be returned with a 404 HTTP status code if the endpoint
  // is not implemented or a 405 HTTP status code if the endpoint is implemented, but the incorrect
  // HTTP method is used" (https://spec.matrix.org/latest/client-server-api/#common-error-codes;
  // https://spec.matrix.org/latest/application-service-api/#unknown-routes). A 405 names the
  // methods that work in Allow (RFC 9110 section 15.5.6).
  const std::pair<const char*, const char*> known[] = {
      {R"(/_matrix/app/v1/transactions/(.+))", "PUT"},
      {R"(/transactions/(.+))", "PUT"},
      {R"(/_matrix/app/v1/users/(.+))", "GET"},
      {R"(/_matrix/app/v1/rooms/(.+))", "GET"},
      {R"(/_matrix/app/v1/ping)", "POST"},
  };
  for (const auto& [pattern, allowed] : known) {
    const auto wrong_method = [allowed = std::string(allowed)](const httplib::Request&, httplib::Response& res) {
      res.set_header("Allow", allowed);
      refuse(res, 405, "M_UNRECOGNIZED", "Use " + allowed + " on this endpoint");
    };
    if (allowed != std::string_view("GET")) server.Get(pattern, wrong_method);
    if (allowed != std::string_view("PUT")) server.Put(pattern, wrong_method);
    if (allowed != std::string_view("POST")) server.Post(pattern, wrong_method);
    server.Delete(pattern, wrong_method);
    server.Patch(pattern, wrong_method);
  }
  const auto unknown = [](const httplib::Request&, httplib::Response& res) {
    refuse(res, 404, "M_UNRECOGNIZED", "Unrecognized request");
  };
  server.Get(R"(/_matrix/.*)", unknown);
  server.Put(R"(/_matrix/.*)", unknown);
  server.Post(R"(/_matrix/.*)", unknown);
  server.Delete(R"(/_matrix/.*)", unknown);
  server.Patch(R"(/_matrix/.*)", unknown);
  spdlog::info("Matrix is on: {} on {}", bot_user, config.homeserver_url);
}

}  // namespace whygo::matrix
