#include "adapters/matrix/client.hpp"

#include <openssl/evp.h>

#include <array>

#include "adapters/matrix/events.hpp"
#include "adapters/matrix/limits.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::matrix {
namespace {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

std::string errcode_of(const std::string& body);
CallResult result_of(const OutboundResponse& response);

std::string errcode_of(const std::string& body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object())
    if (const auto it = parsed.find("errcode"); it != parsed.end() && it->is_string()) return it->get<std::string>();
  return {};
}

CallResult result_of(const OutboundResponse& response) {
  CallResult result;
  result.ok = response.ok();
  result.status = response.status;
  result.attempts = response.attempts;
  if (!response.ok()) {
    result.errcode = errcode_of(response.body);
    if (response.status == 429)
      if (const auto wait = retry_after(response)) result.retry_after = *wait;
    return result;
  }
  const auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (parsed.is_object()) {
    if (const auto it = parsed.find("event_id"); it != parsed.end() && it->is_string())
      result.event_id = it->get<std::string>();
    if (const auto it = parsed.find("room_id"); it != parsed.end() && it->is_string())
      result.room_id = it->get<std::string>();
    result.answer = parsed;
  }
  return result;
}

}  // namespace

std::string txn_id_for(std::string_view kind, std::string_view key) {
  return "whygo-" + std::string(kind) + "-" + sha256_hex(key).substr(0, 32);
}

std::optional<std::chrono::milliseconds> retry_after(const OutboundResponse& response) {
  if (auto header = retry_after_header(response)) return header;
  const auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  const auto it = parsed.find("retry_after_ms");
  if (it == parsed.end() || !it->is_number_integer()) return std::nullopt;
  const auto ms = it->get<std::int64_t>();
  if (ms < 0) return std::nullopt;
  // Absurd values become a day, which the retry loop then refuses to wait for.
  return std::chrono::milliseconds(std::min<std::int64_t>(ms, 24LL * 3600 * 1000));
}

std::string CallResult::describe() const {
  if (status == 0) return "no answer";
  return std::to_string(status) + (errcode.empty() ? "" : " " + errcode);
}

Client::Client(MatrixConfig config, OutboundClient outbound)
    : config_(std::move(config)), outbound_(std::move(outbound)) {
  policy_.max_attempts = limits::matrix::api_max_attempts;
  policy_.first_backoff = limits::matrix::api_first_backoff;
  policy_.max_backoff = limits::matrix::api_max_backoff;
  policy_.connect_timeout = limits::matrix::api_connect_timeout;
  policy_.read_timeout = limits::matrix::api_read_timeout;
  policy_.retry_after = retry_after;
}

CallResult Client::call(std::string method, std::string path, const nlohmann::json& body) const {
  return call(std::move(method), std::move(path), body, policy_, nullptr);
}

CallResult Client::call(std::string method, std::string path, const nlohmann::json& body, const RetryPolicy& policy,
                        std::shared_ptr<Cancellation> cancellation) const {
  OutboundRequest request;
  request.cancellation = std::move(cancellation);
  request.platform = "matrix";
  request.method = std::move(method);
  request.url = config_.homeserver_url + path;
  request.setting = "MATRIX_HOMESERVER_URL";
  // Identity assertion: the as_token in the Authorization header (spec application-service-api
  // "Identity assertion"; query-string tokens are going away, client-server newsfragment 2408).
  // As a user, the access token the same way
  // (https://spec.matrix.org/latest/client-server-api/#using-access-tokens).
  request.headers.emplace("Authorization", "Bearer " + config_.bearer());
  // Replace, not throw, should any string carry invalid UTF-8.
  if (!body.is_null()) request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const OutboundResponse response = outbound_.send(request, policy);
  return result_of(response);
}

CallResult Client::send_message(std::string_view room_id, const nlohmann::json& content,
                                std::string_view txn_id) const {
  return call("PUT",
              "/_matrix/client/v3/rooms/" + text::percent_encode(room_id) + "/send/m.room.message/" +
                  text::percent_encode(txn_id),
              content);
}

CallResult Client::join(std::string_view room_id) const {
  return call("POST", "/_matrix/client/v3/rooms/" + text::percent_encode(room_id) + "/join", nlohmann::json::object());
}

CallResult Client::create_direct_room(std::string_view user) const {
  const nlohmann::json body = {
      {"is_direct", true}, {"preset", "trusted_private_chat"}, {"invite", nlohmann::json::array({std::string(user)})}};
  return call("POST", "/_matrix/client/v3/createRoom", body);
}

CallResult Client::direct_rooms() const {
  return call("GET", "/_matrix/client/v3/user/" + text::percent_encode(config_.bot_user) + "/account_data/m.direct",
              nullptr);
}

CallResult Client::set_direct_rooms(const nlohmann::json& content) const {
  return call("PUT", "/_matrix/client/v3/user/" + text::percent_encode(config_.bot_user) + "/account_data/m.direct",
              content);
}

CallResult Client::whoami() const {
  return call("GET", "/_matrix/client/v3/account/whoami", nullptr);
}

CallResult Client::sync(std::string_view since, std::string_view filter, std::chrono::milliseconds timeout,
                        std::shared_ptr<Cancellation> cancellation) const {
  // https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync: `filter` may be a
  // filter object itself, told from a filter id by its leading '{'; `timeout` in milliseconds.
  std::string path =
      "/_matrix/client/v3/sync?filter=" + text::percent_encode(filter) + "&timeout=" + std::to_string(timeout.count());
  if (!since.empty()) path += "&since=" + text::percent_encode(since);
  RetryPolicy once = policy_;
  once.max_attempts = 1;
  // The homeserver holds the answer up to `timeout`: wait that long and a margin for the answer.
  once.read_timeout = std::chrono::duration_cast<std::chrono::seconds>(timeout) + limits::matrix::api_read_timeout;
  return call("GET", std::move(path), nullptr, once, std::move(cancellation));
}

CallResult Client::messages(std::string_view room_id, std::string_view from, std::string_view to,
                            std::string_view filter, int limit) const {
  std::string path = "/_matrix/client/v3/rooms/" + text::percent_encode(room_id) +
                     "/messages?dir=b&from=" + text::percent_encode(from) + "&limit=" + std::to_string(limit) +
                     "&filter=" + text::percent_encode(filter);
  if (!to.empty()) path += "&to=" + text::percent_encode(to);
  return call("GET", std::move(path), nullptr);
}

CallResult Client::register_bot() const {
  // inhibit_login: servers without the legacy login API refuse the registration otherwise
  // with M_APPSERVICE_LOGIN_UNSUPPORTED (spec v1.17), and the bot needs no access token of its own.
  const nlohmann::json body = {{"type", "m.login.application_service"},
                               {"username", std::string(localpart(config_.bot_user))},
                               {"inhibit_login", true}};
  CallResult result = call("POST", "/_matrix/client/v3/register", body);
  if (!result.ok && result.status == 400 && result.errcode == "M_USER_IN_USE") result.ok = true;
  return result;
}

PingResult Client::ping(std::string_view transaction_id) const {
  OutboundRequest request;
  request.platform = "matrix";
  request.url =
      config_.homeserver_url + "/_matrix/client/v1/appservice/" + text::percent_encode(config_.as_id) + "/ping";
  request.headers.emplace("Authorization", "Bearer " + config_.as_token);
  request.body = nlohmann::json{{"transaction_id", std::string(transaction_id)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  RetryPolicy once = policy_;
  once.max_attempts = 1;  // an answer is the finding; a retry would only repeat it
  const OutboundResponse response = outbound_.send(request, once);
  PingResult result;
  result.status = response.status;
  result.error = response.error;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return result;
  if (const auto it = body.find("errcode"); it != body.end() && it->is_string())
    result.errcode = it->get<std::string>();
  if (const auto it = body.find("duration_ms"); it != body.end() && it->is_number_integer())
    result.duration_ms = it->get<std::int64_t>();
  if (const auto it = body.find("status"); it != body.end() && it->is_number_integer())
    result.service_status = it->get<int>();
  return result;
}

CallResult login(const std::string& homeserver_url, const std::string& user, const std::string& password,
                 const std::string& device_name, const OutboundClient& outbound) {
  OutboundRequest request;
  request.platform = "matrix";
  request.url = homeserver_url + "/_matrix/client/v3/login";
  request.setting = "MATRIX_HOMESERVER_URL";
  const nlohmann::json body = {{"type", "m.login.password"},
                               {"identifier", {{"type", "m.id.user"}, {"user", user}}},
                               {"password", password},
                               {"initial_device_display_name", device_name}};
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  RetryPolicy policy;
  policy.connect_timeout = limits::matrix::api_connect_timeout;
  policy.read_timeout = limits::matrix::api_read_timeout;
  policy.retry_after = retry_after;
  policy.repeatable = false;
  return result_of(outbound.send(request, policy));
}

std::string ping_problem(const PingResult& ping, const MatrixConfig& config) {
  const std::string hs = "the homeserver at " + config.homeserver_url;
  if (ping.ok()) return {};
  if (ping.status == 0) return "cannot reach " + hs + " (" + ping.error + "): check MATRIX_HOMESERVER_URL";
  // Homeservers older than spec v1.7 know no ping: nothing to conclude.
  if (ping.errcode == "M_UNRECOGNIZED" || ping.status == 404 || ping.status == 405) return {};
  if (ping.errcode == "M_URL_NOT_SET")
    return hs + " has no url for application service '" + config.as_id +
           "': set url in the registration file to where it reaches whygo";
  if (ping.errcode == "M_FORBIDDEN")
    return hs + " says MATRIX_AS_TOKEN does not belong to application service '" + config.as_id +
           "': check MATRIX_AS_TOKEN and MATRIX_AS_ID against as_token and id in the registration file";
  if (ping.errcode == "M_UNKNOWN_TOKEN" || ping.errcode == "M_MISSING_TOKEN" || ping.status == 401)
    return hs +
           " does not know MATRIX_AS_TOKEN: is the registration file listed in its configuration "
           "(Synapse: app_service_config_files) and was it restarted since?";
  if (ping.errcode == "M_BAD_STATUS") {
    if (ping.service_status == 401 || ping.service_status == 403)
      return hs +
             " reached whygo, which refused its hs_token: MATRIX_HS_TOKEN differs from hs_token in the "
             "registration file";
    return hs + " reached whygo, which answered " + std::to_string(ping.service_status) +
           ": is the registration's url whygo's address?";
  }
  if (ping.errcode == "M_CONNECTION_FAILED" || ping.errcode == "M_CONNECTION_TIMEOUT")
    return hs + " cannot reach whygo at the registration's url (" + ping.errcode +
           "): check url in the registration file, and that WHYGO_LISTEN is reachable from the homeserver";
  return hs + " answered the ping with " + std::to_string(ping.status) + (ping.errcode.empty() ? "" : " ") +
         ping.errcode;
}

}  // namespace whygo::matrix
