// A fake Discord API on loopback that keeps state the way Discord's documentation says it does,
// so a test fails when the adapter assumes something Discord does not do.
//
// Interaction webhooks (https://discord.com/developers/docs/interactions/receiving-and-responding):
// - after a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE (type 5) the original response is a "loading"
//   message, ephemeral only if the deferral carried flags 64 ("an existing message's ephemeral
//   state cannot be changed");
// - Create Followup Message: "When using this endpoint directly after responding to an
//   interaction with DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit
//   Original Interaction Response for backwards compatibility. In this case, no new message will
//   be created, and the loading message will be edited instead. The ephemeral flag will be
//   ignored";
// - Edit and Delete Original Interaction Response change and remove that message.
//
// Channel messages (https://discord.com/developers/docs/resources/message):
// - Create Message with enforce_nonce: "the nonce will be checked for uniqueness in the past few
//   minutes. If another message was created by the same author with the same nonce, that message
//   will be returned and no new message will be created". Discord gives no figure; the fake
//   forgets a nonce after `nonce_window` (5 minutes by default) of its clock;
// - Get Channel Messages returns the newest first, and "If the current user is missing the
//   READ_MESSAGE_HISTORY permission in the channel, then no messages will be returned".
//
// Every request is recorded by the FakePlatform underneath.
#pragma once
#include <date/date.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support.hpp"

namespace whygo::test {

class FakeDiscord {
 public:
  using json = nlohmann::json;
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  struct Shown {
    json body;               // the message as last written (content, embeds, flags, ...)
    bool ephemeral = false;  // only the asker sees it
    bool loading = false;    // the "thinking..." placeholder of a deferral, not yet edited
    bool deleted = false;
  };

  // One interaction's messages: the original response and the follow-ups, as Discord keeps them.
  struct Interaction {
    bool deferred = false;
    Shown original;
    std::vector<Shown> followups;
    std::vector<json> seen_by_channel;  // every state of a public message, in order
  };

  struct ChannelMessage {
    std::string id;
    std::string author_id;
    json body;
    std::string nonce;
    std::chrono::system_clock::time_point at;
  };

  std::string bot_user_id = "880";
  std::chrono::minutes nonce_window{5};
  bool read_message_history = true;

  explicit FakeDiscord(Clock clock = [] { return std::chrono::system_clock::now(); }) : clock_(std::move(clock)) {
    auto& routes = platform_.routes();
    routes.Patch(R"(/webhooks/(\d+)/([^/]+)/messages/@original)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard lock(mutex_);
                   Interaction& in = interactions_[req.matches[2]];
                   in.original.body = json::parse(req.body, nullptr, false);
                   in.original.loading = false;
                   if (!in.original.ephemeral) in.seen_by_channel.push_back(in.original.body);
                   res.set_content(message_json("@original", in.original.body).dump(), "application/json");
                 });
    routes.Delete(R"(/webhooks/(\d+)/([^/]+)/messages/@original)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    std::lock_guard lock(mutex_);
                    interactions_[req.matches[2]].original.deleted = true;
                    res.status = 204;
                  });
    routes.Post(R"(/webhooks/(\d+)/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Interaction& in = interactions_[req.matches[2]];
      const json body = json::parse(req.body, nullptr, false);
      if (in.deferred && in.original.loading && in.followups.empty()) {
        // Directly after a type 5: the loading message is edited, the ephemeral flag ignored.
        in.original.body = body;
        in.original.loading = false;
        if (!in.original.ephemeral) in.seen_by_channel.push_back(body);
        res.set_content(message_json("@original", body).dump(), "application/json");
        return;
      }
      Shown followup;
      followup.body = body;
      followup.ephemeral = body.is_object() && body.contains("flags") && body["flags"].is_number_integer() &&
                           (body["flags"].get<int>() & 64) != 0;
      if (!followup.ephemeral) in.seen_by_channel.push_back(body);
      in.followups.push_back(followup);
      res.set_content(message_json(std::to_string(in.followups.size()), body).dump(), "application/json");
    });

    routes.Get("/users/@me", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(json{{"id", bot_user_id}, {"username", "whygo"}, {"bot", true}}.dump(), "application/json");
    });
    routes.Post(R"(/channels/(\d+)/messages)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const json body = json::parse(req.body, nullptr, false);
      const std::string channel = req.matches[1];
      std::string nonce;
      if (body.is_object() && body.contains("nonce") && body["nonce"].is_string()) nonce = body["nonce"];
      const bool enforce = body.is_object() && body.value("enforce_nonce", false);
      const auto now = clock_();
      if (enforce && !nonce.empty()) {
        for (const ChannelMessage& m : channels_[channel])
          if (m.nonce == nonce && m.author_id == bot_user_id && now - m.at < nonce_window) {
            res.set_content(channel_message_json(channel, m).dump(), "application/json");
            return;
          }
      }
      ChannelMessage m{std::to_string(9000 + next_id_++), bot_user_id, body, nonce, now};
      channels_[channel].push_back(m);
      res.set_content(channel_message_json(channel, m).dump(), "application/json");
    });
    routes.Get(R"(/channels/(\d+)/messages)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      json out = json::array();
      std::size_t limit = 50;
      if (req.has_param("limit")) limit = std::stoul(req.get_param_value("limit"));
      if (read_message_history) {
        const auto& all = channels_[req.matches[1]];
        for (auto it = all.rbegin(); it != all.rend() && out.size() < limit; ++it)
          out.push_back(channel_message_json(req.matches[1], *it));
      }
      res.set_content(out.dump(), "application/json");
    });
  }

  // Extra routes (e.g. command registration) go here before start().
  httplib::Server& routes() { return platform_.routes(); }
  void start() { platform_.start(); }
  std::string base_url() const { return platform_.base_url(); }
  const FakePlatform& platform() const { return platform_; }

  // What Discord does when the endpoint answers an interaction with type 5: a loading message,
  // ephemeral when the deferral said flags 64.
  void deferred(const std::string& token, bool ephemeral) {
    std::lock_guard lock(mutex_);
    Interaction& in = interactions_[token];
    in.deferred = true;
    in.original.loading = true;
    in.original.ephemeral = ephemeral;
  }

  Interaction interaction(const std::string& token) const {
    std::lock_guard lock(mutex_);
    const auto it = interactions_.find(token);
    return it == interactions_.end() ? Interaction{} : it->second;
  }

  // A message someone else (or the bot, earlier) already posted in a channel.
  void seed(const std::string& channel, ChannelMessage message) {
    std::lock_guard lock(mutex_);
    channels_[channel].push_back(std::move(message));
  }

  std::vector<ChannelMessage> channel(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = channels_.find(id);
    return it == channels_.end() ? std::vector<ChannelMessage>{} : it->second;
  }

 private:
  static json message_json(const std::string& id, const json& body) {
    json out = body.is_object() ? body : json::object();
    out["id"] = id;
    return out;
  }

  json channel_message_json(const std::string& channel, const ChannelMessage& m) const {
    json out = m.body.is_object() ? m.body : json::object();
    out.erase("enforce_nonce");
    out.erase("allowed_mentions");
    out.erase("nonce");  // Get Channel Messages does not promise it; the adapter must not need it
    out["id"] = m.id;
    out["channel_id"] = channel;
    out["author"] = {{"id", m.author_id},
                     {"username", m.author_id == bot_user_id ? "whygo" : "someone"},
                     {"bot", m.author_id == bot_user_id}};
    out["timestamp"] = date::format("%FT%T+00:00", date::floor<std::chrono::seconds>(m.at));
    return out;
  }

  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Interaction> interactions_;
  std::map<std::string, std::vector<ChannelMessage>> channels_;
  int next_id_ = 0;
  FakePlatform platform_;  // last: stopped first, while what its handlers use still lives
};

}  // namespace whygo::test
