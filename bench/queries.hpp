// The fixed query mix every benchmark uses: what people type, by kind.
#pragma once
#include <array>
#include <string_view>

namespace whygo::bench {

struct Query {
  std::string_view kind;
  std::string_view text;
};

inline constexpr std::array<Query, 18> query_mix{{
    {"company", "docker"},
    {"company", "youtube"},
    {"company", "cloudflare"},
    {"company", "dropbox"},
    {"company", "k8s"},
    {"person", "rob pike"},
    {"person", "cheney"},
    {"person", "brad fitzpatrick"},
    {"typo", "dcoker"},
    {"typo", "cloudfare"},
    {"typo", "fitzpatrik"},
    {"prefix", "dock"},
    {"prefix", "cloud"},
    {"prefix", "gopher"},
    {"topic", "concurrency"},
    {"topic", "garbage collection"},
    {"nonsense", "xyzzy"},
    {"nonsense", "qwertyuiop asdfgh"},
}};

}  // namespace whygo::bench
