#include <catch2/catch.hpp>

#include "bot/text.hpp"

using namespace whygo;

TEST_CASE("fold lower-cases and drops Latin-1 accents", "[text]") {
  CHECK(text::fold("Tobias Lütke") == "tobias lutke");
  CHECK(text::fold("Ask Bjørn Hansen") == "ask bjorn hansen");
  CHECK(text::fold("Straße") == "strasse");
  CHECK(text::fold("☕ Café") == "☕ cafe");
}

TEST_CASE("words split on punctuation and spacing", "[text]") {
  CHECK(text::words("  Node.js, I/O -- dotGo!! ") == std::vector<std::string>{"node", "js", "i", "o", "dotgo"});
  CHECK(text::words("").empty());
  CHECK(text::words("!!!").empty());
}

TEST_CASE("camel case splits into parts", "[text]") {
  CHECK(text::camel_parts("CloudFlare") == std::vector<std::string>{"Cloud", "Flare"});
  CHECK(text::camel_parts("dotGo") == std::vector<std::string>{"dot", "Go"});
  CHECK(text::camel_parts("HTTPServer") == std::vector<std::string>{"HTTP", "Server"});
  CHECK(text::camel_parts("docker") == std::vector<std::string>{"docker"});
  CHECK(text::camel_parts("SoundCloud") == std::vector<std::string>{"Sound", "Cloud"});
}

TEST_CASE("edit distance counts transpositions as one edit and stops early", "[text]") {
  CHECK(text::edit_distance("docker", "docker", 2) == 0);
  CHECK(text::edit_distance("dcoker", "docker", 2) == 1);
  CHECK(text::edit_distance("kubernets", "kubernetes", 2) == 1);
  CHECK(text::edit_distance("kitten", "sitting", 5) == 3);
  CHECK(text::edit_distance("kitten", "sitting", 1) == 2);  // max + 1
  CHECK(text::edit_distance("a", "abcdef", 2) == 3);
}

TEST_CASE("UTF-8 validation rejects malformed input", "[text]") {
  CHECK(text::valid_utf8("café ☕"));
  CHECK_FALSE(text::valid_utf8(std::string("\xC3", 1)));
  CHECK_FALSE(text::valid_utf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(text::valid_utf8("\xED\xA0\x80"));  // surrogate
  CHECK(text::utf8_length("café") == 4);
  CHECK(text::utf8_prefix("café", 4) == "caf");  // never cuts a code point in half
}
