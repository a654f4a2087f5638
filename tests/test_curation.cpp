// Admins curate the catalog from chat: each command, its refusals, undo, suggestions, audit.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "bot/search.hpp"
#include "bot/store.hpp"
#include "tests/support.hpp"

using namespace whygo;

namespace {

constexpr const char* uber_url = "https://www.uber.com/blog/go-geofence/";

// An admin's command, with the clock moved on so the write rate limit stays out of the way.
Reply admin(test::Fixture& f, const std::string& text) {
  f.clock.advance(std::chrono::seconds(10));
  return f.ask(text, true);
}

std::int64_t added_id(const Reply& r) {
  const auto hash = r.text.find('#');
  REQUIRE(hash != std::string::npos);
  return std::stoll(r.text.substr(hash + 1));
}

std::string first_title(test::Fixture& f, const std::string& query) {
  const auto r = f.app->search().find(query, 0, 5);
  return r.links.empty() ? std::string() : r.links[0].title;
}

}  // namespace

TEST_CASE("add stores a link that is searchable at once and exported", "[curation]") {
  test::Fixture f;
  const Reply r = admin(f, std::string("add ") + uber_url + " Go at Uber: geofencing by Kai Wei #geo #microservices");
  CHECK(r.error == ErrorKind::none);
  CHECK(r.visibility == Visibility::asker_only);
  const auto id = added_id(r);
  CHECK(id == 64);
  const auto link = f.app->store().link(id);
  REQUIRE(link);
  CHECK(link->title == "Go at Uber: geofencing");
  CHECK(link->author == "Kai Wei");
  CHECK(link->subject == "Uber");
  CHECK(link->origin == LinkOrigin::admin);
  for (const char* tag : {"uber", "uber.com", "article", "geo", "microservices"})
    CHECK(std::find(link->tags.begin(), link->tags.end(), tag) != link->tags.end());
  CHECK(first_title(f, "uber") == "Go at Uber: geofencing");
  CHECK(first_title(f, "microservices") == "Go at Uber: geofencing");
  CHECK(first_title(f, "kai wei") == "Go at Uber: geofencing");
}

TEST_CASE("add refuses what is not a good link, saying what to fix", "[curation]") {
  test::Fixture f;
  const std::string long_title(201, 'x');
  const std::pair<std::string, std::string> cases[] = {
      {"add ftp://example.org/x Title", "http and https"},
      {"add https://user:pw@example.org/x Title", "user name or password"},
      {"add https://example.org/x", "Give a title"},
      {"add example.org Title", "https://"},
      {"add https:///path Title", "no host"},
      {"add https://example.org/x " + long_title, "the most is 200"},
      {"add https://example.org/x Title \x01 with control", "control"},
      {"add https://example.org/x Title #Bad_Tag", "lower-case"},
      {"add https://example.org/" + std::string(2100, 'a') + " Title", "longer than 2048"},
      {"add https://example.org/x " + std::string(5000, 'a'), "too long"},
  };
  for (const auto& [text, why] : cases) {
    INFO(text.substr(0, 80));
    const Reply r = admin(f, text);
    CHECK(r.error == ErrorKind::bad_request);
    CHECK(r.text.find(why) != std::string::npos);
  }
  CHECK(f.app->store().link_count() == 63);
  CHECK(f.app->store().history(10).empty());
}

// <https://x|label> is how Slack wraps a link; its adapter unwraps it (adapters/slack/text.hpp).
// The generic command takes a link as typed and knows no platform's markup.
TEST_CASE("add and edit take no platform's markup for a link", "[curation]") {
  test::Fixture f;
  for (const std::string text : {"add <https://example.org/x> Title", "add <https://example.org/x|example.org/x> Title",
                                 "edit 22 url <https://example.org/y>"}) {
    INFO(text);
    CHECK(admin(f, text).error == ErrorKind::bad_request);
  }
  CHECK(f.app->store().link_count() == 63);
  CHECK(f.app->store().history(10).empty());
}

TEST_CASE("a link already there is refused with its id", "[curation]") {
  test::Fixture f;
  // The same link after normalising scheme, host case, trailing slash and tracking parameters.
  const Reply r = admin(f,
                        "add https://WWW.SLIDESHARE.NET/jpetazzo/docker-and-go-why-did-we-decide-to-write-docker-in-go/"
                        "?utm_source=chat Docker again");
  CHECK(r.error == ErrorKind::bad_request);
  CHECK(r.text.find("#22 \"Go at Docker\"") != std::string::npos);
  CHECK(f.app->store().link_count() == 63);
}

TEST_CASE("non-admins can change nothing but a suggestion", "[curation]") {
  test::Fixture f;
  for (const std::string& text :
       {std::string("add ") + uber_url + " Go at Uber", std::string("remove 22"), std::string("edit 22 title Nope"),
        std::string("tag 22 #x"), std::string("untag 22 #x"), std::string("undo"), std::string("history"),
        std::string("pending"), std::string("approve 1"), std::string("reject 1")}) {
    INFO(text);
    const Reply r = f.ask(text, false);
    CHECK(r.error == ErrorKind::forbidden);
    CHECK(r.visibility == Visibility::asker_only);
  }
  CHECK(f.app->store().link_count() == 63);
  CHECK(f.app->store().history(10).empty());
  const Reply suggested = f.ask(std::string("suggest ") + uber_url + " Go at Uber", false);
  CHECK(suggested.error == ErrorKind::none);
  CHECK(f.app->store().pending_suggestions(10).size() == 1);
}

TEST_CASE("remove, edit, tag and untag change the catalog and search at once", "[curation]") {
  test::Fixture f;
  CHECK(admin(f, "edit 22 title Go at Docker (the 2013 slides)").error == ErrorKind::none);
  CHECK(first_title(f, "docker") == "Go at Docker (the 2013 slides)");
  CHECK(first_title(f, "2013 slides") == "Go at Docker (the 2013 slides)");
  CHECK(admin(f, "edit 22 author Jérôme Petazzoni").error == ErrorKind::none);
  CHECK(first_title(f, "petazzoni") == "Go at Docker (the 2013 slides)");
  CHECK(admin(f, "tag 22 #containers").error == ErrorKind::none);
  CHECK(first_title(f, "containers") == "Go at Docker (the 2013 slides)");
  CHECK(admin(f, "untag 22 #containers").error == ErrorKind::none);
  CHECK(first_title(f, "containers").empty());
  CHECK(admin(f, "untag 22 #slides").text.find("comes from the link itself") != std::string::npos);
  CHECK(admin(f, "edit 22 url https://example.org/docker").error == ErrorKind::none);
  CHECK(f.app->store().link(22)->url == "https://example.org/docker");
  CHECK(admin(f, "edit 22 url http://www.dotgo.eu/").text.find("#60") != std::string::npos);  // taken
  CHECK(admin(f, "edit 22 colour red").error == ErrorKind::bad_request);
  CHECK(admin(f, "edit 999 title X").text.find("no link #999") != std::string::npos);
  CHECK(admin(f, "remove 22").error == ErrorKind::none);
  CHECK(first_title(f, "docker").empty());
  CHECK(f.app->store().link_count() == 62);
  CHECK(admin(f, "remove 22").error == ErrorKind::bad_request);
  CHECK(admin(f, "remove http://www.dotgo.eu").error == ErrorKind::none);  // by URL
  CHECK(f.app->store().link_count() == 61);
}

TEST_CASE("undo reverts each kind of change, walking back", "[curation]") {
  test::Fixture f;
  const auto id = added_id(admin(f, std::string("add ") + uber_url + " Go at Uber"));
  admin(f, "edit " + std::to_string(id) + " title Go at Uber (geofencing)");
  admin(f, "tag " + std::to_string(id) + " #maps");
  admin(f, "remove 22");

  CHECK(admin(f, "undo").text.find("Undid the removal") != std::string::npos);
  CHECK(first_title(f, "docker") == "Go at Docker");
  CHECK(admin(f, "undo").text.find("Undid the tag") != std::string::npos);
  CHECK(first_title(f, "maps").empty());
  CHECK(admin(f, "undo").text.find("Undid the edit") != std::string::npos);
  CHECK(f.app->store().link(id)->title == "Go at Uber");
  CHECK(admin(f, "undo").text.find("Undid the add") != std::string::npos);
  CHECK(first_title(f, "uber").empty());
  CHECK(f.app->store().link_count() == 63);
  CHECK(admin(f, "undo").text.find("no change left") != std::string::npos);
}

TEST_CASE("undo is per person and refuses to clobber a later change", "[curation]") {
  test::Fixture f;
  f.clock.advance(std::chrono::seconds(10));
  Request alice;
  alice.platform = "slack";
  alice.user = "UALICE";
  alice.is_admin = true;
  alice.text = "edit 22 title Go at Docker, by Alice";
  CHECK(f.app->dispatcher().handle(alice).error == ErrorKind::none);
  admin(f, "edit 22 title Go at Docker, by someone else");
  alice.text = "undo";
  const Reply r = f.app->dispatcher().handle(alice);
  CHECK(r.error == ErrorKind::bad_request);
  CHECK(r.text.find("changed after that") != std::string::npos);
  CHECK(f.app->store().link(22)->title == "Go at Docker, by someone else");
}

TEST_CASE("suggestions are approved or rejected by admins", "[curation]") {
  test::Fixture f;
  CHECK(f.ask(std::string("suggest ") + uber_url + " Go at Uber").text.find("Suggestion 1") != std::string::npos);
  CHECK(f.ask(std::string("suggest ") + uber_url + " Again").text.find("suggested already") != std::string::npos);
  CHECK(f.ask("suggest https://example.org/rust Rust is nice").error == ErrorKind::none);
  CHECK(f.ask("suggest ftp://example.org/x Nope").error == ErrorKind::bad_request);
  const Reply pending = admin(f, "pending");
  CHECK(pending.text.find("1. \"Go at Uber\"") != std::string::npos);
  CHECK(pending.text.find("2. \"Rust is nice\"") != std::string::npos);

  CHECK(admin(f, "approve 1").text.find("added #64") != std::string::npos);
  CHECK(first_title(f, "uber") == "Go at Uber");
  CHECK(admin(f, "approve 1").text.find("approved already") != std::string::npos);
  CHECK(admin(f, "reject 2 off topic").error == ErrorKind::none);
  CHECK(admin(f, "pending").text.find("No suggestions") != std::string::npos);
  CHECK(admin(f, "approve 9").text.find("no suggestion 9") != std::string::npos);

  // Undo walks back: the rejection, then the approval.
  admin(f, "undo");
  CHECK(f.app->store().pending_suggestions(10).size() == 1);
  admin(f, "undo");
  CHECK(f.app->store().pending_suggestions(10).size() == 2);
  CHECK(first_title(f, "uber").empty());
}

TEST_CASE("every change leaves an audit row: who, when, what, before and after", "[curation]") {
  test::Fixture f;
  admin(f, "edit 22 title Go at Docker (slides)");
  admin(f, "remove 60");
  const auto entries = f.app->store().history(10);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].action == AuditAction::remove);
  CHECK(entries[0].platform == "test");
  CHECK(entries[0].user == "admin");
  CHECK(entries[0].link_id == 60);
  CHECK(entries[0].before->title == "dotGo");
  CHECK_FALSE(entries[0].after);
  CHECK(entries[1].action == AuditAction::edit);
  CHECK(entries[1].before->title == "Go at Docker");
  CHECK(entries[1].after->title == "Go at Docker (slides)");
  CHECK(entries[1].at == std::chrono::duration_cast<std::chrono::seconds>(
                             (test::test_now() + std::chrono::seconds(10)).time_since_epoch())
                             .count());
  const Reply history = admin(f, "history 5");
  CHECK(history.text.find("test:admin  remove #60 \"dotGo\"") != std::string::npos);
  CHECK(history.text.find("(was \"Go at Docker\")") != std::string::npos);
}

TEST_CASE("writes are rate-limited per user, politely", "[curation]") {
  test::Fixture f;
  int refused = 0;
  for (int i = 0; i < 15; ++i) {
    const Reply r = f.ask("tag 22 #t" + std::to_string(i), true);
    if (r.error == ErrorKind::too_many_requests) {
      ++refused;
      CHECK(r.text.find("please wait") != std::string::npos);
    }
  }
  CHECK(refused == 5);
  // Searches are not limited; another user is not limited; time refills the bucket.
  CHECK_FALSE(f.ask("docker").links.empty());
  Request other;
  other.platform = "test";
  other.user = "other-admin";
  other.is_admin = true;
  other.text = "tag 22 #other";
  CHECK(f.app->dispatcher().handle(other).error == ErrorKind::none);
  f.clock.advance(std::chrono::seconds(6));
  CHECK(f.ask("tag 22 #again", true).error == ErrorKind::none);
}

TEST_CASE("a change survives a restart before the next search", "[curation]") {
  test::Fixture f;
  admin(f, std::string("add ") + uber_url + " Go at Uber");
  admin(f, "remove 22");
  Config config;
  config.db_path = test::database(f.dir, "whygo.db");
  f.app.reset();
  App restarted(config, f.clock);
  CHECK(restarted.search().find("uber", 0, 5).links.at(0).title == "Go at Uber");
  CHECK(restarted.search().find("docker", 0, 5).links.empty());
  CHECK(restarted.store().link_count() == 63);
  CHECK(restarted.store().history(5).size() == 2);
}

TEST_CASE("removed links are left out of exports and the story rotation, and imports do not revive them",
          "[curation]") {
  test::Fixture f;
  admin(f, "remove 22");
  const auto links = f.app->store().links();
  CHECK(std::none_of(links.begin(), links.end(), [](const Link& l) { return l.id == 22; }));
  for (int day = 0; day < 70; ++day) {
    f.clock.advance(std::chrono::hours(24));
    CHECK(f.ask("story").links.at(0).id != 22);
  }
  const auto counts =
      import_wiki(f.app->store(), test::read_text(std::string(WHYGO_SOURCE_DIR) + "/data/WhyGo.md"), test::test_unix());
  CHECK(counts.added == 0);
  CHECK(f.app->store().link_count() == 62);
}

TEST_CASE("searches keep working while admins write", "[curation]") {
  test::Fixture f;
  std::atomic<bool> stop{false};
  std::atomic<int> searches{0}, failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        const auto r = f.app->search().find("docker", 0, 5);
        if (r.links.empty() || r.links[0].id != 22) ++failures;
        ++searches;
      }
    });
  for (int i = 0; i < 40; ++i) {
    f.clock.advance(std::chrono::seconds(10));
    Request r;
    r.platform = "test";
    r.user = "writer";
    r.is_admin = true;
    r.text = "add https://example.org/post-" + std::to_string(i) + " Post number " + std::to_string(i);
    CHECK(f.app->dispatcher().handle(r).error == ErrorKind::none);
  }
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(failures == 0);
  CHECK(searches > 0);
  CHECK(f.app->store().link_count() == 103);
  CHECK(f.app->search().find("post", 0, 5).total == 40);
}

TEST_CASE("a URL with invalid UTF-8 is refused by add and suggest, never a server error (found by fuzzing)",
          "[curation]") {
  test::Fixture f;
  const Reply add = admin(f, "add https://x.org/\xff T");
  CHECK(add.error == ErrorKind::bad_request);
  CHECK(add.text.find("UTF-8") != std::string::npos);
  const Reply suggest = f.ask("suggest https://x.org/\xff T");
  CHECK(suggest.error == ErrorKind::bad_request);
  CHECK(f.app->store().pending_suggestions(10).empty());
}
