#include <catch2/catch.hpp>

#include "bot/dispatcher.hpp"
#include "bot/limits.hpp"
#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("unknown first words fall through to search", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("docker");
  CHECK(r.command == "search");
  CHECK(r.visibility == Visibility::channel);
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.links[0].title == "Go at Docker");
  CHECK(r.title == "Why Go: docker");
}

TEST_CASE("command names are case-blind and take aliases", "[dispatcher]") {
  test::Fixture f;
  CHECK(f.ask("HELP").command == "help");
  CHECK(f.ask("?").command == "help");
  CHECK(f.ask("find docker").links.at(0).title == "Go at Docker");
  CHECK(f.ask("ls benchmarks").command == "list");
}

TEST_CASE("empty text shows help", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("   ");
  CHECK(r.command == "help");
  CHECK(r.visibility == Visibility::asker_only);
}

TEST_CASE("help is generated from the registry and hides admin commands", "[dispatcher]") {
  test::Fixture f;
  f.app->dispatcher().add(
      Command{.name = "wipe",
              .aliases = {},
              .usage = "wipe",
              .summary = "an admin-only test command",
              .admin_only = true,
              .run = [](const Request&, std::string_view, Services&) { return Reply::message("wiped"); }});
  const Reply everyone = f.ask("help");
  for (const auto& c : f.app->dispatcher().commands())
    if (!c.admin_only) CHECK(everyone.text.find(c.usage) != std::string::npos);
  CHECK(everyone.text.find("wipe") == std::string::npos);
  const Reply admin = f.ask("help", true);
  CHECK(admin.text.find("Admin commands:") != std::string::npos);
  CHECK(admin.text.find("wipe") != std::string::npos);
}

TEST_CASE("admin-only commands refuse others and change nothing", "[dispatcher]") {
  test::Fixture f;
  int runs = 0;
  f.app->dispatcher().add(Command{.name = "wipe",
                                  .aliases = {},
                                  .usage = "wipe",
                                  .summary = "test",
                                  .admin_only = true,
                                  .run = [&runs](const Request&, std::string_view, Services&) {
                                    ++runs;
                                    return Reply::message("wiped");
                                  }});
  const Reply refused = f.ask("wipe");
  CHECK(refused.error == ErrorKind::forbidden);
  CHECK(refused.visibility == Visibility::asker_only);
  CHECK(refused.text.find("admin") != std::string::npos);
  CHECK(runs == 0);
  CHECK(f.ask("wipe", true).text == "wiped");
  CHECK(runs == 1);
}

TEST_CASE("a failing command becomes an internal error reply", "[dispatcher]") {
  test::Fixture f;
  f.app->dispatcher().add(Command{.name = "boom",
                                  .aliases = {},
                                  .usage = "boom",
                                  .summary = "test",
                                  .run = [](const Request&, std::string_view, Services&) -> Reply {
                                    throw std::runtime_error("database on fire");
                                  }});
  const Reply r = f.ask("boom");
  CHECK(r.error == ErrorKind::internal);
  CHECK(r.text.find("database") == std::string::npos);  // no internals leak to chat
}

TEST_CASE("no match says so privately and suggests browsing", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("asdfgh");
  CHECK(r.links.empty());
  CHECK(r.error == ErrorKind::not_found);
  CHECK(r.visibility == Visibility::asker_only);
  CHECK(r.text.find("sections") != std::string::npos);
  CHECK(r.text.find("random") != std::string::npos);
}

TEST_CASE("did you mean is part of the reply", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("dcoker");
  REQUIRE_FALSE(r.links.empty());
  CHECK(r.note.find("Did you mean \"docker\"") != std::string::npos);
}

TEST_CASE("more results carry the state for the next page", "[dispatcher]") {
  test::Fixture f;
  const Reply first = f.ask("youtube");
  CHECK(first.links.size() == 5);
  REQUIRE(first.more.has_value());
  CHECK(first.more->command == "search");
  CHECK(first.more->args == "youtube");
  CHECK(first.more->offset == 5);
  const Reply second = f.ask(first.more->args, false, first.more->offset);
  CHECK(second.first == 5);
  CHECK(second.links.size() == first.total - 5);
  CHECK_FALSE(second.more.has_value());
  CHECK(f.ask("youtube", false, 100).links.empty());
}

// Found by fuzz_dispatcher: Xapian matches words whatever their bytes, but a More button must
// read back as what it continues (bot/more.hpp refuses words that are not UTF-8).
TEST_CASE("a search whose words are not UTF-8 gets its page and no More button", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("youtube \x9f\xdf\x9d\xd6");
  CHECK(r.links.size() == 5);
  CHECK_FALSE(r.more.has_value());
}

TEST_CASE("sections and list browse the catalog", "[dispatcher]") {
  test::Fixture f;
  const Reply sections = f.ask("sections");
  CHECK(sections.text.find("Why Go (56 links)") != std::string::npos);
  CHECK(sections.text.find("Benchmarks (3 links)") != std::string::npos);
  CHECK(sections.text.find("Conference & Meetup (4 links)") != std::string::npos);
  const Reply list = f.ask("list conference");
  CHECK(list.title == "Conference & Meetup");
  CHECK(list.links.size() == 4);
  CHECK(list.links[0].title == "dotGo");
  const Reply why = f.ask("list why go");
  CHECK(why.total == 56);
  REQUIRE(why.more.has_value());
  CHECK(why.more->command == "list");
  CHECK(why.more->args == "why go");
  CHECK(f.ask("list nope").error == ErrorKind::not_found);
  CHECK(f.ask("list").error == ErrorKind::bad_request);
}

TEST_CASE("stats count the catalog", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("stats");
  CHECK(r.text.find("63 links in 3 sections") != std::string::npos);
}

TEST_CASE("random shows one real link", "[dispatcher]") {
  test::Fixture f;
  const Reply r = f.ask("random");
  REQUIRE(r.links.size() == 1);
  CHECK(f.app->store().link(r.links[0].id).has_value());
}

TEST_CASE("story is the same all day and says its date", "[dispatcher]") {
  test::Fixture f;
  const Reply morning = f.ask("story");
  REQUIRE(morning.links.size() == 1);
  CHECK(morning.title == "Go story of the day, 27 Nov 2026");
  f.clock.advance(std::chrono::hours(15));  // 23:00 UTC, same date
  CHECK(f.ask("story").links.at(0).id == morning.links[0].id);
  CHECK(f.ask("story 2026-11-27").links.at(0).id == morning.links[0].id);
  f.clock.advance(std::chrono::hours(1));  // next date
  const Reply tomorrow = f.ask("story");
  CHECK(tomorrow.title == "Go story of the day, 28 Nov 2026");
  CHECK(tomorrow.links.at(0).id != morning.links[0].id);
  CHECK(f.ask("story 2026-13-01").error == ErrorKind::bad_request);
}

TEST_CASE("a story far in the future is refused, not worked out day by day", "[dispatcher][story]") {
  test::Fixture f;                                     // today is 27 Nov 2026
  CHECK(f.ask("story 2027-11-28").links.size() == 1);  // 366 days ahead: still told
  const Reply far = f.ask("story 9999-12-31");
  CHECK(far.error == ErrorKind::bad_request);
  CHECK(far.text.find("through 28 Nov 2027") != std::string::npos);
  CHECK(f.ask("story 2027-11-29").error == ErrorKind::bad_request);
}

// The adapters run a request on its own thread only when handle_from_memory takes it: a search
// or help, once the channel's last daily post was read and the index holds the latest catalog.
// Anything that may wait on the store goes through the background queue and the platform's
// answer deadline instead.
TEST_CASE("only what answers from memory is handled at once", "[dispatcher]") {
  test::Fixture f;
  Dispatcher& dispatcher = f.app->dispatcher();
  Request request;
  request.platform = "test";
  request.tenant = "T1";
  request.channel = "C1";
  request.user = "someone";
  request.text = "docker";
  // The channel's last daily post has not been read yet: the long way, once.
  CHECK_FALSE(dispatcher.handle_from_memory(request));
  CHECK(dispatcher.handle(request).command == "search");
  const auto found = dispatcher.handle_from_memory(request);
  REQUIRE(found);
  CHECK(found->command == "search");
  REQUIRE_FALSE(found->links.empty());
  CHECK(found->links[0].title == "Go at Docker");
  request.text = "";
  CHECK(dispatcher.handle_from_memory(request).value().command == "help");
  for (const char* reads_the_store : {"random", "story", "sections", "list benchmarks", "subscriptions", "stats"}) {
    INFO(reads_the_store);
    request.text = reads_the_store;
    CHECK_FALSE(dispatcher.handle_from_memory(request));
  }
  request.text = std::string(limits::command_max_bytes + 1, 'x');
  CHECK_FALSE(dispatcher.handle_from_memory(request));
  // An admin's change leaves the index behind until a search follows it: the long way again.
  REQUIRE(f.ask("add https://gobyexample.com \"Go by Example\" by Mark McGranaghan", true).error == ErrorKind::none);
  request.text = "gobyexample";
  CHECK_FALSE(dispatcher.handle_from_memory(request));
  REQUIRE(dispatcher.handle(request).links.at(0).title == "Go by Example");
  CHECK(dispatcher.handle_from_memory(request).value().links.at(0).title == "Go by Example");
  // Another channel starts the long way too.
  request.channel = "C2";
  CHECK_FALSE(dispatcher.handle_from_memory(request));
}
