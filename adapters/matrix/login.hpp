// `whygo matrix login --user @bot:server [--device NAME]`: an access token for a new device of
// an ordinary user, for MATRIX_ACCESS_TOKEN (Matrix as a user, no homeserver administrator
// needed). The password comes from MATRIX_PASSWORD, else the first line of standard input, so it
// never sits in the shell's history or the process list.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "adapters/matrix/config.hpp"
#include "bot/outbound.hpp"

namespace whygo::matrix {

// args: the words after "matrix". Prints the token alone on `out`, what to do with it on `err`.
// Returns 0 when logged in, 1 when the homeserver refused or could not be reached, 2 for a usage
// or setting error.
int login_cli(const MatrixConfig& config, const OutboundClient& outbound, const std::vector<std::string>& args,
              std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace whygo::matrix
