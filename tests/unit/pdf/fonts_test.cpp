// Font model tests: standard-14 aliases and AFM widths, /Differences with AGL, uniXXXX, uXXXXX and
// ligature names, embedded Type0 CMaps with mixed 1/2-byte codespaces, /W, ToUnicode details, and
// problem strings. Expected widths are the Adobe core-font AFM values (Helvetica-Bold C 722, E 667, a 556).
#define POINTERHOLDER_TRANSITION 4
#include <catch2/catch.hpp>

#include <qpdf/QPDF.hh>

#include "pdf/fonts.hpp"

using namespace declass::pdf;
using Approx = Catch::Detail::Approx;

namespace {
std::string text_of(const FontModel& f, std::uint32_t code) {
  std::string s;
  f.unicode(code, s);
  return s;
}
}  // namespace

TEST_CASE("simple font: alias, AFM widths, Differences with glyph-name forms", "[pdf][fonts]") {
  auto font = QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /TrueType /BaseFont /Arial,Bold /Encoding << /BaseEncoding /WinAnsiEncoding "
      "/Differences [65 /uni00C4 /f_i /u1F600 /Gxx 200 /Euro] >> >>");
  auto f = FontModel::load(font);
  CHECK(f->problem().empty());
  CHECK(f->kind() == FontModel::Kind::simple);
  CHECK(f->width('E') == Approx(0.667));
  CHECK(f->width('a') == Approx(0.556));
  CHECK(f->ascent() == Approx(0.718));
  CHECK(f->descent() == Approx(-0.207));
  CHECK(text_of(*f, 65) == "\xC3\x84");
  CHECK(text_of(*f, 66) == "fi");
  CHECK(text_of(*f, 67) == "\xF0\x9F\x98\x80");
  std::string s;
  CHECK_FALSE(f->unicode(68, s));
  CHECK(text_of(*f, 200) == "\xE2\x82\xAC");
  CHECK(text_of(*f, 0x93) == "\xE2\x80\x9C");  // WinAnsi quotedblleft
  std::uint32_t code = 0;
  CHECK(f->next_code("\xC8", 0, code) == 1);
  CHECK(code == 200);
}

TEST_CASE("standard-14 name variants", "[pdf][fonts]") {
  auto asc = [](const char* base) {
    auto f = FontModel::load(QPDFObjectHandle::parse(std::string("<< /Type /Font /Subtype /Type1 /BaseFont /") +
                                                     base + " >>"));
    return f->ascent();
  };
  CHECK(asc("TimesNewRomanPS-BoldItalicMT") == Approx(0.699));
  CHECK(asc("Times-Roman") == Approx(0.683));
  CHECK(asc("CourierNewPSMT") == Approx(0.629));
  CHECK(asc("ABCDEF+Helvetica") == Approx(0.718));
  // not a standard font and no /Widths: flagged
  auto f = FontModel::load(QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Garamond >>"));
  CHECK(f->problem() == "font without widths");
  // /Widths with /FirstChar and /MissingWidth from the descriptor
  auto g = FontModel::load(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /TrueType /BaseFont /X /FirstChar 32 /Widths [250 300] "
      "/FontDescriptor << /Ascent 800 /Descent -300 /MissingWidth 123 /Flags 32 >> >>"));
  CHECK(g->problem().empty());
  CHECK(g->width(32) == Approx(0.25));
  CHECK(g->width(33) == Approx(0.3));
  CHECK(g->width(34) == Approx(0.123));
  CHECK(g->ascent() == Approx(0.8));
  CHECK(g->descent() == Approx(-0.3));
  // Symbol uses its built-in encoding
  auto sym = FontModel::load(QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>"));
  CHECK(text_of(*sym, 'a') == "\xCE\xB1");  // alpha
}

TEST_CASE("Type0 with an embedded CMap: mixed codespaces, cidrange/cidchar, /W, ToUnicode", "[pdf][fonts]") {
  QPDF q;
  q.emptyPDF();
  auto cmap = QPDFObjectHandle::newStream(
      &q, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test-H def\n"
          "2 begincodespacerange <00> <7F> <8140> <FEFE> endcodespacerange\n"
          "1 begincidrange <20> <7E> 1 endcidrange\n1 begincidchar <8140> 633 endcidchar\n"
          "endcmap CMapName currentdict /CMap defineresource pop end end");
  auto tu = QPDFObjectHandle::newStream(
      &q, "begincmap 2 begincodespacerange <00> <7F> <8140> <FEFE> endcodespacerange\n"
          "3 beginbfchar <41> <0041> <8140> <3000> <42> <0042> endbfchar endcmap");
  auto font = QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type0 /BaseFont /X /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 "
      "/BaseFont /X /W [34 [400 410] 633 [900]] /DW 500 >>] >>");
  font.replaceKey("/Encoding", cmap);
  font.replaceKey("/ToUnicode", tu);
  auto f = FontModel::load(font);
  CHECK(f->problem().empty());
  std::string s = "A\x81\x40" "BZ";
  std::uint32_t code = 0;
  REQUIRE(f->next_code(s, 0, code) == 1);
  CHECK(code == 0x41);
  CHECK(f->width(code) == Approx(0.4));  // cid 1 + 0x41 − 0x20 = 34
  REQUIRE(f->next_code(s, 1, code) == 2);
  CHECK(code == 0x8140);
  CHECK(f->width(code) == Approx(0.9));  // cid 633
  CHECK(text_of(*f, code) == "\xE3\x80\x80");
  REQUIRE(f->next_code(s, 3, code) == 1);
  CHECK(f->width(code) == Approx(0.41));
  REQUIRE(f->next_code(s, 4, code) == 1);
  CHECK(f->width(code) == Approx(0.5));  // cid 59: /DW
  std::string t;
  CHECK_FALSE(f->unicode(code, t));
}

TEST_CASE("font problems name no text; hostile /W is bounded", "[pdf][fonts]") {
  auto v = FontModel::load(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type0 /Encoding /Identity-V /DescendantFonts [<< /Subtype /CIDFontType2 >>] >>"));
  CHECK(v->vertical());
  CHECK(v->problem() == "vertical writing");
  auto p = FontModel::load(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type0 /Encoding /UniJIS-UCS2-H /DescendantFonts [<< /Subtype /CIDFontType0 >>] >>"));
  CHECK(p->problem() == "unsupported CMap UniJIS-UCS2-H");
  auto w = FontModel::load(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 "
      "/W [0 2147483647 500 5 [1 2 3]] >>] >>"));
  CHECK(w->width(1000000) == Approx(0.5));
  auto n = FontModel::load(QPDFObjectHandle::parse("42"));
  CHECK_FALSE(n->problem().empty());
}

TEST_CASE("glyph names to Unicode", "[pdf][fonts]") {
  CHECK(glyph_name_to_utf8("A") == "A");
  CHECK(glyph_name_to_utf8("A.sc") == "A");
  CHECK(glyph_name_to_utf8("uni00410042") == "AB");
  CHECK(glyph_name_to_utf8("uni00e9").empty());  // lower-case hex is not a uniXXXX name
  CHECK(glyph_name_to_utf8("u00E9") == "\xC3\xA9");
  CHECK(glyph_name_to_utf8("f_f_i") == "ffi");
  CHECK(glyph_name_to_utf8("g123").empty());
  CHECK(glyph_name_to_utf8("").empty());
}

TEST_CASE("symbolic embedded font without /Encoding: text unknown, widths kept", "[pdf][fonts]") {
  auto f = FontModel::load(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /TrueType /BaseFont /Wingdings /FirstChar 65 /Widths [900] "
      "/FontDescriptor << /Flags 4 /Ascent 900 /Descent -200 >> >>"));
  CHECK(f->problem().empty());
  std::string s;
  CHECK_FALSE(f->unicode(65, s));
  CHECK(f->width(65) == Approx(0.9));
}
