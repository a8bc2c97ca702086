// Unit tests for core text helpers: decoding, binary detection, case folding.
#include <catch2/catch.hpp>

#include "core/text.hpp"

namespace t = declass::text;

TEST_CASE("decode keeps UTF-8 and converts Latin-1", "[core][text]") {
  auto u = t::decode("caf\xC3\xA9");
  REQUIRE(u.encoding == "utf-8");
  REQUIRE(u.utf8 == "caf\xC3\xA9");
  auto l = t::decode("caf\xE9");
  REQUIRE(l.encoding == "latin-1");
  REQUIRE(l.utf8 == "caf\xC3\xA9");
  auto bom = t::decode("\xEF\xBB\xBFX");
  REQUIRE(bom.utf8 == "X");
  REQUIRE_FALSE(t::is_valid_utf8("\xED\xA0\x80"));  // surrogate
  REQUIRE_FALSE(t::is_valid_utf8("\xC0\x80"));      // overlong
}

TEST_CASE("binary detection", "[core][text]") {
  REQUIRE(t::looks_binary(std::string("ab\0cd", 5)));
  REQUIRE_FALSE(t::looks_binary("PAGE 01 STATE 244337\r\n\fSECRET\n"));
  REQUIRE(t::looks_binary(std::string("\x01\x02\x03\x04\x05\x06\x07\x08") + "abc"));
}

TEST_CASE("case and whitespace helpers", "[core][text]") {
  REQUIRE(t::to_upper("Secret//noforn") == "SECRET//NOFORN");
  REQUIRE(t::trim("  x y \r\n") == "x y");
  REQUIRE(t::collapse_spaces(" a \n\n b\t c ") == "a b c");
  REQUIRE(t::iequals("NoDis", "NODIS"));
  REQUIRE(t::split("a,b,,c", ',').size() == 4);
}
