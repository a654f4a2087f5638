#include "adapters/matrix/events.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/matrix/limits.hpp"
#include "bot/json_fields.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"

namespace whygo::matrix {
namespace {

using nlohmann::json;

// Pushed events come from other servers and clients: every field may be missing or of any type.
using json_fields::member;
using json_fields::string_at;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && text::lower_ascii(s.substr(0, prefix.size())) == text::lower_ascii(prefix);
}

}  // namespace

std::string_view localpart(std::string_view user_id) {
  const std::size_t colon = user_id.find(':');
  if (user_id.size() < 3 || user_id.front() != '@' || colon == std::string_view::npos || colon < 2) return {};
  return user_id.substr(1, colon - 1);
}

std::string_view server_name(std::string_view user_id) {
  if (localpart(user_id).empty()) return {};
  return user_id.substr(user_id.find(':') + 1);
}

Event parse_event(const json& raw, std::string_view bot_user) {
  Event e;
  if (!raw.is_object()) return e;
  e.event_id = string_at(raw, "event_id");
  e.room_id = string_at(raw, "room_id");
  e.sender = string_at(raw, "sender");
  e.type = string_at(raw, "type");
  if (const json* key = member(raw, "state_key"); key && key->is_string()) e.state_key = key->get<std::string>();
  if (const json* ts = member(raw, "origin_server_ts"); ts && ts->is_number_integer())
    e.origin_server_ts = ts->get<std::int64_t>();
  static const json empty = json::object();
  const json* content_ptr = member(raw, "content");
  const json& content = content_ptr && content_ptr->is_object() ? *content_ptr : empty;
  e.msgtype = string_at(content, "msgtype");
  e.body = string_at(content, "body");
  e.membership = string_at(content, "membership");
  e.has_new_content = member(content, "m.new_content") != nullptr;
  if (const json* relates = member(content, "m.relates_to"); relates && relates->is_object()) {
    e.rel_type = string_at(*relates, "rel_type");
    e.relates_to_id = string_at(*relates, "event_id");
    if (const json* reply = member(*relates, "m.in_reply_to")) e.in_reply_to = string_at(*reply, "event_id");
  }
  if (const json* mentions = member(content, "m.mentions"))
    if (const json* ids = member(*mentions, "user_ids"); ids && ids->is_array())
      e.mentions_bot = !bot_user.empty() && std::any_of(ids->begin(), ids->end(), [&](const json& id) {
        return id.is_string() && id.get_ref<const std::string&>() == bot_user;
      });
  // Invite stripped state may include m.room.encryption (spec client-server "Stripped state").
  if (const json* unsigned_ = member(raw, "unsigned"))
    if (const json* state = member(*unsigned_, "invite_room_state"); state && state->is_array())
      e.invite_says_encrypted = std::any_of(state->begin(), state->end(),
                                            [](const json& s) { return string_at(s, "type") == "m.room.encryption"; });
  return e;
}

std::optional<std::vector<Event>> parse_transaction(const json& body, std::string_view bot_user) {
  if (!body.is_object()) return std::nullopt;
  std::vector<Event> out;
  // "events" is required, but a transaction carrying only other keys (ephemeral data, to-device
  // messages) is accepted as empty: refusing it would make the homeserver retry it forever.
  const json* events = member(body, "events");
  if (!events) return out;
  if (!events->is_array()) return std::nullopt;
  out.reserve(events->size());
  for (const json& raw : *events)
    if (raw.is_object()) out.push_back(parse_event(raw, bot_user));
  return out;
}

namespace {

// A structural reading of JSON text: where each value starts and ends, nothing decoded. Enough to
// find the elements of one array; each is then parsed properly on its own.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // The next value's raw text; nullopt when there is none or it is not closed.
  std::optional<std::string_view> value() {
    skip_space();
    if (at_end()) return std::nullopt;
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (c == '"') {
      if (!skip_string()) return std::nullopt;
    } else if (c == '{' || c == '[') {
      std::size_t depth = 0;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (d == '"') {
          if (!skip_string()) return std::nullopt;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if ((d == '}' || d == ']') && --depth == 0) break;
      }
      if (depth != 0) return std::nullopt;
    } else {
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
                                     text_[pos_] == '+' || text_[pos_] == '.'))
        ++pos_;
      if (pos_ == start) return std::nullopt;
    }
    return text_.substr(start, pos_ - start);
  }

 private:
  bool skip_string() {
    ++pos_;  // the opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\\') {
        pos_ += 2;
      } else {
        ++pos_;
        if (c == '"') return true;
      }
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The "event_id" of an element that does not parse, read as plainly as it is written.
std::string raw_event_id(std::string_view element) {
  const std::size_t key = element.find("\"event_id\"");
  if (key == std::string_view::npos) return {};
  Scanner scanner(element.substr(key + 10));
  if (!scanner.take(':')) return {};
  const auto value = scanner.value();
  if (!value || value->size() < 2 || value->front() != '"') return {};
  const auto parsed = json::parse(*value, nullptr, false);
  return parsed.is_string() ? parsed.get<std::string>() : std::string();
}

}  // namespace

std::optional<SalvagedTransaction> salvage_transaction(std::string_view body, std::string_view bot_user) {
  Scanner top(body);
  if (!top.take('{')) return std::nullopt;
  std::optional<std::string_view> events;
  if (!top.take('}')) {
    do {
      const auto key = top.value();
      if (!key || key->front() != '"' || !top.take(':')) return std::nullopt;
      const auto value = top.value();
      if (!value) return std::nullopt;
      if (*key == "\"events\"") events = value;
    } while (top.take(','));
    if (!top.take('}')) return std::nullopt;
  }
  top.skip_space();
  if (!top.at_end() || !events || events->front() != '[') return std::nullopt;
  SalvagedTransaction out;
  Scanner list(*events);
  list.take('[');
  if (list.take(']')) return out;
  std::size_t position = 0;
  do {
    const auto element = list.value();
    if (!element) return std::nullopt;
    const json raw = json::parse(*element, nullptr, false);
    if (raw.is_discarded())
      out.skipped.push_back({position, raw_event_id(*element)});
    else if (raw.is_object())
      out.events.push_back(parse_event(raw, bot_user));
    ++position;
  } while (list.take(','));
  if (!list.take(']')) return std::nullopt;
  return out;
}

std::string_view strip_reply_fallback(std::string_view body) {
  // The fallback is every leading line that starts with "> " (a quoted empty line may be a bare
  // ">"), then usually one empty line before the reply itself.
  if (!body.starts_with("> ")) return body;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t eol = body.find('\n', pos);
    const std::string_view line = body.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (!line.starts_with("> ") && line != ">") break;
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
  }
  return trim_left(body.substr(pos));
}

std::optional<std::string> command_text(std::string_view body, std::string_view bot_user) {
  const std::string_view s = trim_left(body);
  // "/whygo" typed in Element opens an "Unknown command" dialog whose default sends it as text;
  // "//whygo" is the escape that sends "/whygo" literally (matrix-react-sdk#3893), and some
  // clients may still deliver it doubled, so all three prefixes count.
  for (const std::string_view prefix : {"!whygo", "//whygo", "/whygo"}) {
    if (starts_with_ignoring_case(s, prefix) && (s.size() == prefix.size() || is_space(s[prefix.size()])))
      return std::string(text::trim(s.substr(prefix.size())));
  }
  // A mention at the start: the full user id (typed, or an older client's pill body), or the
  // localpart with a separator, as Element writes a pill for a user without a display name.
  const auto after_mention = [&](std::string_view name, bool needs_separator) -> std::optional<std::string> {
    if (name.empty() || !starts_with_ignoring_case(s, name)) return std::nullopt;
    std::string_view rest = s.substr(name.size());
    // A separator counts only before a space: "@whygo:other.org" is someone else.
    const bool separated =
        !rest.empty() && (rest.front() == ':' || rest.front() == ',') && (rest.size() == 1 || is_space(rest[1]));
    if (separated)
      rest.remove_prefix(1);
    else if (needs_separator || (!rest.empty() && !is_space(rest.front())))
      return std::nullopt;
    return std::string(text::trim(rest));
  };
  const std::string_view local = localpart(bot_user);
  if (local.empty()) return std::nullopt;
  if (auto rest = after_mention(bot_user, false)) return rest;
  if (auto rest = after_mention("@" + std::string(local), false)) return rest;
  if (auto rest = after_mention(local, true)) return rest;
  return std::nullopt;
}

Decision decide(const Event& event, std::string_view bot_user, std::int64_t now_unix_ms) {
  if (event.event_id.empty() || event.room_id.empty()) return {};
  if (event.type == "m.room.member" && event.state_key && *event.state_key == bot_user && event.membership == "invite")
    return {Action::join, {}};
  // The bot is a joined member, so its own sends come back to it (as maubot and matrix-bot-sdk drop them).
  if (event.sender.empty() || event.sender == bot_user) return {};
  if ((event.type == "m.room.encryption" && event.state_key && event.state_key->empty()) ||
      (event.type == "m.room.encrypted" && !event.state_key))
    return {Action::say_encrypted, {}};
  if (event.type != "m.room.message" || event.state_key) return {};
  // Only m.text: "m.notice messages must never be automatically responded to" (spec
  // m.room.message$m.notice), which also keeps two bots from answering each other forever.
  if (event.msgtype != "m.text") return {};
  // Edits (spec event_replacements): the original was already answered.
  if (event.rel_type == "m.replace" || event.has_new_content) return {};
  // After an outage the homeserver replays old events; an hour-old question gets no answer.
  const auto max_age = std::chrono::duration_cast<std::chrono::milliseconds>(limits::matrix::command_max_age).count();
  if (event.origin_server_ts > 0 && now_unix_ms - event.origin_server_ts > max_age) return {};
  const std::string_view body = event.in_reply_to.empty() ? event.body : strip_reply_fallback(event.body);
  if (auto text = command_text(body, bot_user)) return {Action::command, std::move(*text)};
  // An intentional mention anywhere (m.mentions). Not for replies: clients add the replied-to
  // sender to m.mentions, so "thanks" in reply to the bot would otherwise become a search.
  if (event.mentions_bot && event.in_reply_to.empty()) return {Action::command, std::string(text::trim(body))};
  return {};
}

}  // namespace whygo::matrix
