// The chat command grammar: Dispatcher::handle over a real App (bundled catalog, temporary SQLite
// file, one per process) with arbitrary text, as an admin and as anyone.
//
// Input: byte 0 chooses who asks (bit 0: admin; bits 1-2: platform; bit 3: which of two users;
// bits 4-7: the page offset / 5), the rest is up to 6 commands separated by NUL bytes, run in
// order (so "add ...", "undo", "undo" explore state within one input). Admin commands write to the
// database; the clock moves 7 s per command so the per-user write limit lets them through, and the
// database is put back to the seeded copy every 2000 inputs, so state from earlier inputs stays
// small (a crash found only after many inputs may need -runs over the crash directory to repeat).
//
// A command that starts with "m1:" is a "More" click instead: its payload goes through
// more::decode and Dispatcher::page, as the adapters do with a button's value.
//
// Oracle: no crash, no sanitizer report, and no "internal" error: the dispatcher turns any
// exception a command throws into ErrorKind::internal, and untrusted text must get a clear
// refusal instead. Set WHYGO_FUZZ_ALLOW_INTERNAL=1 to only look for crashes.
//
// WHYGO_FUZZ_UTF8_ONLY=1 skips commands that are not valid UTF-8: Slack, Discord and Matrix only
// ever deliver valid UTF-8 (form_decode and the JSON parser refuse anything else), so this fuzzes
// what chat platforms can send; without it the console's raw bytes are fuzzed too.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bot/dispatcher.hpp"
#include "bot/limits.hpp"
#include "bot/more.hpp"
#include "fuzz/common.hpp"

namespace {

using namespace whygo;

constexpr std::size_t reset_every = 2000;
constexpr std::size_t commands_max = 6;

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && *v != '0';
}

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool well_formed_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
      n = 0;
    else if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c == 0xE0)
      n = 2, lo = 0xA0;
    else if (c == 0xED)
      n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
      n = 2;
    else if (c == 0xF0)
      n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
      n = 3;
    else if (c == 0xF4)
      n = 3, hi = 0x8F;
    else
      return false;
    if (n > 0 && i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static fuzz::AppFixture& fixture = fuzz::AppFixture::get();
  static const bool allow_internal = env_flag("WHYGO_FUZZ_ALLOW_INTERNAL");
  static const bool utf8_only = env_flag("WHYGO_FUZZ_UTF8_ONLY");
  static std::size_t runs = 0;
  if (++runs % reset_every == 0) fixture.reset();

  static const char* const platforms[] = {"console", "slack", "discord", "matrix"};
  const std::uint8_t flags = data[0];
  Request request;
  request.is_admin = flags & 1;
  request.platform = platforms[(flags >> 1) & 3];
  request.tenant = "T1";
  request.channel = "C1";
  request.user = (flags & 8) ? "U2" : "U1";
  if (request.is_admin) request.admin_reason = "are listed in WHYGO_ADMINS";
  request.offset = static_cast<std::size_t>(flags >> 4) * limits::results_per_page;

  for (const std::string_view text : fuzz::split(fuzz::as_view(data + 1, size - 1), '\0', commands_max)) {
    if (utf8_only && !well_formed_utf8(text)) continue;
    fixture.clock().advance(std::chrono::seconds(7));
    request.text = std::string(text);
    Dispatcher& dispatcher = fixture.app().dispatcher();
    const auto click = text.starts_with("m1:") ? more::decode(text) : std::nullopt;
    const Reply reply = click ? dispatcher.page(request, *click) : dispatcher.handle(request);
    if (!allow_internal) WHYGO_FUZZ_CHECK(reply.error != ErrorKind::internal, request.text + " -> " + reply.text);
    WHYGO_FUZZ_CHECK(reply.links.size() <= limits::results_per_page || reply.command != "search", request.text);
    // A click runs the command it names when that one pages, and nothing else, whoever clicks.
    if (click) {
      const Command* ran = dispatcher.find(reply.command);
      WHYGO_FUZZ_CHECK(reply.command == "more" || (ran && ran->pages && reply.command == click->command),
                       request.text + " -> " + reply.command);
    }
    // Every "More" a reply carries is a payload that decodes to itself.
    if (reply.more) {
      const auto back = more::decode(more::encode(*reply.more));
      WHYGO_FUZZ_CHECK(back && back->command == reply.more->command && back->args == reply.more->args &&
                           back->offset == reply.more->offset,
                       request.text);
    }
  }
  return 0;
}
