// The deployment files: they must keep working with the binary as built.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support.hpp"

using namespace whygo;

namespace {
std::string source(const std::string& path) {
  return std::string(WHYGO_SOURCE_DIR) + "/" + path;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// The Dockerfile's stage named `stage` (or the last one): its lines, continuations joined.
std::vector<std::string> docker_stage(const std::string& stage) {
  std::vector<std::string> out;
  bool inside = false;
  std::string joined;
  for (const std::string& line : lines_of(test::read_text(source("deploy/Dockerfile")))) {
    if (line.rfind("#", 0) == 0) continue;
    if (line.rfind("FROM ", 0) == 0) inside = stage.empty() || line.find(" AS " + stage) != std::string::npos;
    if (!inside) continue;
    joined += line;
    if (!joined.empty() && joined.back() == '\\') {
      joined.back() = ' ';
      continue;
    }
    out.push_back(joined);
    joined.clear();
  }
  return out;
}

// The words of a shell-like list ("cmake g++ make ...").
std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) out.insert(word);
  return out;
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

TEST_CASE("the unit keeps settings in the JSON file alone, and reload does not stop the service", "[deploy]") {
  const std::string unit = test::read_text(source("deploy/whygo.service"));
  for (const std::string& line : lines_of(unit)) {
    INFO(line);
    // The environment wins over the file: a variable set here would silently override it.
    CHECK(line.rfind("Environment=", 0) != 0);
    // `systemctl reload` ran kill -TERM, and Restart=on-failure does not restart a clean exit.
    CHECK(line.rfind("ExecReload=", 0) != 0);
  }
  CHECK(unit.find("ExecStart=/usr/local/bin/whygo serve --config /etc/whygo/whygo.json\n") != std::string::npos);
}

TEST_CASE("a missing or malformed settings file fails the unit once, with whygo's message", "[deploy]") {
  const std::string unit = test::read_text(source("deploy/whygo.service"));
  std::smatch prevent;
  REQUIRE(std::regex_search(unit, prevent, std::regex("\nRestartPreventExitStatus=([0-9 ]+)\n")));
  const std::set<std::string> final_codes = words_of(prevent[1].str());
  test::TempDir dir;
  // ExecStart as the unit runs it, with the file missing, then malformed.
  const std::string serve = std::string("WHYGO_LISTEN=127.0.0.1:0 ") + WHYGO_BINARY + " serve --config ";
  const auto missing = test::run(serve + dir.file("whygo.json"));
  CHECK(final_codes.count(std::to_string(missing.exit_code)) == 1);
  CHECK(missing.err.find("cannot read " + dir.file("whygo.json") + ": No such file or directory") != std::string::npos);
  CHECK(missing.err.find("deploy/whygo.example.json") != std::string::npos);
  test::write_text(dir.file("whygo.json"), R"({"listen": "127.0.0.1:0", "admin": ["slack:U1"]})");
  const auto malformed = test::run(serve + dir.file("whygo.json"));
  CHECK(final_codes.count(std::to_string(malformed.exit_code)) == 1);
  CHECK(malformed.err.find("admin: unknown setting") != std::string::npos);
}

TEST_CASE("the unit's install steps run, leave the modes README states, and README shows the same steps", "[deploy]") {
  test::TempDir root;
  for (const char* folder : {"usr/local/bin", "etc/systemd/system"})
    std::filesystem::create_directories(root.path() / folder);
  const std::string unit = test::read_text(source("deploy/whygo.service"));
  const std::string readme = test::read_text(source("README.md"));
  std::string script = "set -e\n";
  int steps = 0;
  for (std::string line : lines_of(unit)) {
    if (line.rfind("#   sudo ", 0) != 0) continue;
    line = line.substr(4);
    INFO(line);
    CHECK(readme.find(line + "\n") != std::string::npos);       // README's production section, verbatim
    if (line.find("systemctl") != std::string::npos) continue;  // no service manager here
    ++steps;
    // Into a folder of our own, with the binary these tests run.
    line = std::regex_replace(line.substr(5), std::regex(" /(etc|usr)/"), " " + root.path().string() + "/$1/");
    line = std::regex_replace(line, std::regex(" build/whygo "), std::string(" ") + WHYGO_BINARY + " ");
    script += line + "\n";
  }
  CHECK(steps == 5);
  test::write_text(root.file("install.sh"), script);
  const auto installed = test::run(std::string("cd ") + WHYGO_SOURCE_DIR + " && bash " + root.file("install.sh"));
  INFO(script);
  REQUIRE(installed.exit_code == 0);
  CHECK(mode_of(root.file("usr/local/bin/whygo")) == 0755);
  CHECK(mode_of(root.file("etc/whygo")) == 0755);
  CHECK(mode_of(root.file("etc/whygo/whygo.json")) == 0644);  // the service's own user reads it
  CHECK(mode_of(root.file("etc/whygo/whygo.env")) == 0600);   // secrets: root only, systemd reads it
  CHECK(mode_of(root.file("etc/systemd/system/whygo.service")) == 0644);
  CHECK(test::read_text(root.file("etc/whygo/whygo.json")) == test::read_text(source("deploy/whygo.example.json")));
  CHECK(readme.find("`/etc/whygo/whygo.env` (mode 0600") != std::string::npos);
  // As installed, the settings pass config check (the database folder is the test's: /var/lib/whygo
  // is systemd's to create).
  test::TempDir state;
  const auto check = test::run("WHYGO_DB=" + state.file("whygo.db") + " " + root.file("usr/local/bin/whygo") +
                               " config check --config " + root.file("etc/whygo/whygo.json"));
  INFO(check.out);
  CHECK(check.exit_code == 0);
}

TEST_CASE("the example config makes nobody an admin and names no one else's application", "[deploy]") {
  const auto example = nlohmann::json::parse(test::read_text(source("deploy/whygo.example.json")));
  CHECK(example["admins"] == nlohmann::json::array());
  CHECK(example["discord"]["application_id"] == "");
  CHECK(example["matrix"]["homeserver_url"] == "");
  CHECK(example["matrix"]["bot_user"] == "");
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
        "\"matrix\"", "\"api_base\"", "\"application_id\"", "\"homeserver_url\"", "\"bot_user\"", "\"as_id\"",
        "\"public_url\"", "\"client_id\"", "\"authorize_url\"", "\"web\"", "\"enabled\""})
    CHECK(example.find(key) != std::string::npos);
}

TEST_CASE("the Dockerfile runs as a non-root user with a health check and a volume", "[deploy]") {
  const std::string docker = test::read_text(source("deploy/Dockerfile"));
  CHECK(docker.find("FROM debian:bookworm-slim AS build") != std::string::npos);
  CHECK(docker.find("USER whygo") != std::string::npos);
  CHECK(docker.find("HEALTHCHECK") != std::string::npos);
  CHECK(docker.find("VOLUME /var/lib/whygo") != std::string::npos);
  // The example publishes the port on loopback only, here and in README.
  const std::string run =
      "docker run -d --name whygo -p 127.0.0.1:8080:8080 -v whygo-data:/var/lib/whygo "
      "--env-file whygo.env whygo";
  CHECK(docker.find(run) != std::string::npos);
  CHECK(test::read_text(source("README.md")).find(run) != std::string::npos);
}

TEST_CASE("the example env file names every secret and every variable a container needs", "[deploy]") {
  const std::string example = test::read_text(source("deploy/whygo.env.example"));
  const auto secrets = test::run(std::string("cd ") + WHYGO_SOURCE_DIR +
                                 " && grep -rhoE 'settings::secret\\(\"[A-Z_]+\"' bot adapters app |"
                                 " sed -E 's/.*\"([A-Z_]+)\"/\\1/' | sort -u");
  REQUIRE(secrets.exit_code == 0);
  int count = 0;
  for (const std::string& name : lines_of(secrets.out)) {
    INFO(name);
    CHECK(example.find("\n" + name + "=\n") != std::string::npos);
    ++count;
  }
  CHECK(count >= 5);
  for (const char* name :
       {"DISCORD_PUBLIC_KEY", "WHYGO_ADMINS", "DISCORD_APPLICATION_ID", "MATRIX_HOMESERVER_URL", "MATRIX_BOT_USER"})
    CHECK(example.find(std::string("\n") + name + "=\n") != std::string::npos);
}

namespace {

// What .dockerignore lets into the build context: an allow-list, "*" then "!path" per folder.
std::set<std::string> docker_context_allowed() {
  std::vector<std::string> patterns;
  for (const std::string& line : lines_of(test::read_text(source(".dockerignore"))))
    if (!line.empty() && line[0] != '#') patterns.push_back(line);
  std::set<std::string> allowed;
  if (patterns.empty() || patterns.front() != "*") return allowed;
  for (const std::string& p : patterns)
    if (p[0] == '!') allowed.insert(p.substr(1));
  return allowed;
}

struct BuildStage {
  std::string src;               // where WORKDIR is, with the COPY lines applied
  std::set<std::string> copied;  // what the COPY lines took from the context
  std::string run;               // the RUN line that builds
};

// Applies the build stage's COPY lines to the context .dockerignore leaves of the tracked files.
// Empty src when this is not a git checkout.
BuildStage prepare_build_stage(const test::TempDir& image) {
  BuildStage stage;
  const auto files = test::run(std::string("cd ") + WHYGO_SOURCE_DIR + " && git ls-files");
  if (files.exit_code != 0 || files.out.empty()) return stage;
  const std::set<std::string> allowed = docker_context_allowed();
  const std::filesystem::path context = image.path() / "context";
  for (const std::string& file : lines_of(files.out)) {
    const std::string top = file.substr(0, file.find('/'));
    const bool database = file.size() >= 3 && file.compare(file.size() - 3, 3, ".db") == 0;
    if (!allowed.count(top) || database) continue;
    std::filesystem::create_directories((context / file).parent_path());
    std::filesystem::copy_file(source(file), context / file);
  }
  std::string workdir = "/";
  for (const std::string& line : docker_stage("build")) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    if (words.size() == 2 && words[0] == "WORKDIR") workdir = words[1];
    if (words.size() == 3 && words[0] == "COPY") {
      stage.copied.insert(words[1]);
      const std::filesystem::path to = image.path() / "image" / ("." + workdir) / words[2];
      std::filesystem::create_directories(to.parent_path());
      std::filesystem::copy(context / words[1], to, std::filesystem::copy_options::recursive);
    }
    if (line.rfind("RUN cmake", 0) == 0) stage.run = line.substr(4);
  }
  stage.src = (image.path() / "image" / ("." + workdir)).lexically_normal().string();
  return stage;
}

}  // namespace

TEST_CASE("the image's build stage configures from exactly the context .dockerignore lets through", "[deploy]") {
  // No Docker engine here: the build stage's COPY lines are applied to the context .dockerignore
  // leaves, and its cmake configure runs on that copy as it would in the image (Debian 12 both).
  const std::set<std::string> allowed = docker_context_allowed();
  REQUIRE(!allowed.empty());
  const std::string ignore = test::read_text(source(".dockerignore"));
  CHECK(ignore.find("\n**/*.db\n") != std::string::npos);
  CHECK(ignore.find("\n**/*.db-*\n") != std::string::npos);
  test::TempDir image;
  const BuildStage stage = prepare_build_stage(image);
  if (stage.src.empty()) {
    WARN("not a git checkout: the build context is not rebuilt");
    return;
  }
  CHECK(stage.copied == allowed);  // what is copied is in the context, and nothing there goes unused
  const std::size_t configure_end = stage.run.find("&&");
  REQUIRE(configure_end != std::string::npos);
  const auto configured = test::run("cd " + stage.src + " && " + stage.run.substr(0, configure_end));
  INFO(configured.out + configured.err);
  REQUIRE(configured.exit_code == 0);
  // `strip build/whygo` and the runtime stage's COPY --from=build find the binary there.
  CHECK(test::read_text(stage.src + "/build/app/CMakeFiles/whygo.dir/link.txt").find("-o ../whygo ") !=
        std::string::npos);
  CHECK(stage.run.find("strip build/whygo") != std::string::npos);
  CHECK(test::read_text(source("deploy/Dockerfile")).find("COPY --from=build /src/build/whygo /usr/local/bin/whygo") !=
        std::string::npos);
}

// The whole build stage, as the image would run it (minutes: run it by name, not in CI).
TEST_CASE("the image's build stage builds whygo", "[.][docker-build]") {
  test::TempDir image;
  const BuildStage stage = prepare_build_stage(image);
  REQUIRE(!stage.src.empty());
  const auto built = test::run("cd " + stage.src + " && " + stage.run);
  INFO(built.out + built.err);
  REQUIRE(built.exit_code == 0);
  CHECK(std::filesystem::exists(stage.src + "/build/whygo"));
  CHECK(test::run(stage.src + "/build/whygo --version").exit_code == 0);
}

TEST_CASE("the image's build stage installs the packages ./dev installs, all in Debian 12", "[deploy]") {
  std::smatch m;
  const std::string dev = test::read_text(source("dev"));
  REQUIRE(std::regex_search(dev, m, std::regex("packages=\\(([^)]*)\\)")));
  std::set<std::string> wanted = words_of(m[1].str());
  wanted.erase("catch2");  // the image builds without the tests
  std::set<std::string> installed;
  for (const std::string& line : docker_stage("build")) {
    const std::size_t at = line.find("--no-install-recommends");
    if (line.rfind("RUN ", 0) == 0 && at != std::string::npos) {
      const std::string list = line.substr(at + 23, line.find("&&", at) - at - 23);
      installed = words_of(list);
    }
  }
  CHECK(installed == wanted);
  // This machine is Debian 12, as the image is: each package is one it has installed.
  for (const std::string& package : installed) {
    INFO(package);
    CHECK(test::run("dpkg-query -W -f='${Status}' " + package + " | grep -q 'install ok installed'").exit_code == 0);
  }
}
