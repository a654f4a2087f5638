// Makes what the end-to-end load needs: an Ed25519 key pair for the Discord adapter, and files of
// signed requests (Slack slash commands, Discord /whygo interactions) over the fixed query mix,
// timestamped now so they stay inside the servers' windows (Slack 5 min, Discord 10 min) for the
// run that follows. Signing uses OpenSSL directly, not the adapters' code, so a disagreement shows
// up as 401s instead of being hidden.
//
//   whygo_bench_sign keygen DIR                  DIR/discord_seed.hex, DIR/discord_public.hex
//   whygo_bench_sign requests DIR SLACK_SECRET   DIR/{slack,discord,mixed}.req
//   whygo_bench_sign requests DIR SLACK_SECRET QUERIES
//                                                DIR/first-{slack,discord,mixed}.req: each query of
//                                                the file ("kind<TAB>text" lines) once, so every
//                                                request is a first asking
//
// A .req file holds one request a line: path TAB body TAB header TAB value [TAB header TAB value]...
// (bodies and headers hold no tab or newline). bench/wrk.lua and whygo_bench_load read it.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/queries.hpp"

namespace {

using whygo::bench::query_mix;

std::string hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::vector<unsigned char> unhex(const std::string& text) {
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) out.push_back(std::stoi(text.substr(i, 2), nullptr, 16));
  return out;
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw std::runtime_error("cannot read " + path);
  return line;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

int keygen(const std::string& dir) {
  unsigned char seed[32];
  if (RAND_bytes(seed, sizeof seed) != 1) throw std::runtime_error("RAND_bytes failed");
  Key key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, sizeof seed), &EVP_PKEY_free);
  unsigned char pub[32];
  std::size_t size = sizeof pub;
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), pub, &size) != 1)
    throw std::runtime_error("Ed25519 keygen failed");
  write(dir + "/discord_seed.hex", hex(seed, sizeof seed) + "\n");
  write(dir + "/discord_public.hex", hex(pub, size) + "\n");
  return 0;
}

std::string ed25519(const Key& key, const std::string& message) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char signature[64];
  std::size_t size = sizeof signature;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    throw std::runtime_error("Ed25519 sign failed");
  return hex(signature, size);
}

std::string slack_signature(const std::string& secret, const std::string& ts, const std::string& body) {
  const std::string base = "v0:" + ts + ":" + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac, &size);
  return "v0=" + hex(mac, size);
}

std::string form_escape(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

constexpr int copies = 4;  // each query from several users and channels

std::vector<std::string> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    const std::string text = tab == std::string::npos ? line : line.substr(tab + 1);
    // Letters, digits and spaces only: the Discord body below is built without JSON escaping.
    if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789 ") == std::string::npos)
      out.push_back(text);
  }
  return out;
}

int requests(const std::string& dir, const std::string& secret, const std::string& queries_file) {
  const auto seed = unhex(read_line(dir + "/discord_seed.hex"));
  Key key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("bad discord_seed.hex");
  const std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());

  std::vector<std::string> texts;
  int copies_of_each = copies;
  if (queries_file.empty()) {
    for (const auto& q : query_mix) texts.emplace_back(q.text);
  } else {
    texts = read_queries(queries_file);
    copies_of_each = 1;
  }
  std::vector<std::string> slack, discord;
  int n = 0;
  for (int copy = 0; copy < copies_of_each; ++copy) {
    for (const auto& text : texts) {
      ++n;
      const std::string user = std::to_string(100 + copy);
      const std::string slack_body =
          "token=benchbenchbench&team_id=T0BENCH&team_domain=bench&channel_id=C0BENCH" + std::to_string(copy) +
          "&channel_name=general&user_id=U0BENCH" + user + "&user_name=bench" + user +
          "&command=%2Fwhygo&text=" + form_escape(text) +
          "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0BENCH%2F1%2Fbench&trigger_id=1." +
          std::to_string(n) + ".bench&api_app_id=A0BENCH";
      slack.push_back("/slack/commands\t" + slack_body + "\tContent-Type\tapplication/x-www-form-urlencoded" +
                      "\tX-Slack-Request-Timestamp\t" + ts + "\tX-Slack-Signature\t" +
                      slack_signature(secret, ts, slack_body));

      const std::string discord_body =
          R"({"type":2,"id":"11000000000000)" + std::to_string(1000 + n) +
          R"(","application_id":"1100000000000000001","token":"bench-token-)" + std::to_string(n) +
          R"(","version":1,"guild_id":"1200000000000000001","channel_id":"130000000000000000)" + std::to_string(copy) +
          R"(","member":{"user":{"id":"14000000000000000)" + user + R"(","username":"bench"},"permissions":"0"},)" +
          R"("data":{"id":"1500000000000000001","name":"whygo","type":1,"options":[{"type":3,"name":"query","value":")" +
          text + R"("}]}})";
      discord.push_back("/discord/interactions\t" + discord_body + "\tContent-Type\tapplication/json" +
                        "\tX-Signature-Timestamp\t" + ts + "\tX-Signature-Ed25519\t" + ed25519(key, ts + discord_body));
    }
  }
  std::ostringstream s, d, m;
  for (std::size_t i = 0; i < slack.size(); ++i) {
    s << slack[i] << '\n';
    d << discord[i] << '\n';
    m << slack[i] << '\n' << discord[i] << '\n';
  }
  const std::string prefix = dir + (queries_file.empty() ? "/" : "/first-");
  write(prefix + "slack.req", s.str());
  write(prefix + "discord.req", d.str());
  write(prefix + "mixed.req", m.str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "keygen") return keygen(args[1]);
    if ((args.size() == 3 || args.size() == 4) && args[0] == "requests")
      return requests(args[1], args[2], args.size() == 4 ? args[3] : std::string());
    std::cerr << "usage: whygo_bench_sign keygen DIR | requests DIR SLACK_SECRET [QUERIES]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "whygo_bench_sign: " << e.what() << "\n";
    return 1;
  }
}
