// Synthetic catalogs for the benchmarks, and queries over them. Deterministic (seed 42): titles
// take the shapes the wiki's titles have ("Go at X", "Why X chose Go for ...", talks by people,
// free titles), drawn with Zipf distributions from 30 real companies plus 3,000 made-up ones,
// 2,400 people, about 45 real tech words and 60,000 made-up words, on 4,000 hosts. URLs have the
// shapes real ones have: dated slugs (/2014/07/how-we-cut-servers), /blog/slug/, an id after a
// word (/post/31533769172), a bare host.
#pragma once
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bot/link.hpp"
#include "bot/tags.hpp"

namespace whygo::bench {

// Zipf-distributed picks from [0, n): a few items are common, most are rare, as words in titles.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cumulative_(n) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) cumulative_[r] = sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

// Pronounceable made-up words, so the vocabulary keeps growing with the catalog (as real titles'
// does) and typo correction has neighbours to consider.
inline std::vector<std::string> pseudo_words(std::size_t count, std::mt19937_64& rng) {
  static const char* onsets[] = {"b", "c", "d", "f",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",
                                 "v", "w", "z", "br", "cl", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th"};
  static const char* vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
  static const char* codas[] = {"", "", "", "n", "r", "s", "t", "l", "x", "nd", "st"};
  std::vector<std::string> out;
  std::set<std::string> seen;
  while (out.size() < count) {
    std::string w;
    const int syllables = 2 + static_cast<int>(rng() % 3);
    for (int i = 0; i < syllables; ++i) {
      w += onsets[rng() % std::size(onsets)];
      w += vowels[rng() % std::size(vowels)];
    }
    w += codas[rng() % std::size(codas)];
    if (!seen.insert(w).second) continue;
    out.push_back(w);
  }
  return out;
}

inline std::string capital(std::string w) {
  if (!w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
  return w;
}

inline std::string lower(std::string w) {
  for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

class Synthetic {
 public:
  Synthetic()
      : rng_(42),
        words_(pseudo_words(60'000, rng_)),
        made_up_companies_(pseudo_words(3'000, rng_)),
        host_words_(pseudo_words(4'000, rng_)),
        word_pick_(words_.size(), 1.0),
        company_pick_(made_up_companies_.size() + real_companies().size(), 1.1),
        host_pick_(host_words_.size(), 1.05),
        person_pick_(first_names().size() * last_names().size(), 0.9),
        real_word_pick_(real_words().size(), 0.8) {}

  // A catalog of n links shaped like the wiki's, in the given sections.
  std::vector<Link> catalog(std::size_t n, const std::vector<std::string>& sections) {
    static const std::vector<std::string> media = {
        "YouTube", "Article", "dotGo 2015", "GopherCon 2016", "Slides", "FOSDEM 2017", "", "", "Blog"};
    static const char* tlds[] = {".com", ".io", ".org", ".net", ".dev", ".co.uk", ".de"};
    std::vector<Link> links;
    links.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      Link link;
      switch (rng_() % 6) {
        case 0:
          link.title = "Go at " + company();
          break;
        case 1:
          link.title = "Why " + company() + " chose Go for " + word() + " " + word();
          break;
        case 2:
          link.title = capital(word()) + " " + word() + " " + word() + " in Go at " + company();
          break;
        default: {
          const int count = 3 + static_cast<int>(rng_() % 5);
          link.title = capital(word());
          for (int k = 1; k < count; ++k) link.title += " " + word();
          if (rng_() % 3 == 0) link.title += " with Go";
        }
      }
      if (rng_() % 4 != 0) link.author = person();
      const std::size_t host = host_pick_(rng_);
      link.url = "https://" + std::string(rng_() % 2 ? "www." : "") + host_words_[host] + tlds[host % std::size(tlds)];
      switch (rng_() % 5) {
        case 0:
        case 1:
          link.url += "/" + std::to_string(2009 + rng_() % 17) + "/" + std::to_string(1 + rng_() % 12) + "/" + slug();
          if (rng_() % 2) link.url += ".html";
          break;
        case 2:
          link.url += "/blog/" + slug() + "/";
          break;
        case 3:
          link.url += "/" + words_[word_pick_(rng_)] + "/" + std::to_string(10'000'000'000ULL + i * 7919);
          break;
        default:
          link.url += "/";
      }
      link.medium = media[rng_() % media.size()];
      link.section = sections[rng_() % sections.size()];
      whygo::tags::derive(link);
      links.push_back(std::move(link));
    }
    return links;
  }

  // count distinct queries over the catalog's words, by kind as people type them: companies,
  // people (full or last name), typos, prefixes, topics of one or two words, and nonsense.
  std::vector<std::pair<std::string, std::string>> queries(std::size_t count) {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> seen;
    std::size_t tries = 0;
    while (out.size() < count && ++tries < count * 100) {
      std::string kind, text;
      switch (tries % 6) {
        case 0:
          kind = "company";
          text = lower(company());
          break;
        case 1:
          kind = "person";
          text = lower(rng_() % 2 ? person() : last_names()[rng_() % last_names().size()]);
          break;
        case 2: {
          kind = "typo";
          text = lower(rng_() % 2 ? company() : word());
          if (text.size() < 5) continue;
          const std::size_t at = 1 + rng_() % (text.size() - 2);
          std::swap(text[at], text[at + 1]);
          break;
        }
        case 3:
          kind = "prefix";
          text = lower(rng_() % 2 ? company() : word());
          text.resize(std::min<std::size_t>(text.size(), 4));
          break;
        case 4:
          kind = "topic";
          text = word() + (rng_() % 2 ? " " + word() : std::string());
          break;
        default: {
          kind = "nonsense";
          for (int k = 0; k < 7; ++k) text += static_cast<char>('a' + rng_() % 26);
        }
      }
      if (seen.insert(text).second) out.emplace_back(kind, text);
    }
    return out;
  }

 private:
  static const std::vector<std::string>& real_companies() {
    static const std::vector<std::string> names = {
        "Docker",     "YouTube",   "Cloudflare", "Dropbox",    "Uber",     "Twitch",     "Kubernetes", "InfluxDB",
        "SoundCloud", "Canonical", "Heroku",     "Bitly",      "Iron.io",  "CloudFlare", "Shopify",    "Netflix",
        "Monzo",      "Stripe",    "Segment",    "Mozilla",    "Facebook", "Google",     "Baidu",      "Tumblr",
        "Zalando",    "Basecamp",  "Vitess",     "Prometheus", "Grafana",  "HashiCorp"};
    return names;
  }
  static const std::vector<std::string>& real_words() {
    static const std::vector<std::string> words = {
        "concurrency", "performance", "garbage",  "collection",     "gopher",     "gophers",  "microservices",
        "latency",     "compiler",    "scale",    "scaling",        "production", "rewrite",  "rewriting",
        "migration",   "python",      "java",     "ruby",           "node",       "services", "backend",
        "systems",     "network",     "cloud",    "simple",         "fast",       "lessons",  "learned",
        "years",       "journey",     "building", "infrastructure", "tooling",    "testing",  "deploy",
        "teams",       "goroutines",  "channels", "memory",         "runtime",    "database", "api",
        "web",         "servers",     "streaming"};
    return words;
  }
  static const std::vector<std::string>& first_names() {
    static const std::vector<std::string> names = {
        "Rob",    "Brad",   "Dave",  "Andrew", "Russ",   "Ian",      "Robert", "Sameer",  "Francesc", "Katie",
        "Jaana",  "Carmen", "Bryan", "Peter",  "John",   "Matt",     "Steve",  "Paul",    "Derek",    "Joe",
        "Tobias", "Sugu",   "Alan",  "Bill",   "Kelsey", "Mitchell", "Ashley", "Natalie", "Julia",    "Sarah",
        "Emma",   "Liam",   "Noah",  "Mia",    "Lucas",  "Elena",    "Ivan",   "Yuki",    "Wei",      "Priya"};
    return names;
  }
  static const std::vector<std::string>& last_names() {
    static const std::vector<std::string> names = {
        "Pike",      "Fitzpatrick", "Cheney",   "Gerrand",  "Cox",      "Taylor",       "Griesemer",      "Ajmani",
        "Campoy",    "Hockman",     "Dogan",    "Andrade",  "Mills",    "Bourgon",      "Graham-Cumming", "Holt",
        "Bate",      "Dix",         "Collison", "Beda",     "Lutke",    "Sougoumarane", "Donovan",        "Kennedy",
        "Hightower", "Hashimoto",   "McNamara", "Pantos",   "Evans",    "Smith",        "Jones",          "Brown",
        "Garcia",    "Miller",      "Davis",    "Martinez", "Lopez",    "Wilson",       "Anderson",       "Thomas",
        "Moore",     "Jackson",     "Martin",   "Lee",      "Perez",    "Thompson",     "White",          "Harris",
        "Sanchez",   "Clark",       "Ramirez",  "Lewis",    "Robinson", "Walker",       "Young",          "Allen",
        "King",      "Wright",      "Scott",    "Torres"};
    return names;
  }

  std::string word() { return rng_() % 10 < 3 ? real_words()[real_word_pick_(rng_)] : words_[word_pick_(rng_)]; }
  std::string company() {
    const std::size_t at = company_pick_(rng_);
    return at < real_companies().size() ? real_companies()[at]
                                        : capital(made_up_companies_[at - real_companies().size()]);
  }
  std::string person() {
    const std::size_t p = person_pick_(rng_);
    return first_names()[p % first_names().size()] + " " + last_names()[p / first_names().size()];
  }
  // A blog post's slug: three to seven words joined by hyphens.
  std::string slug() {
    std::string out = word();
    for (int k = 1 + static_cast<int>(rng_() % 5); k >= 0; --k) out += "-" + word();
    return out;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> words_, made_up_companies_, host_words_;
  Zipf word_pick_, company_pick_, host_pick_, person_pick_, real_word_pick_;
};

}  // namespace whygo::bench
