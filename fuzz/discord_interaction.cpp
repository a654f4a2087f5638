// Discord interaction bodies (POST /discord/interactions after the signature checked out):
// parse_interaction, who is an admin and the Request built from it, the "More" button's
// custom_id, member.permissions, and the hex decoding of keys and signatures. Mirrors
// adapters/discord/routes.cpp answer() up to the point where the dispatcher would run.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/discord/components.hpp"
#include "adapters/discord/interactions.hpp"
#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "adapters/discord/permissions.hpp"
#include "adapters/discord/signature.hpp"
#include "bot/limits.hpp"
#include "bot/text.hpp"
#include "fuzz/common.hpp"

namespace {

using namespace whygo;

void check_custom_id(std::string_view custom_id) {
  const auto more = discord::parse_more_custom_id(custom_id);
  if (!more) return;
  WHYGO_FUZZ_CHECK(!more->args.empty() && text::valid_utf8(more->args) && !more->command.empty(), custom_id);
  // A custom_id we accept is one we could have made: writing it back gives the same page.
  if (const auto id = discord::more_custom_id(*more)) {
    const auto again = discord::parse_more_custom_id(*id);
    WHYGO_FUZZ_CHECK(
        again && again->offset == more->offset && again->args == more->args && again->command == more->command,
        custom_id);
  }
}

void check_permissions(std::string_view decimal) {
  const auto value = discord::parse_permissions(decimal);
  if (!value) return;
  WHYGO_FUZZ_CHECK(!decimal.empty() && decimal.size() <= limits::discord::permissions_max_digits, decimal);
  if (decimal.size() <= 19) {
    const std::string copy(decimal);
    WHYGO_FUZZ_CHECK(*value == std::strtoull(copy.c_str(), nullptr, 10), decimal);
  }
  (void)discord::grants_admin(*value);
}

void check_text(std::string_view text) {
  (void)discord::escape_markdown(text);
  const std::string clipped = discord::clip(text, 100);
  WHYGO_FUZZ_CHECK(discord::char_count(clipped) <= 100, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::quiet();
  const std::string_view body = fuzz::as_view(data, size);

  static const AdminList admins = {"discord:80351110224678912", "slack:U012AB3CD", "discord:42/555"};

  if (const auto in = discord::parse_interaction(body)) {
    const Request request = discord::to_request(*in, admins, in->query, 0);
    WHYGO_FUZZ_CHECK(request.platform == "discord", body);
    // Only WHYGO_ADMINS make a catalog admin, whatever the guild's permission bits say.
    WHYGO_FUZZ_CHECK(!request.is_admin || admins.listed("discord", in->user_id, in->guild_id), body);
    // No guild member, no guild rights.
    if (!in->has_member) WHYGO_FUZZ_CHECK(request.manages_channel == request.is_admin, body);
    if (request.is_admin || request.manages_channel) WHYGO_FUZZ_CHECK(!request.admin_reason.empty(), body);
    check_custom_id(in->custom_id);
    check_text(in->query);
  }

  // The raw input as each of the small fields.
  check_custom_id(body);
  check_permissions(body);
  check_text(body);
  if (const auto bytes = discord::from_hex(body)) {
    WHYGO_FUZZ_CHECK(bytes->size() * 2 == body.size(), body);
    const std::string hex = discord::to_hex(bytes->data(), bytes->size());
    WHYGO_FUZZ_CHECK(text::lower_ascii(body) == hex, body);
  }
  if (const auto verifier = discord::SignatureVerifier::from_hex_key(body))
    WHYGO_FUZZ_CHECK(!verifier->verify(std::string(128, '0'), "1700000000", "{}"), body);
  return 0;
}
