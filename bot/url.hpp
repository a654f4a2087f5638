// Links people paste into chat: what is wrong with one, and when two are the same link.
#pragma once
#include <optional>

#include <string>
#include <string_view>
#include "bot/problem.hpp"

namespace whygo::url {

// nullopt when the URL is acceptable; otherwise what to fix, in words for the person who typed it.
// http or https only, a host, no user name or password, no spaces, at most 2048 bytes.
std::optional<Problem> problem(std::string_view url);

// The same key for the same link: scheme ignored (http and https), host in lower case without a
// default port, no fragment, no trailing slash, no tracking parameters (utm_*, fbclid, ...).
std::string key(std::string_view url);

}  // namespace whygo::url
