// What admins and suggesters may put in the catalog. Each check returns nullopt when the value
// is fine, or what to fix, in words for the person who typed it.
#pragma once
#include <optional>
#include <string_view>

#include <string>
#include <string_view>
#include "bot/problem.hpp"

namespace whygo::validate {

// 1 to 200 characters of valid UTF-8, without control characters or invisible format characters
// (Unicode category Cf: U+200B, U+200E, U+202E, U+FEFF, ...).
std::optional<Problem> title(std::string_view title);
// Up to 100 characters, same character rules as titles; may be empty.
std::optional<Problem> author(std::string_view author);
// Lower-case letters, digits, '.', '-', '+'; 1 to 32 characters (a leading '#' is allowed).
std::optional<Problem> tag(std::string_view tag);

}  // namespace whygo::validate
