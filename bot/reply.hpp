// What comes out of the dispatcher: a platform-neutral Reply, which each adapter renders.
// Nothing here knows HTTP or any platform's format.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/link.hpp"
#include "bot/request.hpp"

namespace whygo {

enum class Visibility { asker_only, channel };

// Transport-neutral failure kinds; each adapter maps them to its own way of saying no.
enum class ErrorKind { none, bad_request, forbidden, not_found, too_many_requests, internal };
std::string_view to_string(ErrorKind kind);

// What a "More" button continues: one command that pages (search, list), the words it was
// given, and where the next page starts. It is never text to be read as a command again: a click
// runs `command` and only when it is one that pages (Dispatcher::page), for anybody alike.
struct MoreResults {
  std::string command;     // "search", "list"
  std::string args;        // the words after the command, as it was given them
  std::size_t offset = 0;  // where the next page starts
};

struct Reply {
  std::string title;        // "Why Go: docker", "Go story of the day, 27 Nov 2026"
  std::string text;         // plain text; may hold several lines
  std::vector<Link> links;  // ranked, best first
  std::string note;         // a remark after the links: "Did you mean ..."
  std::size_t total = 0;    // how many links matched in all
  std::size_t first = 0;    // index of links[0] among them
  Visibility visibility = Visibility::asker_only;
  ErrorKind error = ErrorKind::none;
  std::optional<MoreResults> more;
  // Lists other people's ids (pending, history, admins to an admin): for the asker alone on every
  // platform; where a room has no reply only the asker sees (Matrix), in a direct room instead.
  bool names_people = false;
  std::string command;  // which command answered (for logs and metrics)

  static Reply message(std::string text, Visibility visibility = Visibility::asker_only);
  static Reply failure(ErrorKind kind, std::string text);
};

}  // namespace whygo
