#include "bot/reply.hpp"

namespace whygo {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::none:
      return "ok";
    case ErrorKind::bad_request:
      return "bad_request";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::too_many_requests:
      return "too_many_requests";
    case ErrorKind::internal:
      return "internal";
  }
  return "unknown";
}

Reply Reply::message(std::string text, Visibility visibility) {
  Reply reply;
  reply.text = std::move(text);
  reply.visibility = visibility;
  return reply;
}

Reply Reply::failure(ErrorKind kind, std::string text) {
  Reply reply;
  reply.text = std::move(text);
  reply.error = kind;
  reply.visibility = Visibility::asker_only;
  return reply;
}

}  // namespace whygo
