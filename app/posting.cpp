#include "app/posting.hpp"

#include <unistd.h>

#include <chrono>

namespace whygo {

std::map<std::string, Poster> story_posters(const std::vector<Adapter>& adapters, const OutboundClient& outbound,
                                            const Clock& clock, Installations& installations, bool posting_only) {
  std::map<std::string, Poster> posters;
  for (const Adapter& adapter : adapters) {
    if ((!adapter.enabled && !posting_only) || !adapter.poster) continue;
    if (auto poster = adapter.poster(outbound, clock, installations)) posters[adapter.name] = std::move(*poster);
  }
  return posters;
}

std::string process_name() {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
}

}  // namespace whygo
