// Reading interactions: permissions bitfields, hostile JSON, who is an admin.
#include <catch2/catch.hpp>

#include "adapters/discord/interactions.hpp"
#include "adapters/discord/permissions.hpp"

using namespace whygo;
using namespace whygo::discord;

TEST_CASE("permission bitfields parse as decimal strings, however large", "[discord][permissions]") {
  CHECK(parse_permissions("0") == 0u);
  CHECK(parse_permissions("8") == 8u);
  CHECK(parse_permissions("2147483647") == 2147483647u);
  CHECK(parse_permissions("18446744073709551615") == UINT64_MAX);
  // Past 2^64 the low bits stay exact: 2^64 + 32 carries MANAGE_GUILD, 2^70 carries nothing low.
  CHECK(parse_permissions("18446744073709551648") == 32u);
  CHECK(parse_permissions("1180591620717411303424") == 0u);
  // Past 2^53 a double would lose the low bits; 2^60 + 8 must keep ADMINISTRATOR.
  CHECK(parse_permissions("1152921504606846984") == (std::uint64_t{1} << 60) + 8);
}

TEST_CASE("permission garbage is not a bitfield", "[discord][permissions]") {
  for (const char* garbage : {"", "-8", "+8", " 8", "8 ", "0x20", "8.0", "1e3", "eight", "８"})
    CHECK_FALSE(parse_permissions(garbage));
  CHECK_FALSE(parse_permissions(std::string(65, '9')));
}

TEST_CASE("ADMINISTRATOR or MANAGE_GUILD make an admin, other bits do not", "[discord][permissions]") {
  CHECK(grants_admin(permission_administrator));
  CHECK(grants_admin(permission_manage_guild));
  CHECK(grants_admin(*parse_permissions("2147483647")));
  CHECK_FALSE(grants_admin(0));
  CHECK_FALSE(grants_admin((1u << 10) | (1u << 11) | (1u << 4)));  // view, send, manage channels
}

namespace {
std::string member_command(const std::string& permissions, const std::string& user = "555") {
  return R"({"type":2,"id":"1","application_id":"123","token":"tok","guild_id":"42","channel_id":"7",)"
         R"("member":{"user":{"id":")" +
         user + R"(","username":"x"},"permissions":")" + permissions +
         R"("},)"
         R"("data":{"name":"whygo","type":1,"options":[{"type":3,"name":"query","value":"docker"}]}})";
}
}  // namespace

TEST_CASE("a guild command becomes a Request with the guild as tenant", "[discord][interactions]") {
  const auto in = parse_interaction(member_command("0"));
  REQUIRE(in);
  CHECK(in->type == 2);
  CHECK(in->command_name == "whygo");
  CHECK(in->query == "docker");
  const Request r = to_request(*in, AdminList{}, in->query, 0);
  CHECK(r.platform == "discord");
  CHECK(r.tenant == "42");
  CHECK(r.channel == "7");
  CHECK(r.user == "555");
  CHECK(r.text == "docker");
  CHECK_FALSE(r.is_admin);
}

TEST_CASE("admins: only WHYGO_ADMINS change the catalog, MANAGE_GUILD and ADMINISTRATOR manage the guild channels",
          "[discord][interactions]") {
  const AdminList admins = {"discord:80351110224678912"};
  for (const char* bits : {"32", "8"}) {
    const auto in = parse_interaction(member_command(bits));
    CHECK_FALSE(is_admin(*in, admins));
    CHECK(manages_guild(*in));
    const Request r = to_request(*in, admins, "x", 0);
    CHECK_FALSE(r.is_admin);
    CHECK(r.manages_channel);
    CHECK(r.admin_reason.find("Manage Server") != std::string::npos);
  }
  CHECK_FALSE(is_admin(*parse_interaction(member_command("3072")), admins));
  CHECK_FALSE(manages_guild(*parse_interaction(member_command("3072"))));
  CHECK_FALSE(is_admin(*parse_interaction(member_command("garbage")), admins));
  CHECK(is_admin(*parse_interaction(member_command("0", "80351110224678912")), admins));
  CHECK(to_request(*parse_interaction(member_command("0", "80351110224678912")), admins, "x", 0).manages_channel);
  // A DM has `user`, no member; a permissions field outside a member means nothing.
  const auto dm =
      parse_interaction(R"({"type":2,"user":{"id":"555"},"permissions":"8","data":{"name":"whygo","options":[]}})");
  REQUIRE(dm);
  CHECK_FALSE(dm->has_member);
  CHECK(dm->user_id == "555");
  CHECK_FALSE(is_admin(*dm, admins));
  CHECK_FALSE(manages_guild(*dm));
  CHECK(to_request(*dm, admins, "x", 0).tenant.empty());
  const auto dm_admin = parse_interaction(R"({"type":2,"user":{"id":"80351110224678912"},"data":{"name":"whygo"}})");
  CHECK(is_admin(*dm_admin, admins));
}

TEST_CASE("hostile bodies: malformed JSON and wrong types never throw", "[discord][interactions]") {
  for (const char* body : {"", "null", "[]", "{", R"({"type":"1"})", R"({"type":1.5})", R"({"data":{}})", "\xff\xfe"})
    CHECK_FALSE(parse_interaction(body));
  const char* odd[] = {
      R"({"type":2,"member":"x","user":5,"data":[]})",
      R"({"type":2,"member":{"user":[],"permissions":8},"data":{"name":7,"options":{"name":"query"}}})",
      R"({"type":2,"data":{"name":"whygo","options":[1,null,{"name":"query","value":42,"focused":"yes"}]}})",
      R"({"type":3,"data":{"custom_id":{"a":1}},"guild_id":42,"channel_id":null})",
      R"({"type":99999999999999999999})",
  };
  for (const char* body : odd) {
    INFO(body);
    std::optional<Interaction> in;
    REQUIRE_NOTHROW(in = parse_interaction(body));
    if (!in) continue;
    CHECK(in->query.empty());
    CHECK_FALSE(is_admin(*in, AdminList{}));
  }
}

TEST_CASE("autocomplete reads the focused option, partial or missing", "[discord][interactions]") {
  const auto typing = parse_interaction(
      R"({"type":4,"data":{"name":"whygo","options":[{"type":3,"name":"query","value":"dock","focused":true}]}})");
  REQUIRE(typing);
  CHECK(typing->query == "dock");
  CHECK(typing->query_focused);
  const auto nothing = parse_interaction(R"({"type":4,"data":{"name":"whygo"}})");
  REQUIRE(nothing);
  CHECK(nothing->query.empty());
}
