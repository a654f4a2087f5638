// `whygo serve` on loopback.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "tests/support.hpp"

using namespace whygo;

TEST_CASE("serve answers /healthz and stops cleanly on SIGTERM", "[server]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "ok\n");
  CHECK(client.Get("/nope")->status == 404);
  CHECK(server.stop(SIGTERM) == 0);
  CHECK(test::read_text(server.log_path()).find("GET /healthz 200") != std::string::npos);
}

TEST_CASE("serve refuses an oversized body with 413", "[server]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Post("/healthz", std::string(200 * 1024, 'x'), "text/plain");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve fails clearly when WHYGO_LISTEN is malformed", "[server]") {
  test::TempDir dir;
  const auto r = test::run("WHYGO_LISTEN=nonsense WHYGO_DB=" + dir.file("w.db") + " " + WHYGO_BINARY + " serve");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("WHYGO_LISTEN") != std::string::npos);
}

namespace {
std::string env_and(const test::TempDir& dir, const std::string& rest) {
  return "WHYGO_DB=" + dir.file("w.db") + " " + rest;
}
}  // namespace

TEST_CASE("config errors stop the start and name their key", "[server][config]") {
  test::TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {R"({"listen": "nonsense"})", "listen"},
      {R"({"listne": "127.0.0.1:1"})", "listne: unknown setting"},
      {R"({"db": 42})", "db: expected a string"},
      {R"({"slack": {"signing_secret": "x"}})",
       "slack.signing_secret: unknown setting (secrets come only from the environment"},
      {R"({"admins": ["slack:U1", "irc:bob"]})", "admins"},
      {R"({"log_format": "xml"})", "log_format"},
      {R"({"discord": {"api_base": "ftp://x"}})", "discord.api_base"},
      {R"({"tls": {"cert": "/x.pem"}})", "tls"},
      {"{not json", "not valid JSON"},
  };
  for (const auto& [json, key] : cases) {
    INFO(json);
    test::write_text(dir.file("c.json"), json);
    const auto r = test::run(env_and(dir, std::string(WHYGO_BINARY) + " serve --config " + dir.file("c.json")));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(key) != std::string::npos);
  }
  CHECK(test::run(env_and(dir, std::string(WHYGO_BINARY) + " config check --config /nonexistent.json")).exit_code == 2);
}

TEST_CASE("config check prints the effective settings with secrets masked", "[server][config]") {
  test::TempDir dir;
  test::write_text(
      dir.file("c.json"),
      R"({"listen": "127.0.0.1:9999", "admins": ["slack:U1"], "slack": {"api_base": "http://127.0.0.1:1/api"}})");
  test::write_text(dir.file("token"), "xoxb-from-a-file-not-real\n");
  const auto r =
      test::run(env_and(dir,
                        "WHYGO_LISTEN=127.0.0.1:7777 SLACK_SIGNING_SECRET=very-secret-value "
                        "SLACK_BOT_TOKEN_FILE=" +
                            dir.file("token") + " " + WHYGO_BINARY + " config check --config " + dir.file("c.json")));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("127.0.0.1:7777") != std::string::npos);  // the environment wins
  CHECK(r.out.find("\nslack: on\n") != std::string::npos);
  CHECK(r.out.find("very-secret-value") == std::string::npos);
  CHECK(r.out.find("xoxb-from-a-file") == std::string::npos);
  CHECK(r.out.find("(set, 17 characters)") != std::string::npos);
  CHECK(r.out.find("(set, 25 characters)") != std::string::npos);  // read from the _FILE, trimmed
  CHECK(r.out.find("off (DISCORD_PUBLIC_KEY is not set)") != std::string::npos);
  CHECK(r.out.find("config OK") != std::string::npos);
  // Where each value came from.
  const auto line = [&r](const std::string& name) {
    const std::size_t at = r.out.find("\n  " + name + " ");
    return at == std::string::npos ? std::string() : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
  };
  CHECK(line("listen").find("environment (WHYGO_LISTEN)") != std::string::npos);
  CHECK(line("admins").find("file (" + dir.file("c.json") + ")") != std::string::npos);
  CHECK(line("api_base").find("file (" + dir.file("c.json") + ")") != std::string::npos);
  CHECK(line("log_format").find("default") != std::string::npos);
  CHECK(line("signing_secret").find("environment (SLACK_SIGNING_SECRET)") != std::string::npos);
  CHECK(line("bot_token").find("environment (SLACK_BOT_TOKEN_FILE=" + dir.file("token") + ")") != std::string::npos);
  const auto given = test::run(
      env_and(dir, std::string(WHYGO_BINARY) + " config check --db " + dir.file("other.db") + " --log-format=json"));
  CHECK(given.out.find(dir.file("other.db")) != std::string::npos);
  CHECK(given.out.find("command line (--db)") != std::string::npos);
  CHECK(given.out.find("command line (--log-format)") != std::string::npos);
}

TEST_CASE("config check says OK only when serve would start and be ready, as /readyz would", "[server][config]") {
  test::TempDir dir;
  const auto check = [&dir](const std::string& env) {
    return test::run(env_and(dir, env + " " + WHYGO_BINARY + " config check"));
  };
  // An adapter that is on but lacks what answering and posting need is incomplete.
  const auto slack = check("SLACK_SIGNING_SECRET=s3cret");
  CHECK(slack.exit_code == 1);
  CHECK(slack.out.find("FAIL  slack: incomplete: SLACK_BOT_TOKEN is not set") != std::string::npos);
  CHECK(slack.out.find("config NOT OK") != std::string::npos);
  {
    test::ServerProcess server({"SLACK_SIGNING_SECRET=s3cret"}, dir.file("w.db"));
    httplib::Client client("127.0.0.1", server.port());
    const auto ready = client.Get("/readyz");
    CHECK(ready->status == 503);
    CHECK(ready->body.find("slack: SLACK_BOT_TOKEN is not set") != std::string::npos);
  }
  const auto matrix = check("MATRIX_AS_TOKEN=a MATRIX_HS_TOKEN=h MATRIX_BOT_USER=@whygo:example.org");
  CHECK(matrix.exit_code == 1);
  CHECK(matrix.out.find("FAIL  matrix: incomplete: MATRIX_HOMESERVER_URL") != std::string::npos);
  CHECK(check("SLACK_SIGNING_SECRET=s SLACK_BOT_TOKEN=xoxb-t").exit_code == 0);
  // The files serve reads, and the database's folder.
  const auto synonyms = check("WHYGO_SYNONYMS=/nonexistent/synonyms.txt");
  CHECK(synonyms.exit_code == 1);
  CHECK(synonyms.out.find("FAIL  synonyms (WHYGO_SYNONYMS): cannot read /nonexistent/synonyms.txt") !=
        std::string::npos);
  const auto tls = check("WHYGO_TLS_CERT=/nonexistent/cert.pem WHYGO_TLS_KEY=/nonexistent/key.pem");
  CHECK(tls.exit_code == 1);
  CHECK(tls.out.find("FAIL  tls: cannot read /nonexistent/cert.pem") != std::string::npos);
  test::write_text(dir.file("cert.pem"), "not a certificate\n");
  const auto garbage = check("WHYGO_TLS_CERT=" + dir.file("cert.pem") + " WHYGO_TLS_KEY=" + dir.file("cert.pem"));
  CHECK(garbage.exit_code == 1);
  CHECK(garbage.out.find("FAIL  TLS: cannot load the certificate") != std::string::npos);
  const auto folder = test::run(std::string("WHYGO_DB=/nonexistent/dir/w.db ") + WHYGO_BINARY + " config check");
  CHECK(folder.exit_code == 1);
  CHECK(folder.out.find("FAIL  database: the folder /nonexistent/dir of /nonexistent/dir/w.db does not exist") !=
        std::string::npos);
  if (getuid() == 0 && test::run("command -v setpriv").exit_code == 0) {
    // A folder the service's user cannot write: root's temp folder, as nobody.
    const auto readonly =
        test::run("WHYGO_DB=" + dir.file("w.db") + " setpriv --reuid=65534 --regid=65534 --clear-groups " +
                  WHYGO_BINARY + " config check");
    CHECK(readonly.exit_code == 1);
    CHECK(readonly.out.find("FAIL  database: the folder " + dir.path().string() + " is not writable") !=
          std::string::npos);
  }
  // config check creates nothing.
  test::TempDir empty;
  CHECK(test::run("WHYGO_DB=" + empty.file("w.db") + " " + WHYGO_BINARY + " config check").exit_code == 0);
  CHECK(std::filesystem::is_empty(empty.path()));
}

TEST_CASE("/metrics counts a request just made, /readyz is ready", "[server][metrics]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  CHECK(client.Get("/healthz")->status == 200);
  const auto ready = client.Get("/readyz");
  CHECK(ready->status == 200);
  CHECK(ready->get_header_value("X-Request-Id").size() > 4);
  // cpp-httplib runs the logger, where requests are counted, after the answer is sent: the count
  // of a request just made may lag its answer by a moment, and each /metrics call counts too.
  const auto counted = [](const std::string& body, const std::string& series) -> long {
    const std::size_t at = body.find(series + " ");
    return at == std::string::npos ? -1 : std::stol(body.substr(at + series.size() + 1));
  };
  const std::string requests = "whygo_http_requests_total{adapter=\"http\",command=\"none\",status=\"200\"}";
  const std::string timed = "whygo_http_request_duration_seconds_bucket{adapter=\"http\",le=\"+Inf\"}";
  std::string body;
  for (int i = 0; i < 100; ++i) {
    const auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    REQUIRE(metrics->status == 200);
    body = metrics->body;
    if (counted(body, requests) >= 2) break;  // /healthz and /readyz
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const long seen = counted(body, requests);
  CHECK(seen >= 2);
  CHECK(counted(body, timed) >= 2);
  CHECK(body.find("whygo_catalog_links 63") != std::string::npos);
  CHECK(body.find("whygo_build_info{version=") != std::string::npos);
  const auto again = client.Get("/metrics");
  CHECK(counted(again->body, requests) >= seen);  // never goes back
}

TEST_CASE("/readyz turns 503 when the database cannot be written", "[server][readyz]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  CHECK(client.Get("/readyz")->status == 200);
  // Even root cannot write an immutable file; skip where the file system lacks the flag.
  if (test::run("chattr +i " + dir.file("w.db")).exit_code != 0) {
    WARN("chattr +i is not available here; /readyz's 503 path is not exercised");
    return;
  }
  const auto res = client.Get("/readyz");
  test::run("chattr -i " + dir.file("w.db"));
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(res->body.find("database not writable") != std::string::npos);
  CHECK(client.Get("/readyz")->status == 200);
}

TEST_CASE("SIGTERM during a burst of requests loses none that were accepted and exits 0", "[server][shutdown]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  std::atomic<int> answered{0}, refused{0}, broken{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(false);
      for (int i = 0; i < 200; ++i) {
        const auto res = client.Get("/readyz");
        if (!res) {
          // No answer: the connection was refused, or reset from the kernel's backlog once the
          // listener closed. The server never took these requests.
          ++refused;
        } else if (res->status == 200) {
          ++answered;
        } else {
          ++broken;
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int code = server.stop(SIGTERM);
  for (auto& c : clients) c.join();
  CHECK(code == 0);
  CHECK(answered > 0);
  CHECK(broken == 0);
  // Every request the server took (and logged) reached its client: none lost in the shutdown.
  const std::string log = test::read_text(server.log_path());
  int logged = 0;
  for (std::size_t at = log.find("GET /readyz 200"); at != std::string::npos; at = log.find("GET /readyz 200", at + 1))
    ++logged;
  CHECK(logged == answered);
}

TEST_CASE("whygo backup copies the live database consistently", "[server][backup]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  const auto r = test::run(env_and(dir, std::string(WHYGO_BINARY) + " backup " + dir.file("copy.db")));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("backed up 63 links") != std::string::npos);
  const auto ask = test::run("WHYGO_DB=" + dir.file("copy.db") + " " + WHYGO_BINARY + " ask docker");
  CHECK(ask.out.find("Go at Docker") != std::string::npos);
  CHECK(test::run(env_and(dir, std::string(WHYGO_BINARY) + " backup " + dir.file("copy.db"))).exit_code == 2);
}

TEST_CASE("the JSON log format writes one JSON object per line", "[server][logs]") {
  test::TempDir dir;
  test::ServerProcess server({"WHYGO_LOG_FORMAT=json"}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  client.Get("/healthz");
  server.stop();
  std::istringstream log(test::read_text(server.log_path()));
  std::string line;
  int lines = 0;
  bool saw_request = false;
  while (std::getline(log, line)) {
    const auto j = nlohmann::json::parse(line);
    CHECK(j.contains("time"));
    CHECK(j.contains("level"));
    saw_request = saw_request || j["message"].get<std::string>().find("GET /healthz 200") != std::string::npos;
    ++lines;
  }
  CHECK(lines > 2);
  CHECK(saw_request);
}

TEST_CASE("serve speaks HTTPS when given a certificate and key", "[server][tls]") {
  test::TempDir dir;
  const auto made = test::run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
                              dir.file("key.pem") + " -out " + dir.file("cert.pem"));
  if (made.exit_code != 0) {
    WARN("the openssl command is missing; HTTPS is not exercised");
    return;
  }
  test::ServerProcess server({"WHYGO_TLS_CERT=" + dir.file("cert.pem"), "WHYGO_TLS_KEY=" + dir.file("key.pem")},
                             dir.file("w.db"));
  httplib::SSLClient client("127.0.0.1", server.port());
  client.enable_server_certificate_verification(false);  // self-signed for the test
  const auto res = client.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  httplib::Client plain("127.0.0.1", server.port());
  CHECK_FALSE(plain.Get("/healthz"));  // no plain HTTP on a TLS port
  CHECK(server.stop() == 0);
  const auto bad =
      test::run("WHYGO_DB=" + dir.file("w.db") + " WHYGO_TLS_CERT=" + dir.file("key.pem") +
                " WHYGO_TLS_KEY=" + dir.file("key.pem") + " WHYGO_LISTEN=127.0.0.1:0 " + WHYGO_BINARY + " serve");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("TLS") != std::string::npos);
}

TEST_CASE("a second serve on a port already taken exits with the reason, unless sharing is on", "[server][listen]") {
  test::TempDir dir;
  test::ServerProcess first({}, dir.file("w.db"));
  const std::string listen = "WHYGO_LISTEN=127.0.0.1:" + std::to_string(first.port());
  const auto second = test::run(listen + " WHYGO_DB=" + dir.file("other.db") + " " + WHYGO_BINARY + " serve");
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
  CHECK(second.err.find("the port is in use") != std::string::npos);
  CHECK(first.stop(SIGTERM) == 0);
  // Sharing on purpose (a hand-over): when both ask for it, both bind, and the second runs until
  // stopped.
  test::ServerProcess sharing({"WHYGO_SHARE_PORT=1"}, dir.file("w.db"));
  const auto shared = test::run("WHYGO_SHARE_PORT=1 WHYGO_LISTEN=127.0.0.1:" + std::to_string(sharing.port()) +
                                " WHYGO_DB=" + dir.file("other.db") + " timeout --preserve-status -s TERM 2 " +
                                WHYGO_BINARY + " serve");
  CHECK(shared.exit_code == 0);  // stopped by the TERM, cleanly
  CHECK(shared.out.find("whygo listening on") != std::string::npos);
  CHECK(sharing.stop(SIGTERM) == 0);
}

TEST_CASE(
    "a request refused while it trickles in is logged with its real duration and an id, "
    "and stays out of the latency histogram",
    "[server][logs]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  // Half a header, then silence: the front door answers 408 at its deadline and closes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  const std::string half = "GET /healthz HTTP/1.1\r\nHost: whygo\r\n";
  REQUIRE(::send(fd, half.data(), half.size(), 0) == static_cast<ssize_t>(half.size()));
  timeval wait{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string answer;
  char buffer[512];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);

  httplib::Client client("127.0.0.1", server.port());
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  // Only /metrics itself is in the histogram so far: the refused request added no seconds.
  const std::string sum_line = "whygo_http_request_duration_seconds_sum{adapter=\"http\"} ";
  const std::size_t at = metrics->body.find(sum_line);
  if (at != std::string::npos) CHECK(std::stod(metrics->body.substr(at + sum_line.size())) < 0.5);
  CHECK(server.stop(SIGTERM) == 0);
  const std::string log = test::read_text(server.log_path());
  const std::size_t line = log.find("refused=deadline");
  REQUIRE(line != std::string::npos);
  const std::string refused = log.substr(log.rfind('\n', line) + 1, log.find('\n', line) - log.rfind('\n', line) - 1);
  INFO(refused);
  CHECK(refused.find(" 408 ") != std::string::npos);
  CHECK(refused.find("request_id=") != std::string::npos);
  CHECK(refused.find("client=127.0.0.1") != std::string::npos);
  const std::size_t ms_end = refused.find("ms request_id=");
  const std::size_t ms_start = refused.rfind(' ', ms_end) + 1;
  CHECK(std::stod(refused.substr(ms_start, ms_end - ms_start)) >= 1900.0);  // the real wait, about 2 s
}

TEST_CASE("serve says why it cannot listen: the port is in use, or below 1024 without the right", "[server][errors]") {
  test::TempDir dir;
  // A plain listener (no SO_REUSEPORT) holds a port.
  const int holder = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(holder >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(holder, 1) == 0);
  socklen_t length = sizeof address;
  getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));
  const auto busy =
      test::run("WHYGO_DB=" + dir.file("w.db") + " WHYGO_LISTEN=127.0.0.1:" + port + " " + WHYGO_BINARY + " serve");
  close(holder);
  CHECK(busy.exit_code == 1);
  CHECK(busy.err.find("cannot listen on 127.0.0.1:" + port + " (WHYGO_LISTEN") != std::string::npos);
  CHECK(busy.err.find("the port is in use") != std::string::npos);

  const auto absent =
      test::run("WHYGO_DB=" + dir.file("w.db") + " WHYGO_LISTEN=192.0.2.1:8080 " + WHYGO_BINARY + " serve");
  CHECK(absent.exit_code == 1);
  CHECK(absent.err.find("this machine has no address 192.0.2.1") != std::string::npos);

  if (getuid() != 0 || test::run("command -v setpriv").exit_code != 0) {
    WARN("not root, or no setpriv: the permission case is not run");
    return;
  }
  // As nobody, a port below 1024 is refused; the database folder is the test's, open to it.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  const auto denied = test::run("WHYGO_DB=" + dir.file("nobody.db") +
                                " WHYGO_LISTEN=127.0.0.1:81 setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                WHYGO_BINARY + " serve");
  CHECK(denied.exit_code == 1);
  CHECK(denied.err.find("permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE") != std::string::npos);
}

TEST_CASE("an adapter that is off answers its routes with why, on every method", "[server][errors]") {
  test::TempDir dir;
  test::ServerProcess server({}, dir.file("w.db"));
  httplib::Client client("127.0.0.1", server.port());
  const auto slack = client.Post("/slack/commands", "text=docker", "application/x-www-form-urlencoded");
  REQUIRE(slack);
  CHECK(slack->status == 404);
  CHECK(slack->body.find("slack is off on this server: SLACK_SIGNING_SECRET is not set") != std::string::npos);
  const auto discord = client.Post("/discord/interactions", "{}", "application/json");
  CHECK(discord->body.find("discord is off on this server: DISCORD_PUBLIC_KEY is not set") != std::string::npos);
  const auto matrix = client.Put("/_matrix/app/v1/transactions/1", "{}", "application/json");
  CHECK(matrix->status == 404);
  CHECK(matrix->body.find(
            "matrix is off on this server: neither MATRIX_AS_TOKEN and MATRIX_HS_TOKEN (application service) nor "
            "MATRIX_ACCESS_TOKEN and MATRIX_HOMESERVER_URL (a user) are set") != std::string::npos);
  CHECK(client.Get("/_matrix/app/v1/users/@whygo:example.org")->body.find("matrix is off") != std::string::npos);
  CHECK(client.Put("/transactions/1", "{}", "application/json")->body.find("matrix is off") != std::string::npos);
  CHECK(client.Get("/elsewhere")->body.find("is off") == std::string::npos);
}
