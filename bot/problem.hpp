// What is wrong with an input, in words for whoever gave it (a chat member, an operator). Checks
// return std::optional<Problem>: nullopt when the input is fine.
#pragma once
#include <string>

namespace whygo {

struct Problem {
  std::string text;
};

}  // namespace whygo
