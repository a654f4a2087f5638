// One catalog entry: a link on why someone chose Go.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace whygo {

struct Link {
  std::int64_t id = 0;
  std::string title;
  std::string url;
  std::string author;             // "Rob Pike"; empty when the wiki names nobody
  std::string medium;             // as the wiki writes it: "YouTube", "dotGo 2014", "#1", "on StackOverflow"
  std::string section;            // "Why Go", "Benchmarks", "Conference & Meetup", ...
  std::string subject;            // the company or project the story is about ("Docker"); may be empty
  std::vector<std::string> tags;  // lower-case: subject, projects, host, kind of media
  std::string origin = "wiki";    // "wiki" (imported) or "admin" (added from chat)
};

}  // namespace whygo
