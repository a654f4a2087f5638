#include "tests/support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bot/store.hpp"

namespace whygo::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "whygo-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::chrono::system_clock::time_point test_now() {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours(8);
}

Fixture::Fixture() {
  Config config;
  config.db_path = database(dir, "whygo.db");
  app = std::make_unique<App>(config, clock);
}

Reply Fixture::ask(const std::string& text, bool admin, std::size_t offset) {
  Request request;
  request.platform = "test";
  request.tenant = "T1";
  request.channel = "C1";
  request.user = admin ? "admin" : "someone";
  request.text = text;
  request.is_admin = admin;
  request.offset = offset;
  return app->dispatcher().handle(request);
}

std::string form_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 0x0F];
    }
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_text(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

RunResult run(const std::string& command_line) {
  TempDir dir;
  const std::string err_path = dir.file("stderr");
  const std::string full = command_line + " 2>" + err_path;
  RunResult result;
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_text(err_path);
  return result;
}

}  // namespace whygo::test

#include <signal.h>

#include <algorithm>
#include <thread>

namespace whygo::test {

ServerProcess::ServerProcess(std::vector<std::string> env, std::string db_path) {
  log_path_ = dir_.file("server.log");
  const std::string out_path = dir_.file("server.out");
  env.push_back("WHYGO_LISTEN=127.0.0.1:0");
  env.push_back("WHYGO_DB=" + db_path);
  // No test reaches the real upstream page: a test that follows one names its own.
  if (std::none_of(env.begin(), env.end(), [](const std::string& e) { return e.rfind("WHYGO_SYNC_EVERY=", 0) == 0; }))
    env.push_back("WHYGO_SYNC_EVERY=never");
  std::fflush(nullptr);  // or the child flushes the test's buffered output a second time
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    if (!freopen(out_path.c_str(), "w", stdout) || !freopen(log_path_.c_str(), "w", stderr)) _exit(126);
    execl(WHYGO_BINARY, WHYGO_BINARY, "serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  // The server prints "whygo listening on http(s)://127.0.0.1:PORT" once it is bound.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = read_text(out_path);
    const std::size_t at = out.find("127.0.0.1:", out.find("listening on "));
    if (out.find("listening on ") != std::string::npos && at != std::string::npos &&
        out.find('\n', at) != std::string::npos) {
      port_ = std::stoi(out.substr(at + std::string("127.0.0.1:").size()));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("whygo serve exited early: " + read_text(log_path_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("whygo serve did not start: " + read_text(log_path_));
}

int ServerProcess::stop(int signal, std::chrono::seconds within) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + within;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

int ServerProcess::kill_now() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGKILL);
  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, 0);
  pid_ = -1;
  return reaped > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

}  // namespace whygo::test

#include <httplib.h>

namespace whygo::test {

std::string FakePlatform::Recorded::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

FakePlatform::FakePlatform() : server_(std::make_unique<httplib::Server>()) {
  // Recorded after routing, when the body has been read.
  server_->set_post_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    Recorded r;
    r.method = req.method;
    r.path = req.target;
    r.body = req.body;
    r.headers.insert(req.headers.begin(), req.headers.end());
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(r));
  });
}

void FakePlatform::start() {
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake platform cannot bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakePlatform::~FakePlatform() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<FakePlatform::Recorded> FakePlatform::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakePlatform::wait_for(std::size_t n, std::chrono::milliseconds within) const {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (requests_.size() >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace whygo::test
