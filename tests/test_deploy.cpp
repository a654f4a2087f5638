// The deployment files: they must keep working with the binary as built.
#include <catch2/catch.hpp>

#include <sstream>

#include "tests/support.hpp"

using namespace whygo;

namespace {
std::string source(const std::string& path) {
  return std::string(WHYGO_SOURCE_DIR) + "/" + path;
}
}  // namespace

TEST_CASE("the systemd unit passes systemd-analyze verify", "[deploy]") {
  if (test::run("command -v systemd-analyze").exit_code != 0) {
    WARN("systemd-analyze is not installed; the unit is not verified");
    return;
  }
  test::TempDir dir;
  std::string unit = test::read_text(source("deploy/whygo.service"));
  REQUIRE(unit.find("ExecStart=/usr/local/bin/whygo serve") != std::string::npos);
  // Verify checks that ExecStart exists: point it at the binary just built.
  for (std::size_t at = unit.find("/usr/local/bin/whygo"); at != std::string::npos;
       at = unit.find("/usr/local/bin/whygo", at))
    unit.replace(at, std::string("/usr/local/bin/whygo").size(), WHYGO_BINARY);
  test::write_text(dir.file("whygo.service"), unit);
  const auto r = test::run("systemd-analyze verify " + dir.file("whygo.service"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  for (const char* hardening : {"NoNewPrivileges=yes", "ProtectSystem=strict", "DynamicUser=yes",
                                "StateDirectory=whygo", "Restart=on-failure", "EnvironmentFile="})
    CHECK(unit.find(hardening) != std::string::npos);
}

TEST_CASE("the example config is valid and names every key", "[deploy]") {
  test::TempDir dir;
  const auto r = test::run("WHYGO_DB=" + dir.file("w.db") + " " + WHYGO_BINARY + " config check --config " +
                           source("deploy/whygo.example.json"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const std::string example = test::read_text(source("deploy/whygo.example.json"));
  for (const char* key :
       {"\"listen\"", "\"db\"", "\"synonyms\"", "\"admins\"", "\"log_format\"", "\"tls\"", "\"slack\"", "\"discord\"",
        "\"matrix\"", "\"api_base\"", "\"application_id\"", "\"homeserver_url\"", "\"bot_user\"", "\"as_id\""})
    CHECK(example.find(key) != std::string::npos);
}

TEST_CASE("the Dockerfile runs as a non-root user with a health check and a volume", "[deploy]") {
  const std::string docker = test::read_text(source("deploy/Dockerfile"));
  CHECK(docker.find("FROM debian:bookworm-slim AS build") != std::string::npos);
  CHECK(docker.find("USER whygo") != std::string::npos);
  CHECK(docker.find("HEALTHCHECK") != std::string::npos);
  CHECK(docker.find("VOLUME /var/lib/whygo") != std::string::npos);
}

TEST_CASE("the container installs the package of every shared library the binary needs", "[deploy]") {
  if (test::run("command -v readelf && command -v dpkg").exit_code != 0) {
    WARN("readelf or dpkg is missing; the Dockerfile's runtime packages are not checked");
    return;
  }
  const std::string docker = test::read_text(source("deploy/Dockerfile"));
  // For each DT_NEEDED library: the Debian package that ships it, as the shell finds it.
  const auto r = test::run(std::string("for l in $(readelf -d ") + WHYGO_BINARY +
                           " | sed -n 's/.*NEEDED.*\\[\\(.*\\)\\]/\\1/p'); do p=$(ldd " + WHYGO_BINARY +
                           " | awk -v l=$l '$1==l {print $3}'); dpkg -S $(readlink -f $p) | cut -d: -f1; done");
  REQUIRE(r.exit_code == 0);
  std::istringstream packages(r.out);
  std::string package;
  int checked = 0;
  while (std::getline(packages, package)) {
    if (package == "libc6" || package == "libstdc++6" || package == "libgcc-s1") continue;  // in the base image
    if (package.rfind("libasan", 0) == 0 || package.rfind("libubsan", 0) == 0) continue;    // sanitizer builds only
    INFO(package);
    CHECK(docker.find(" " + package + " ") != std::string::npos);
    ++checked;
  }
  CHECK(checked >= 5);
}
