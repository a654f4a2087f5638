// Autocomplete over the bundled catalog.
#include <catch2/catch.hpp>

#include <set>

#include "adapters/discord/autocomplete.hpp"
#include "adapters/discord/limits.hpp"
#include "adapters/discord/markdown.hpp"
#include "bot/limits.hpp"
#include "tests/support.hpp"

using namespace whygo;
using nlohmann::json;

namespace {
SearchFunction search_of(test::Fixture& f) {
  return [&f](std::string_view query, std::size_t limit) { return f.app->search().find(query, 0, limit); };
}

void check_choices(const json& choices) {
  REQUIRE(choices.is_array());
  CHECK(choices.size() <= limits::discord::autocomplete_choices_max);
  std::set<std::string> names;
  for (const auto& c : choices) {
    const std::string name = c["name"];
    const std::string value = c["value"];
    CHECK(discord::char_count(name) >= 1);
    CHECK(discord::char_count(name) <= limits::discord::choice_name_max_chars);
    CHECK(discord::char_count(value) >= 1);
    CHECK(discord::char_count(value) <= limits::discord::choice_value_max_chars);
    CHECK(names.insert(name).second);
  }
}
}  // namespace

TEST_CASE("autocomplete: \"dock\" suggests Docker and Go at Docker", "[discord][autocomplete]") {
  test::Fixture f;
  const json choices = discord::autocomplete_choices(search_of(f), "dock");
  check_choices(choices);
  REQUIRE(choices.size() >= 2);
  CHECK(choices[0]["name"] == "Docker");
  bool title = false;
  for (const auto& c : choices) title = title || c["name"] == "Go at Docker";
  CHECK(title);
}

TEST_CASE("autocomplete: broad, empty and hostile input stay within 25 valid choices", "[discord][autocomplete]") {
  test::Fixture f;
  const std::vector<std::string> inputs = {
      "go", "g", "", "   ", "youtube", "rob", "\xff\xfe", std::string(5000, 'a'), "\"*) OR 1=1 --", "@everyone"};
  for (const std::string& typed : inputs) {
    INFO(typed.substr(0, 40));
    json choices;
    REQUIRE_NOTHROW(choices = discord::autocomplete_choices(search_of(f), typed));
    check_choices(choices);
  }
  CHECK_FALSE(discord::autocomplete_choices(search_of(f), "").empty());  // the commands to start with
  CHECK(discord::autocomplete_choices(search_of(f), "go").size() == limits::discord::autocomplete_choices_max);
}
