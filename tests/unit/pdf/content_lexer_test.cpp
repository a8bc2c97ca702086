// Tests for the own content-stream lexer: every token kind, escapes, byte-exact strings (FF FE /
// FE FF), inline images found by computed length and by validated EI search, hostile truncations,
// and serialize → parse round trips.
#include <catch2/catch.hpp>

#include <string>

#include "pdf/content_lexer.hpp"

using namespace declass::pdf;
using Kind = Operand::Kind;

TEST_CASE("lexer: operands of every kind and operators", "[pdf][lexer]") {
  auto r = parse_content("1 0 0 1 72.5 -.5 cm /F1#20x 12 Tf [(a) -120 <41 4>] TJ << /K [true false null] >> BDC");
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 4);
  CHECK(r.ops[0].op == "cm");
  REQUIRE(r.ops[0].operands.size() == 6);
  CHECK(r.ops[0].operands[4].number == 72.5);
  CHECK(r.ops[0].operands[5].number == -0.5);
  CHECK(r.ops[0].operands[5].raw == "-.5");
  CHECK(r.ops[0].begin == 0);
  CHECK(r.ops[1].op == "Tf");
  CHECK(r.ops[1].operands[0].kind == Kind::name);
  CHECK(r.ops[1].operands[0].bytes == "F1 x");
  CHECK(r.ops[1].operands[0].raw == "/F1#20x");
  const auto& arr = r.ops[2].operands.at(0);
  REQUIRE(arr.kind == Kind::array);
  REQUIRE(arr.items.size() == 3);
  CHECK(arr.items[0].bytes == "a");
  CHECK(arr.items[1].number == -120);
  CHECK(arr.items[2].bytes == std::string("\x41\x40", 2));  // odd hex digit count: last digit padded with 0
  const auto& d = r.ops[3].operands.at(0);
  REQUIRE(d.kind == Kind::dict);
  REQUIRE(d.items.size() == 2);
  REQUIRE(d.items[1].items.size() == 3);
  CHECK(d.items[1].items[0].kind == Kind::boolean);
  CHECK(d.items[1].items[0].number == 1);
  CHECK(d.items[1].items[2].kind == Kind::null);
  // byte ranges: "cm" op covers its operands
  std::string_view src = "1 0 0 1 72.5 -.5 cm /F1#20x 12 Tf";
  CHECK(src.substr(r.ops[0].begin, r.ops[0].end - r.ops[0].begin) == "1 0 0 1 72.5 -.5 cm");
  CHECK(src.substr(r.ops[1].begin, r.ops[1].end - r.ops[1].begin) == "/F1#20x 12 Tf");
}

TEST_CASE("lexer: literal string escapes", "[pdf][lexer]") {
  auto r = parse_content("(a\\(b\\)c (nested) \\\\ \\n\\r\\t\\b\\f \\101\\0611\\7 x\\\ny\\\r\nz\\q) Tj ' \" T*");
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 4);
  CHECK(r.ops[0].operands[0].bytes == std::string("a(b)c (nested) \\ \n\r\t\b\f A11\x07 xyzq", 32));
  CHECK(r.ops[1].op == "'");
  CHECK(r.ops[2].op == "\"");
  CHECK(r.ops[3].op == "T*");
  // an unescaped CR LF inside a string is one LF
  auto e = parse_content("(a\r\nb\rc) Tj");
  CHECK(e.ops.at(0).operands.at(0).bytes == "a\nb\nc");
}

TEST_CASE("lexer: FF FE and FE FF strings stay byte-exact through serialize", "[pdf][lexer]") {
  auto r = parse_content("(\\377\\376ABCD) Tj (\\376\\377AB) Tj");
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].operands[0].bytes == std::string("\xFF\xFE" "ABCD"));
  CHECK(r.ops[1].operands[0].bytes == std::string("\xFE\xFF" "AB"));
  std::string s = serialize_ops(r.ops);
  CHECK(s == "<FFFE41424344> Tj\n<FEFF4142> Tj");
  auto back = parse_content(s);
  REQUIRE(back.ops.size() == 2);
  CHECK(back.ops[0].operands[0].bytes == r.ops[0].operands[0].bytes);
  CHECK(back.ops[1].operands[0].bytes == r.ops[1].operands[0].bytes);
}

TEST_CASE("lexer: comments, hex whitespace and round trip", "[pdf][lexer]") {
  std::string src = "% comment (not a string\nq 0.1 0 0 RG\n<48 65\n6C6C 6f> Tj %x\nBT /F2 9.5 Tf ET Q";
  auto r = parse_content(src);
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 7);
  CHECK(r.ops[2].operands[0].bytes == "Hello");
  std::string s = serialize_ops(r.ops);
  auto back = parse_content(s);
  REQUIRE(back.ops.size() == r.ops.size());
  for (std::size_t i = 0; i < r.ops.size(); ++i) {
    CHECK(back.ops[i].op == r.ops[i].op);
    REQUIRE(back.ops[i].operands.size() == r.ops[i].operands.size());
    for (std::size_t j = 0; j < r.ops[i].operands.size(); ++j) {
      CHECK(back.ops[i].operands[j].bytes == r.ops[i].operands[j].bytes);
      CHECK(back.ops[i].operands[j].number == r.ops[i].operands[j].number);
    }
  }
}

TEST_CASE("lexer: number serialization", "[pdf][lexer]") {
  CHECK(serialize_operand(make_number(12)) == "12");
  CHECK(serialize_operand(make_number(-0.5)) == "-0.5");
  CHECK(serialize_operand(make_number(1e-9)) == "0");
  CHECK(serialize_operand(make_number(-1e-9)) == "0");
  CHECK(serialize_operand(make_number(123456789.125)) == "123456789.125");
  CHECK(serialize_operand(make_number(1.0 / 3)) == "0.333333");
  CHECK(serialize_operand(make_name("A B#")) == "/A#20B#23");
  CHECK(serialize_operand(make_string("(x)")) == "<287829>");
  // raw is used only while it still matches the value
  auto r = parse_content("0.50 Tc");
  Operand n = r.ops.at(0).operands.at(0);
  CHECK(serialize_operand(n) == "0.50");
  n.number = 2;
  CHECK(serialize_operand(n) == "2");
}

TEST_CASE("lexer: unfiltered inline image with EI inside the data", "[pdf][lexer]") {
  // 4x2 gray 8-bit = 8 bytes, containing " EI " — must not end the image.
  std::string data = std::string("A EI Q\xff", 7) + "Z";
  std::string src = "q BI /W 4 /H 2 /BPC 8 /CS /G ID " + data + "\nEI Q (after) Tj";
  auto r = parse_content(src);
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 4);
  CHECK(r.ops[1].op == "BI");
  CHECK(r.ops[1].inline_data == data);
  REQUIRE(r.ops[1].operands.size() == 8);
  CHECK(r.ops[1].operands[0].bytes == "W");
  CHECK(r.ops[2].op == "Q");
  CHECK(r.ops[3].operands.at(0).bytes == "after");
  CHECK(src.substr(r.ops[1].begin, 2) == "BI");
  CHECK(src.substr(r.ops[1].end - 2, 2) == "EI");
  // round trip keeps the data
  auto back = parse_content(serialize_ops(r.ops));
  REQUIRE(back.problems.empty());
  REQUIRE(back.ops.size() == 4);
  CHECK(back.ops[1].inline_data == data);
}

TEST_CASE("lexer: image mask and abbreviated names", "[pdf][lexer]") {
  // /IM true: 1 bit per pixel, 10 px wide → 2 bytes per row, 3 rows = 6 bytes.
  std::string data("EI EI ", 6);
  auto r = parse_content("BI /W 10 /H 3 /IM true ID " + data + " EI n");
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].inline_data == data);
  // RGB 2x1 at 8 bits = 6 bytes
  std::string rgb("\x01\x02\x03\x04\x05\x06", 6);
  auto r2 = parse_content("BI /W 2 /H 1 /BPC 8 /CS /RGB ID " + rgb + "EI");
  REQUIRE(r2.problems.empty());
  CHECK(r2.ops.at(0).inline_data == rgb);
}

TEST_CASE("lexer: filtered inline image found by validated EI search", "[pdf][lexer]") {
  // Binary data with a false "EI" followed by bytes that do not lex as content.
  static const char k_data[] = "xx EI \x9c\x80\x01 garbage";
  std::string data(k_data, sizeof k_data - 1);  // 17 bytes (was read as 19: past the literal)
  std::string src = "BI /W 5 /H 5 /BPC 8 /CS /G /F /Fl ID " + data + " EI Q";
  auto r = parse_content(src);
  REQUIRE(r.problems.empty());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].inline_data == data);
  CHECK(r.ops[1].op == "Q");
}

TEST_CASE("lexer: hostile truncations are problems, never crashes", "[pdf][lexer]") {
  const char* cases[] = {"(unterminated", "<48 65", "[1 2", "<< /A 1", "BI /W 2 /H 2 /BPC 8 /CS /G ID ab",
                         "BI /W 2", "BI /F /AHx ID 414243", "1 2 3", "/Name", "(a\\", "[[[[", "<<<<",
                         "BI /W 100 /H 100 /BPC 8 /CS /G ID x EI"};
  for (const char* c : cases) {
    INFO(c);
    auto r = parse_content(c);
    CHECK_FALSE(r.problems.empty());
  }
  std::string deep(200, '[');
  auto r = parse_content(deep + "1" + std::string(200, ']') + " Tj");
  CHECK_FALSE(r.problems.empty());
  // stray closing delimiters are reported and skipped
  auto s = parse_content(") ] } 1 w");
  CHECK(s.problems.size() == 3);
  REQUIRE(s.ops.size() == 1);
  CHECK(s.ops[0].op == "w");
  // every prefix of a valid stream parses without crashing
  std::string full = "q BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI Q BT /F1 12 Tf [(a\\101)-50<4142>] TJ ET";
  for (std::size_t i = 0; i <= full.size(); ++i) (void)parse_content(full.substr(0, i));
}
