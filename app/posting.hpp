// The daily post's pieces shared by `serve` and `post-story`.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "bot/adapter.hpp"

namespace whygo {

// How each adapter that has its outbound credentials posts the story: for serve only those that
// are on; for post-story (posting_only) also those without the secret that verifies inbound
// requests, which posting does not need.
std::map<std::string, Poster> story_posters(const std::vector<Adapter>& adapters, const OutboundClient& outbound,
                                            const Clock& clock, Installations& installations,
                                            bool posting_only = false);

// Who holds a post claim: host, process and start time, for the logs and stale-claim recovery.
std::string process_name();

}  // namespace whygo
