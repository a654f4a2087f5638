// A homeserver's client-server API for a bot that logs in as an ordinary user, on loopback,
// behaving as https://spec.matrix.org/latest/client-server-api/ says:
// - #using-access-tokens: every call but /login needs `Authorization: Bearer <token>`; none is
//   401 M_MISSING_TOKEN, an unknown (or logged out) one 401 M_UNKNOWN_TOKEN.
// - #get_matrixclientv3accountwhoami: user_id and device_id of the token.
// - #get_matrixclientv3sync: without `since`, the current state: the rooms the user is in with
//   their latest timeline events (at most the filter's timeline limit, `limited` when more were
//   left out) and the pending invites. With `since` (an earlier next_batch), only what happened
//   after it. "If no events (or other data) become available before this time elapses, the
//   server will return a response with empty fields", and `timeout` defaults to 0: answer at
//   once. Invites come in rooms.invite with their stripped state (invite_state). `filter` is a
//   filter id or, starting with '{', a filter object (#filtering); its room.timeline types
//   (with '*' wildcards) and limit apply.
// - #post_matrixclientv3roomsroomidjoin, #post_matrixclientv3joinroomidoralias: joins when
//   invited (or already in), otherwise 403 M_FORBIDDEN; the join is an m.room.member event in
//   the room's timeline.
// - #put_matrixclientv3roomsroomidsendeventtypetxnid and #transaction-identifiers: a repeat of
//   the same path with the same access token is answered with the first event_id and adds
//   nothing; the event reaches every member's sync, the sender's own too.
// - #get_matrixclientv3roomsroomidmessages with dir=b: a room's events before `from` (a
//   timeline's prev_batch), newest first, down to `to`, a page of `limit` with `end` to go on.
// - #post_matrixclientv3login with m.login.password and an m.id.user identifier: a new device
//   and access token; 403 M_FORBIDDEN for a wrong user or password.
#pragma once
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support.hpp"

namespace whygo::test {

class FakeHomeserver {
 public:
  struct Sent {
    std::string room_id;
    std::string txn_id;
    std::string event_id;
    nlohmann::json content;
  };
  struct SyncCall {
    std::string since;  // "" for none
    std::int64_t timeout_ms = 0;
    std::string filter;
  };

  const std::string bot = "@whygo:example.org";
  const std::string password = "correct horse battery staple";

  explicit FakeHomeserver(std::string token = "syt-bot-token") {
    tokens_.insert(std::move(token));
    fake_.routes().Get("/_matrix/client/v3/account/whoami",
                       [this](const httplib::Request& req, httplib::Response& res) {
                         if (!authorized(req, res)) return;
                         reply(res, 200, {{"user_id", bot}, {"device_id", "WHYGODEVICE"}});
                       });
    fake_.routes().Get("/_matrix/client/v3/sync", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      sync(req, res);
    });
    const auto join = [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      const std::string room = req.matches[1].str();
      std::lock_guard lock(mutex_);
      if (!invited_.count(room) && !joined_.count(room)) {
        return reply(res, 403, {{"errcode", "M_FORBIDDEN"}, {"error", "You are not invited to this room."}});
      }
      if (!joined_.count(room)) {
        invited_.erase(room);
        joined_[room] = append(room, member_event(bot, bot, "join"));
      }
      ++joins_;
      reply(res, 200, {{"room_id", room}});
    };
    fake_.routes().Post(R"(/_matrix/client/v3/rooms/([^/]+)/join)", join);
    fake_.routes().Post(R"(/_matrix/client/v3/join/([^/]+))", join);
    fake_.routes().Put(R"(/_matrix/client/v3/rooms/([^/]+)/send/([^/]+)/([^/]+))",
                       [this](const httplib::Request& req, httplib::Response& res) {
                         if (!authorized(req, res)) return;
                         send(req, res);
                       });
    fake_.routes().Get(R"(/_matrix/client/v3/rooms/([^/]+)/messages)",
                       [this](const httplib::Request& req, httplib::Response& res) {
                         if (!authorized(req, res)) return;
                         messages(req, res);
                       });
    fake_.routes().Post("/_matrix/client/v3/login", [this](const httplib::Request& req, httplib::Response& res) {
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || body.value("type", "") != "m.login.password")
        return reply(res, 400, {{"errcode", "M_UNKNOWN"}, {"error", "Unknown login type"}});
      const auto id = body.value("identifier", nlohmann::json::object());
      const std::string user = id.is_object() ? id.value("user", "") : "";
      if ((user != bot && user != "whygo") || body.value("password", "") != password)
        return reply(res, 403, {{"errcode", "M_FORBIDDEN"}, {"error", "Invalid username or password"}});
      std::lock_guard lock(mutex_);
      const std::string token = "syt-device-" + std::to_string(tokens_.size());
      tokens_.insert(token);
      reply(res, 200,
            {{"user_id", bot}, {"access_token", token}, {"device_id", "DEVICE" + std::to_string(tokens_.size())}});
    });
    fake_.start();
  }

  // Long polls end at once, so stopping the server does not wait them out.
  ~FakeHomeserver() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
  }

  std::string base_url() const { return fake_.base_url(); }

  // What happens in the rooms, as other users do it.
  void invite(const std::string& room, const std::string& inviter, bool encrypted = false) {
    std::lock_guard lock(mutex_);
    invited_.insert(room);
    nlohmann::json state = nlohmann::json::array();
    state.push_back(
        {{"type", "m.room.create"}, {"state_key", ""}, {"sender", inviter}, {"content", {{"room_version", "11"}}}});
    if (encrypted)
      state.push_back({{"type", "m.room.encryption"},
                       {"state_key", ""},
                       {"sender", inviter},
                       {"content", {{"algorithm", "m.megolm.v1.aes-sha2"}}}});
    state.push_back(
        {{"type", "m.room.member"}, {"state_key", bot}, {"sender", inviter}, {"content", {{"membership", "invite"}}}});
    invite_states_[room] = state;
    invite_positions_[room] = ++position_;
    changed_.notify_all();
  }
  // An m.text message; returns its event_id.
  std::string say(const std::string& room, const std::string& sender, const std::string& body) {
    std::lock_guard lock(mutex_);
    const std::string id = "$ev" + std::to_string(position_ + 1) + ":example.org";
    nlohmann::json event = {{"event_id", id},
                            {"type", "m.room.message"},
                            {"sender", sender},
                            {"origin_server_ts", now_ms()},
                            {"content", {{"msgtype", "m.text"}, {"body", body}}}};
    append(room, event);
    return id;
  }
  // Logs the token out: it gets M_UNKNOWN_TOKEN from now on.
  void revoke(const std::string& token) {
    std::lock_guard lock(mutex_);
    tokens_.erase(token);
  }

  bool joined(const std::string& room) const {
    std::lock_guard lock(mutex_);
    return joined_.count(room) > 0;
  }
  int joins() const {
    std::lock_guard lock(mutex_);
    return joins_;
  }
  // The messages the bot sent (one per distinct transaction), in order.
  std::vector<Sent> sent(const std::string& room = {}) const {
    std::lock_guard lock(mutex_);
    std::vector<Sent> out;
    for (const Sent& s : sent_)
      if (room.empty() || s.room_id == room) out.push_back(s);
    return out;
  }
  int messages_calls() const {
    std::lock_guard lock(mutex_);
    return messages_calls_;
  }
  int send_requests() const {
    std::lock_guard lock(mutex_);
    return send_requests_;
  }
  std::vector<SyncCall> syncs() const {
    std::lock_guard lock(mutex_);
    return syncs_;
  }
  std::string current_batch() const {
    std::lock_guard lock(mutex_);
    return "s" + std::to_string(position_);
  }

  // Waits until `done` holds; false after `within`.
  template <typename Done>
  bool wait_until(Done done, std::chrono::milliseconds within = std::chrono::seconds(15)) const {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

 private:
  struct Item {
    std::int64_t position = 0;
    std::string room_id;
    nlohmann::json event;
  };

  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static void reply(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }
  nlohmann::json member_event(const std::string& sender, const std::string& target, const std::string& membership) {
    return {{"event_id", "$ev" + std::to_string(position_ + 1) + ":example.org"},
            {"type", "m.room.member"},
            {"sender", sender},
            {"state_key", target},
            {"origin_server_ts", now_ms()},
            {"content", {{"membership", membership}}}};
  }
  // Under mutex_. Returns the event's stream position.
  std::int64_t append(const std::string& room, nlohmann::json event) {
    items_.push_back({++position_, room, std::move(event)});
    changed_.notify_all();
    return position_;
  }

  bool authorized(const httplib::Request& req, httplib::Response& res) {
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) != 0) {
      reply(res, 401, {{"errcode", "M_MISSING_TOKEN"}, {"error", "Missing access token"}});
      return false;
    }
    std::lock_guard lock(mutex_);
    if (!tokens_.count(header.substr(7))) {
      reply(res, 401, {{"errcode", "M_UNKNOWN_TOKEN"}, {"error", "Unrecognised access token"}, {"soft_logout", false}});
      return false;
    }
    return true;
  }

  // Whether the filter's room.timeline.types let `type` through ("*" and "prefix.*" wildcards).
  static bool wanted(const nlohmann::json& filter, const std::string& type) {
    const auto timeline = filter.value("room", nlohmann::json::object()).value("timeline", nlohmann::json::object());
    if (!timeline.contains("types")) return true;
    for (const auto& t : timeline["types"]) {
      const std::string pattern = t.get<std::string>();
      if (pattern == type || pattern == "*") return true;
      if (pattern.size() > 1 && pattern.back() == '*' && type.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0)
        return true;
    }
    return false;
  }

  void sync(const httplib::Request& req, httplib::Response& res) {
    const std::string since = req.get_param_value("since");
    const std::string filter_text = req.get_param_value("filter");
    std::int64_t timeout = 0;
    if (req.has_param("timeout")) {
      try {
        timeout = std::stoll(req.get_param_value("timeout"));
      } catch (const std::exception&) {
        return reply(res, 400, {{"errcode", "M_INVALID_PARAM"}, {"error", "timeout must be an integer"}});
      }
    }
    nlohmann::json filter = nlohmann::json::object();
    if (!filter_text.empty()) {
      filter = nlohmann::json::parse(filter_text, nullptr, false);
      if (filter_text[0] != '{' || !filter.is_object())
        return reply(res, 400, {{"errcode", "M_INVALID_PARAM"}, {"error", "filter: no such filter id"}});
    }
    std::int64_t from = 0;
    if (!since.empty()) {
      if (since[0] != 's') return reply(res, 400, {{"errcode", "M_INVALID_PARAM"}, {"error", "Malformed since token"}});
      from = std::stoll(since.substr(1));
    }
    const std::size_t limit = filter.value("room", nlohmann::json::object())
                                  .value("timeline", nlohmann::json::object())
                                  .value("limit", std::size_t{10});
    std::unique_lock lock(mutex_);
    syncs_.push_back({since, timeout, filter_text});
    const auto news = [&] {
      if (since.empty()) return true;
      for (const auto& [room, at] : invite_positions_)
        if (at > from && invited_.count(room)) return true;
      for (const Item& item : items_)
        if (item.position > from && joined_.count(item.room_id) && item.position >= joined_.at(item.room_id) &&
            wanted(filter, item.event.value("type", "")))
          return true;
      return false;
    };
    changed_.wait_for(lock, std::chrono::milliseconds(timeout), [&] { return closing_ || news(); });
    nlohmann::json rooms = {{"join", nlohmann::json::object()}, {"invite", nlohmann::json::object()}};
    for (const std::string& room : invited_)
      if (since.empty() || invite_positions_[room] > from)
        rooms["invite"][room] = {{"invite_state", {{"events", invite_states_[room]}}}};
    for (const auto& [room, joined_at] : joined_) {
      std::vector<nlohmann::json> timeline;
      for (const Item& item : items_)
        if (item.room_id == room && item.position > from && item.position >= joined_at &&
            wanted(filter, item.event.value("type", "")))
          timeline.push_back(item.event);
      if (timeline.empty() && !since.empty()) continue;
      const bool limited = timeline.size() > limit;
      if (limited) timeline.erase(timeline.begin(), timeline.end() - static_cast<std::ptrdiff_t>(limit));
      // prev_batch: just before the first event given, for /messages to go back from.
      const std::string prev_batch =
          "s" + std::to_string(timeline.empty() ? position_ : position_of(timeline.front()["event_id"]) - 1);
      rooms["join"][room] = {{"timeline", {{"events", timeline}, {"limited", limited}, {"prev_batch", prev_batch}}},
                             {"state", {{"events", nlohmann::json::array()}}}};
    }
    reply(res, 200, {{"next_batch", "s" + std::to_string(position_)}, {"rooms", rooms}});
  }

  // Under mutex_: the stream position of an event.
  std::int64_t position_of(const nlohmann::json& event_id) const {
    for (const Item& item : items_)
      if (item.event["event_id"] == event_id) return item.position;
    return 0;
  }

  // #get_matrixclientv3roomsroomidmessages, dir=b: the room's events at or before `from`, newest
  // first, after `to`, at most `limit` (default 10); `end` only when there may be more. A user
  // sees only what happened since they joined.
  void messages(const httplib::Request& req, httplib::Response& res) {
    const std::string room = req.matches[1].str();
    const std::string from = req.get_param_value("from");
    const std::string to = req.get_param_value("to");
    if (req.get_param_value("dir") != "b" || from.empty() || from[0] != 's' || (!to.empty() && to[0] != 's'))
      return reply(res, 400, {{"errcode", "M_INVALID_PARAM"}, {"error", "Expected dir=b and from, to tokens"}});
    const std::int64_t start = std::stoll(from.substr(1));
    const std::int64_t stop = to.empty() ? 0 : std::stoll(to.substr(1));
    const std::size_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 10;
    nlohmann::json filter = nlohmann::json::object();
    if (req.has_param("filter")) filter = nlohmann::json::parse(req.get_param_value("filter"), nullptr, false);
    if (!filter.is_object()) return reply(res, 400, {{"errcode", "M_INVALID_PARAM"}, {"error", "Bad filter"}});
    std::lock_guard lock(mutex_);
    ++messages_calls_;
    if (!joined_.count(room)) return reply(res, 403, {{"errcode", "M_FORBIDDEN"}, {"error", "User not in room"}});
    const nlohmann::json as_room_filter = {{"room", {{"timeline", filter}}}};
    nlohmann::json chunk = nlohmann::json::array();
    std::int64_t lowest = start;
    for (auto it = items_.rbegin(); it != items_.rend() && chunk.size() < limit; ++it) {
      if (it->room_id != room || it->position > start || it->position <= stop || it->position < joined_.at(room))
        continue;
      lowest = it->position;
      if (wanted(as_room_filter, it->event.value("type", ""))) chunk.push_back(it->event);
    }
    nlohmann::json body = {{"chunk", chunk}, {"start", from}};
    if (chunk.size() == limit) body["end"] = "s" + std::to_string(lowest - 1);
    reply(res, 200, body);
  }

  void send(const httplib::Request& req, httplib::Response& res) {
    const std::string room = req.matches[1].str();
    const std::string type = req.matches[2].str();
    const std::string txn = req.matches[3].str();
    const auto content = nlohmann::json::parse(req.body, nullptr, false);
    std::lock_guard lock(mutex_);
    ++send_requests_;
    const std::string key = req.get_header_value("Authorization") + " " + req.path;
    if (const auto it = transactions_.find(key); it != transactions_.end())
      return reply(res, 200, {{"event_id", it->second}});
    if (!joined_.count(room)) return reply(res, 403, {{"errcode", "M_FORBIDDEN"}, {"error", "User not in room"}});
    if (!content.is_object()) return reply(res, 400, {{"errcode", "M_NOT_JSON"}, {"error", "Content not JSON."}});
    const std::string id = "$ev" + std::to_string(position_ + 1) + ":example.org";
    append(room,
           {{"event_id", id}, {"type", type}, {"sender", bot}, {"origin_server_ts", now_ms()}, {"content", content}});
    transactions_[key] = id;
    sent_.push_back({room, txn, id, content});
    reply(res, 200, {{"event_id", id}});
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool closing_ = false;
  std::int64_t position_ = 0;
  std::vector<Item> items_;
  std::set<std::string> tokens_;
  std::set<std::string> invited_;
  std::map<std::string, nlohmann::json> invite_states_;
  std::map<std::string, std::int64_t> invite_positions_;
  std::map<std::string, std::int64_t> joined_;  // room -> the position of the bot's join
  std::map<std::string, std::string> transactions_;
  std::vector<Sent> sent_;
  std::vector<SyncCall> syncs_;
  int joins_ = 0;
  int send_requests_ = 0;
  int messages_calls_ = 0;
  FakePlatform fake_;  // last: stopped first, while what its handlers use still lives
};

}  // namespace whygo::test
