#include "commands/curation.hpp"

#include <algorithm>
#include <chrono>

#include "bot/clock.hpp"
#include "bot/limits.hpp"
#include "bot/store_roles.hpp"
#include "bot/text.hpp"
#include "bot/url.hpp"
#include "bot/validate.hpp"

namespace whygo::commands {

Actor actor_of(const Request& request, const Services& services) {
  return Actor{request.platform, request.user, unix_seconds(services.clock)};
}

std::optional<std::int64_t> parse_id(std::string_view word) {
  if (!word.empty() && word.front() == '#') word.remove_prefix(1);
  if (word.empty() || word.size() > 15) return std::nullopt;
  std::int64_t id = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id > 0 ? std::optional(id) : std::nullopt;
}

std::pair<std::string_view, std::string_view> first_word(std::string_view text) {
  text = text::trim(text);
  const std::size_t space = text.find_first_of(" \t\n");
  if (space == std::string_view::npos) return {text, {}};
  return {text.substr(0, space), text::trim(text.substr(space))};
}

TagsInput parse_tags(std::string_view text) {
  TagsInput out;
  std::vector<std::string>& tags = out.tags;
  while (!(text = text::trim(text)).empty()) {
    auto [word, rest] = first_word(text);
    text = rest;
    std::string tag = text::lower_ascii(word);
    if (!tag.empty() && tag.front() == '#') tag.erase(0, 1);
    if (auto why = validate::tag(tag)) return {{}, std::move(why)};
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  if (tags.size() > limits::tags_per_link_max)
    out.problem = Problem{"At most " + std::to_string(limits::tags_per_link_max) + " tags."};
  return out;
}

namespace {

// A title in straight or typographic double quotes at the start of text: the title and what
// follows the closing quote; nullopt when text does not start with a quote.
struct Quoted {
  std::string_view title;
  std::string_view rest;
  bool closed = false;
};
std::optional<Quoted> quoted_title(std::string_view text) {
  static constexpr std::string_view opening[] = {"\"", "\u201C"};
  static constexpr std::string_view closing[] = {"\"", "\u201D"};
  for (std::size_t kind = 0; kind < 2; ++kind) {
    if (text.substr(0, opening[kind].size()) != opening[kind]) continue;
    text.remove_prefix(opening[kind].size());
    const std::size_t end = text.find(closing[kind]);
    if (end == std::string_view::npos) return Quoted{text, {}, false};
    return Quoted{text.substr(0, end), text.substr(end + closing[kind].size()), true};
  }
  return std::nullopt;
}

}  // namespace

LinkInput parse_link_input(std::string_view args, bool allow_author_and_tags, std::string_view example) {
  LinkInput in;
  const std::string usage = "e.g. \"" + std::string(example) + "\"";
  auto [first, rest] = first_word(args);
  if (first.empty()) {
    in.problem = Problem{"Give the link and its title, " + usage + "."};
    return in;
  }
  in.url = std::string(first);
  if ((in.problem = url::problem(in.url))) return in;
  std::string_view body = text::trim(rest);
  const auto quoted = quoted_title(body);
  if (quoted) {
    if (!quoted->closed) {
      in.problem = Problem{"The title's closing quote is missing, " + usage + "."};
      return in;
    }
    in.title = std::string(text::trim(quoted->title));
    body = text::trim(quoted->rest);
  }
  if (allow_author_and_tags) {
    // Trailing words that start with '#' are tags.
    std::vector<std::string_view> trailing;
    while (true) {
      body = text::trim(body);
      const std::size_t space = body.find_last_of(" \t\n");
      const std::string_view last = space == std::string_view::npos ? body : body.substr(space + 1);
      if (last.size() < 2 || last.front() != '#') break;
      trailing.insert(trailing.begin(), last);
      body = space == std::string_view::npos ? std::string_view() : body.substr(0, space);
    }
    std::string tags_text;
    for (const auto tag : trailing) tags_text += std::string(tag) + " ";
    TagsInput typed = parse_tags(tags_text);
    if ((in.problem = std::move(typed.problem))) return in;
    in.tags = std::move(typed.tags);
    if (quoted) {
      // After a quoted title only "by <author>" may follow.
      if (body.substr(0, 3) == "by ") {
        in.author = std::string(text::trim(body.substr(3)));
        body = {};
      }
    } else if (const std::size_t by = body.rfind(" by "); by != std::string_view::npos) {
      // " by " splits the title from the author; the last one counts ("Go by Example by Mark").
      in.author = std::string(text::trim(body.substr(by + 4)));
      body = body.substr(0, by);
    }
    if (!in.author.empty() && (in.problem = validate::author(in.author))) return in;
  }
  if (quoted) {
    if (!body.empty()) {
      in.problem =
          Problem{"After the quoted title, only " +
                  std::string(allow_author_and_tags ? "\"by <author>\" and #tags may follow" : "nothing may follow") +
                  ": \"" + std::string(body) + "\" is left over, " + usage + "."};
      return in;
    }
  } else {
    in.title = std::string(text::trim(body));
  }
  if (in.title.empty()) {
    in.problem = Problem{"Give a title after the link, " + usage + "."};
    return in;
  }
  in.problem = validate::title(in.title);
  return in;
}

std::string describe(const Link& link) {
  return "#" + std::to_string(link.id) + " \"" + link.title + "\" (" + link.url + ")";
}

TagRequest parse_tag_request(std::string_view args, Services& services, const char* example) {
  TagRequest out;
  const auto [id_word, rest] = first_word(args);
  const auto id = parse_id(id_word);
  TagsInput typed = parse_tags(rest);
  out.tags = std::move(typed.tags);
  if (typed.problem) {
    out.problem = std::move(typed.problem);
  } else if (!id || out.tags.empty()) {
    out.problem = Problem{std::string("Which link, and which tags? e.g. \"").append(example).append("\".")};
  } else if (!(out.current = services.catalog.link(*id))) {
    out.problem = Problem{"There is no link #" + std::to_string(*id) + "."};
  }
  return out;
}

std::optional<std::int64_t> SelectionInput::single() const {
  if (selection.all || selection.ranges.size() != 1 || selection.ranges[0].first != selection.ranges[0].second)
    return std::nullopt;
  return selection.ranges[0].first;
}

SelectionInput parse_selection(std::string_view args) {
  SelectionInput in;
  std::string_view rest = text::trim(args);
  while (!rest.empty()) {
    const auto [word, after] = first_word(rest);
    if (text::lower_ascii(word) == "all") {
      in.selection.all = true;
    } else if (const auto id = parse_id(word)) {
      in.selection.ranges.emplace_back(*id, *id);
    } else if (const std::size_t dash = word.find('-'); dash != std::string_view::npos) {
      const auto first = parse_id(word.substr(0, dash));
      const auto last = parse_id(word.substr(dash + 1));
      if (!first || !last || *first > *last) break;
      in.selection.ranges.emplace_back(*first, *last);
    } else {
      break;
    }
    rest = after;
  }
  in.rest = rest;
  if (in.selection.all && !in.selection.ranges.empty())
    in.problem = Problem{"Say \"all\" or numbers, not both."};
  else if (!in.selection.all && in.selection.ranges.empty())
    in.problem = Problem{"Which suggestions? Give their numbers (\"5\", \"5 7 9\", \"3-40\"); \"pending\" lists them."};
  return in;
}

Reply refusal(std::string text) {
  return Reply::failure(ErrorKind::bad_request, std::move(text));
}

Reply refusal(const Problem& problem) {
  return refusal(problem.text);
}

Reply done(std::string text) {
  return Reply::message(std::move(text), Visibility::asker_only);
}

}  // namespace whygo::commands
