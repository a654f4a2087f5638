// Client-server API helpers: path encoding, txnIds, 429 waits.
#include <catch2/catch.hpp>

#include "adapters/matrix/client.hpp"
#include "bot/text.hpp"

using namespace whygo;
using namespace whygo::matrix;

TEST_CASE("identifiers in paths are percent-encoded", "[matrix][client]") {
  CHECK(text::percent_encode("!room:example.org") == "%21room%3Aexample.org");
  CHECK(text::percent_encode("$ev/+ent=") == "%24ev%2F%2Bent%3D");
  CHECK(text::percent_encode("#alias:x y?z%") == "%23alias%3Ax%20y%3Fz%25");
  CHECK(text::percent_encode("@bot:hs") == "%40bot%3Ahs");
  CHECK(text::percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(text::percent_encode("\xc3\xa9") == "%C3%A9");
}

TEST_CASE("send txnIds are stable per answered event and differ between events", "[matrix][client]") {
  CHECK(txn_id_for("reply", "$a") == txn_id_for("reply", "$a"));
  CHECK(txn_id_for("reply", "$a") != txn_id_for("reply", "$b"));
  CHECK(txn_id_for("reply", "$a") != txn_id_for("encrypted", "$a"));
  CHECK(txn_id_for("reply", "$a").rfind("whygo-reply-", 0) == 0);
  CHECK(text::percent_encode(txn_id_for("reply", "$a")) == txn_id_for("reply", "$a"));
}

TEST_CASE("a 429 wait comes from Retry-After, else retry_after_ms", "[matrix][client]") {
  OutboundResponse r;
  r.status = 429;
  r.body = R"({"errcode":"M_LIMIT_EXCEEDED","error":"slow down","retry_after_ms":1500})";
  CHECK(retry_after(r) == std::chrono::milliseconds(1500));
  r.headers.emplace("Retry-After", "3");
  CHECK(retry_after(r) == std::chrono::milliseconds(3000));
  r.headers.clear();
  r.body = R"({"retry_after_ms":"soon"})";
  CHECK_FALSE(retry_after(r));
  r.body = "not json";
  CHECK_FALSE(retry_after(r));
  r.body = R"({"retry_after_ms":-5})";
  CHECK_FALSE(retry_after(r));
}
