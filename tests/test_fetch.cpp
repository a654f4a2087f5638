// The safe fetcher (bot/fetch.hpp): which addresses are public, the WHYGO_FETCH_ALLOW blocks, and
// fetches against a real HTTP server on loopback: refused unless allowed, redirects judged hop by
// hop, a host name that resolves to loopback refused, private and metadata addresses never
// connected to, bodies capped, timeouts and a deadline.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "bot/config.hpp"
#include "bot/fetch.hpp"
#include "bot/ip_range.hpp"
#include "tests/support.hpp"

using namespace whygo;
using namespace std::chrono_literals;

namespace {

std::string reason(const char* address) {
  const auto ip = IpAddress::parse(address);
  REQUIRE(ip);
  return non_public_reason(*ip);
}

FetchSettings loopback_allowed() {
  FetchSettings s;
  s.allow = parse_ip_ranges("127.0.0.1/32", "test");
  return s;
}

std::string port_of(const test::FakePlatform& fake) {
  return fake.base_url().substr(fake.base_url().rfind(':') + 1);
}

}  // namespace

TEST_CASE("addresses: IPv4 and IPv6 text, CIDR blocks normalized to their network", "[fetch]") {
  CHECK(IpAddress::parse("10.0.0.1")->is_v4());
  CHECK(IpAddress::parse("10.0.0.1")->text() == "10.0.0.1");
  CHECK(IpAddress::parse("2001:DB8::1")->text() == "2001:db8::1");
  CHECK_FALSE(IpAddress::parse("::1")->is_v4());
  // inet_aton's shorthand and octal are not addresses here: a link may not hide 127.0.0.1.
  for (const char* bad : {"", "127.1", "0x7f000001", "2130706433", "010.0.0.1", "1.2.3.4.5", "fe80::1%eth0", "host"}) {
    INFO(bad);
    CHECK_FALSE(IpAddress::parse(bad));
  }
  CHECK(IpRange::parse("10.1.2.3/8")->text() == "10.0.0.0/8");
  CHECK(IpRange::parse("127.0.0.1")->text() == "127.0.0.1/32");
  CHECK(IpRange::parse(" fd00::1/8 ")->text() == "fd00::/8");
  CHECK(IpRange::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
  CHECK_FALSE(IpRange::parse("0.0.0.0/0")->contains(*IpAddress::parse("2001:db8::1")));
  CHECK(IpRange::parse("::/0")->contains(*IpAddress::parse("8.8.8.8")));  // every address
  CHECK(IpRange::parse("172.16.0.0/12")->contains(*IpAddress::parse("172.31.255.255")));
  CHECK_FALSE(IpRange::parse("172.16.0.0/12")->contains(*IpAddress::parse("172.32.0.0")));
  CHECK(IpRange::parse("fe80::/10")->contains(*IpAddress::parse("febf::1")));
  CHECK_FALSE(IpRange::parse("fe80::/10")->contains(*IpAddress::parse("fec0::1")));
  for (const char* bad :
       {"1.2.3.4/33", "::1/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/8x", "1.2.3/8", "/8", "a/8", "1.2.3.4/0008"}) {
    INFO(bad);
    CHECK_FALSE(IpRange::parse(bad));
  }
}

TEST_CASE("addresses: loopback, private, link-local and other non-public blocks are named", "[fetch]") {
  for (const char* ip :
       {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
        "100.127.255.255", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
        "255.255.255.255", "240.0.0.1", "192.0.2.10", "198.18.0.1", "::", "::1", "fe80::1", "febf::ffff", "fc00::1",
        "fd12:3456::1", "ff02::1", "fec0::1", "2001:db8::1",
        // IPv4 inside IPv6 is judged as that IPv4.
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0", "64:ff9b::a00:1",
        "2002:7f00:1::1", "2002:a9fe:a9fe::", "::127.0.0.1"}) {
    INFO(ip);
    CHECK_FALSE(reason(ip).empty());
  }
  CHECK(reason("127.0.0.1") == "loopback");
  CHECK(reason("::ffff:127.0.0.1") == "loopback");
  CHECK(reason("169.254.169.254").find("link-local") == 0);
  CHECK(reason("fd12:3456::1").find("private") == 0);
  for (const char* ip :
       {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "11.0.0.1", "2606:4700:4700::1111",
        "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    INFO(ip);
    CHECK(reason(ip).empty());
  }
}

TEST_CASE("WHYGO_FETCH_ALLOW: comma-separated CIDR blocks, a bad one is a clear error", "[fetch][config]") {
  const auto ranges = parse_ip_ranges(" 127.0.0.1/32, ::1/128 ,,fd00::/8", "WHYGO_FETCH_ALLOW");
  REQUIRE(ranges.size() == 3);
  CHECK(ranges[1].text() == "::1/128");
  CHECK(parse_ip_ranges("", "WHYGO_FETCH_ALLOW").empty());
  CHECK_THROWS_WITH(parse_ip_ranges("127.0.0.1/32,10.0.0.0/33", "WHYGO_FETCH_ALLOW"),
                    Catch::Contains("WHYGO_FETCH_ALLOW") && Catch::Contains("10.0.0.0/33"));
  {
    test::ScopedEnv allow("WHYGO_FETCH_ALLOW", "127.0.0.1/32,localhost");
    CHECK_THROWS_WITH(Config::load("", {}), Catch::Contains("WHYGO_FETCH_ALLOW") && Catch::Contains("localhost"));
  }
  test::ScopedEnv allow("WHYGO_FETCH_ALLOW", "127.0.0.1/32");
  const Config config = Config::load("", {});
  REQUIRE(config.fetch_allow.size() == 1);
  CHECK(config.describe()["fetch_allow"] == "127.0.0.1/32");
}

TEST_CASE("fetch: loopback is refused by default and fetched when allowed, with whygo's User-Agent", "[fetch]") {
  test::FakePlatform fake;
  fake.routes().Get("/page",
                    [](const httplib::Request&, httplib::Response& res) { res.set_content("hello", "text/plain"); });
  fake.start();
  const auto refused = Fetcher().fetch({"GET", fake.base_url() + "/page", {}});
  CHECK(refused.error == FetchError::refused_address);
  CHECK(refused.status == 0);
  CHECK(refused.detail.find("loopback") != std::string::npos);
  REQUIRE(refused.hops.size() == 1);
  CHECK(refused.hops[0].address.empty());
  CHECK(fake.requests().empty());

  const auto fetched =
      Fetcher(loopback_allowed()).fetch({"GET", fake.base_url() + "/page#part", {{"Range", "bytes=0-9"}}});
  CHECK(fetched.error == FetchError::none);
  CHECK(fetched.status == 206);  // the Range asked for, whole
  CHECK(fetched.body == "hello");
  CHECK_FALSE(fetched.truncated);
  CHECK(fetched.final_url == fake.base_url() + "/page");
  REQUIRE(fetched.hops.size() == 1);
  CHECK(fetched.hops[0].address == "127.0.0.1");
  REQUIRE(fake.requests().size() == 1);
  CHECK(fake.requests()[0].header("User-Agent").rfind("whygo-link-checker/", 0) == 0);
  CHECK(fake.requests()[0].header("Range") == "bytes=0-9");

  const auto head = Fetcher(loopback_allowed()).fetch({"HEAD", fake.base_url() + "/page", {}});
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(fake.requests().back().method == "HEAD");
}

TEST_CASE("fetch: a host name that resolves to loopback is refused without connecting", "[fetch]") {
  test::FakePlatform fake;
  fake.routes().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
  fake.start();
  const auto r = Fetcher().fetch({"GET", "http://localhost:" + port_of(fake) + "/", {}});
  CHECK(r.error == FetchError::refused_address);
  CHECK(r.detail.find("localhost") != std::string::npos);
  CHECK(fake.requests().empty());
  // Allowed, the same name is fetched from the vetted address.
  const auto allowed = Fetcher(loopback_allowed()).fetch({"GET", "http://localhost:" + port_of(fake) + "/", {}});
  CHECK(allowed.status == 200);
  CHECK(allowed.hops.at(0).address == "127.0.0.1");
}

TEST_CASE("fetch: private and metadata addresses are never connected to", "[fetch]") {
  // 10.0.0.1 and 169.254.169.254 answer nothing here: a connection attempt would wait out the
  // connect timeout. Refused before connecting, the answer is immediate.
  FetchSettings s = loopback_allowed();
  s.connect_timeout = 3s;
  const Fetcher fetcher(s);
  for (const char* url :
       {"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1:8443/x",
        "http://[::ffff:169.254.169.254]/", "http://[fd00::1]/", "http://0.0.0.0:80/", "http://127.0.0.2/"}) {
    INFO(url);
    const auto started = std::chrono::steady_clock::now();
    const auto r = fetcher.fetch({"GET", url, {}});
    CHECK(std::chrono::steady_clock::now() - started < 500ms);
    CHECK(r.error == FetchError::refused_address);
    REQUIRE(r.hops.size() == 1);
    CHECK(r.hops[0].address.empty());
  }
}

TEST_CASE("fetch: redirects are followed by hand, each hop judged again", "[fetch]") {
  test::FakePlatform fake;
  fake.routes().Get("/old", [](const httplib::Request&, httplib::Response& res) {
    res.status = 301;
    res.set_header("Location", "new?x=1");  // relative to /old
  });
  fake.routes().Get("/new",
                    [](const httplib::Request&, httplib::Response& res) { res.set_content("new", "text/plain"); });
  fake.routes().Get("/to-private", [](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", "http://169.254.169.254/latest/meta-data/");
  });
  fake.routes().Get("/loop", [](const httplib::Request&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", "/loop");
  });
  fake.start();
  const Fetcher fetcher(loopback_allowed());
  const auto moved = fetcher.fetch({"GET", fake.base_url() + "/old", {}});
  CHECK(moved.error == FetchError::none);
  CHECK(moved.status == 200);
  CHECK(moved.body == "new");
  CHECK(moved.final_url == fake.base_url() + "/new?x=1");
  REQUIRE(moved.hops.size() == 2);
  CHECK(moved.hops[0].status == 301);
  CHECK(moved.hops[1].status == 200);

  const auto bounced = fetcher.fetch({"GET", fake.base_url() + "/to-private", {}});
  CHECK(bounced.error == FetchError::refused_address);
  REQUIRE(bounced.hops.size() == 2);
  CHECK(bounced.hops[0].status == 302);
  CHECK(bounced.hops[1].address.empty());
  CHECK(bounced.final_url == "http://169.254.169.254/latest/meta-data/");

  FetchSettings few = loopback_allowed();
  few.max_redirects = 3;
  const auto looped = Fetcher(few).fetch({"GET", fake.base_url() + "/loop", {}});
  CHECK(looped.error == FetchError::too_many_redirects);
  CHECK(looped.hops.size() == 4);
}

TEST_CASE("fetch: a redirect to loopback from an allowed host is refused when that hop is not allowed", "[fetch]") {
  // The allowed block is 127.0.0.1/32; the redirect goes to 127.0.0.2, loopback too (the same
  // server would answer there) but not allowed.
  test::FakePlatform fake;
  fake.routes().Get("/hop", [&fake](const httplib::Request&, httplib::Response& res) {
    res.status = 308;
    res.set_header("Location", "http://127.0.0.2:" + port_of(fake) + "/secret");
  });
  fake.start();
  const auto r = Fetcher(loopback_allowed()).fetch({"GET", fake.base_url() + "/hop", {}});
  CHECK(r.error == FetchError::refused_address);
  CHECK(r.detail.find("127.0.0.2 is loopback") != std::string::npos);
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("fetch: the body is capped and the rest not read", "[fetch]") {
  test::FakePlatform fake;
  fake.routes().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1 << 20, 'a'), "text/plain");
  });
  fake.routes().Get("/endless", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t, httplib::DataSink& sink) {
      const std::string chunk(4096, 'b');
      return sink.write(chunk.data(), chunk.size());  // until the reader hangs up
    });
  });
  fake.start();
  FetchSettings s = loopback_allowed();
  s.max_body = 1000;
  const Fetcher fetcher(s);
  for (const char* path : {"/big", "/endless"}) {
    INFO(path);
    const auto r = fetcher.fetch({"GET", fake.base_url() + path, {}});
    CHECK(r.error == FetchError::none);
    CHECK(r.status == 200);
    CHECK(r.body.size() == 1000);
    CHECK(r.truncated);
  }
}

TEST_CASE("fetch: a slow answer times out, a dripping one meets the deadline", "[fetch]") {
  std::atomic<bool> done = false;  // before the fake: it outlives the fake's threads
  test::FakePlatform fake;
  fake.routes().Get("/slow", [&done](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 40 && !done; ++i) std::this_thread::sleep_for(50ms);
    res.set_content("late", "text/plain");
  });
  fake.routes().Get("/drip", [&done](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&done](std::size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(100ms);
      return !done && sink.write("x", 1);
    });
  });
  fake.start();
  FetchSettings s = loopback_allowed();
  s.read_timeout = 300ms;
  s.deadline = 800ms;
  const Fetcher fetcher(s);
  auto started = std::chrono::steady_clock::now();
  const auto slow = fetcher.fetch({"GET", fake.base_url() + "/slow", {}});
  CHECK(slow.error == FetchError::timeout);
  CHECK(std::chrono::steady_clock::now() - started < 1500ms);
  started = std::chrono::steady_clock::now();
  const auto drip = fetcher.fetch({"GET", fake.base_url() + "/drip", {}});
  CHECK(drip.error == FetchError::timeout);
  CHECK(drip.status == 200);
  CHECK(std::chrono::steady_clock::now() - started < 1500ms);
  done = true;
}

TEST_CASE("fetch: only http and https URLs with a host", "[fetch]") {
  const Fetcher fetcher;
  CHECK(fetcher.fetch({"GET", "file:///etc/passwd", {}}).error == FetchError::bad_scheme);
  CHECK(fetcher.fetch({"GET", "ftp://example.org/x", {}}).error == FetchError::bad_scheme);
  CHECK(fetcher.fetch({"GET", "gopher://127.0.0.1:70/", {}}).error == FetchError::bad_scheme);
  CHECK(fetcher.fetch({"GET", "not a url", {}}).error == FetchError::bad_url);
  CHECK(fetcher.fetch({"GET", "/relative", {}}).error == FetchError::bad_url);
  CHECK(fetcher.fetch({"GET", "http://user:pw@example.org/", {}}).error == FetchError::bad_url);
  CHECK(fetcher.fetch({"GET", "http://example.org:99999/", {}}).error == FetchError::bad_url);
  CHECK(default_user_agent().rfind("whygo-link-checker/", 0) == 0);
  CHECK(default_user_agent("https://whygo.example.org").find("+https://whygo.example.org") != std::string::npos);
}
