#include "adapters/matrix/poster.hpp"

#include "adapters/matrix/client.hpp"
#include "adapters/matrix/limits.hpp"
#include "adapters/matrix/render.hpp"
#include "bot/limits.hpp"

namespace whygo::matrix {

Poster story_poster(const MatrixConfig& config, const OutboundClient& client) {
  Poster poster;
  poster.idempotent = true;
  poster.spacing = limits::matrix::story_post_spacing;
  poster.pace_scope = PaceScope::bot;  // a homeserver limits the bot's user, in every room
  poster.send = [matrix = Client(config, client)](const StoryPost& post) {
    const CallResult r =
        matrix.send_message(post.channel, render(post.reply, ReplyTarget{}), txn_id_for("story", post.idempotency_key));
    return PostResult{r.ok, r.attempts, r.ok ? std::string() : r.describe()};
  };
  return poster;
}

}  // namespace whygo::matrix
