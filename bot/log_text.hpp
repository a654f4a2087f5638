// The text log holds values from outside (request paths, ids, names from payloads). Escaped, none
// of them can start a line of its own, move a terminal's cursor or colour it, or hide in
// invisible characters; a field value also cannot pass for the fields around it. (JSON logs are
// escaped by JSON itself.)
#pragma once
#include <string>
#include <string_view>

namespace whygo::log_text {

// One value as one field of a line: as it is when it holds only printable characters other than
// space, '"' and '\'; otherwise in double quotes, with \n \r \t \" \\, \xHH for other control
// bytes, DEL and bytes that are not UTF-8, and \u{HHHH} for C1 controls, line and paragraph
// separators and format characters (U+200B, U+202E, ...). Empty: "".
std::string field(std::string_view value);

// A whole message: the same escapes for control bytes, DEL, invalid UTF-8, C1 controls,
// separators and format characters; spaces, quotes and backslashes stay (fields in it are
// escaped already).
// The text sink passes every message through this.
std::string line(std::string_view message);

}  // namespace whygo::log_text
