// Interpreter and extract_glyphs tests on PDFs written by hand in the test: every expected position
// below is computed by hand from the content written here (Courier: all widths 600, ascent 629,
// descent -157; Helvetica ascent 718 / descent -207), to ±0.01 pt.
#define POINTERHOLDER_TRANSITION 4
#include <catch2/catch.hpp>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "core/error.hpp"
#include "pdf/glyphs.hpp"
#include "pdf/interpreter.hpp"
#include "raw_pdf.hpp"

using namespace declass::pdf;
using declass::pdf::testing::RawPdf;
using declass::pdf::testing::ref;
using Approx = Catch::Detail::Approx;

namespace {

const char* k_courier = "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>";

struct Analyzed {
  std::unique_ptr<QPDF> q;
  PageAnalysis page;
};

Analyzed analyze(const std::string& pdf) {
  Analyzed a;
  a.q = std::make_unique<QPDF>();
  a.q->processMemoryFile("test.pdf", pdf.data(), pdf.size());
  auto pages = QPDFPageDocumentHelper(*a.q).getAllPages();
  REQUIRE(pages.size() >= 1);
  a.page = analyze_page(pages[0], 1);
  return a;
}

void check_box(const Box& b, double x0, double y0, double x1, double y1) {
  CHECK(b.x0 == Approx(x0).margin(0.01));
  CHECK(b.y0 == Approx(y0).margin(0.01));
  CHECK(b.x1 == Approx(x1).margin(0.01));
  CHECK(b.y1 == Approx(y1).margin(0.01));
}

std::string all_text(const std::vector<GlyphRecord>& gs) {
  std::string s;
  for (const auto& g : gs) s += g.info.text;
  return s;
}

}  // namespace

TEST_CASE("matrix helpers", "[pdf][interp]") {
  Matrix t{1, 0, 0, 1, 10, 20}, s{2, 0, 0, 3, 0, 0};
  Matrix ts = multiply(t, s);  // translate, then scale
  CHECK(ts[4] == 20);
  CHECK(ts[5] == 60);
  Box b = transform_box(Box{0, 0, 1, 1}, Matrix{0, 1, -1, 0, 5, 5});
  check_box(b, 4, 5, 5, 6);
  CHECK(intersects(Box{0, 0, 10, 10}, Box{9, 9, 20, 20}));
  CHECK_FALSE(intersects(Box{0, 0, 10, 10}, Box{10, 0, 20, 10}));
  check_box(shrunk(Box{0, 0, 10, 20}, 0.1), 1, 2, 9, 18);
}

TEST_CASE("Courier text with Td, TJ kerning, Tc/Tw and Tz", "[pdf][interp]") {
  RawPdf pdf;
  int f1 = pdf.add(k_courier);
  std::string content =
      "BT /F1 10 Tf 72 700 Td (AB) Tj ET\n"
      "BT /F1 10 Tf 72 680 Td [(A) -400 (B) 200 (C)] TJ ET\n"
      "q BT /F1 10 Tf 2 Tc 3 Tw 72 660 Td (A B) Tj ET Q\n"
      "q BT /F1 10 Tf 50 Tz 72 640 Td (AB) Tj ET Q\n";
  auto a = analyze(one_page(pdf, "<< /Font << /F1 " + ref(f1) + " >> >>", content));
  const auto& g = a.page.glyphs;
  INFO(a.page.problems.size());
  CHECK(a.page.problems.empty());
  REQUIRE(g.size() == 10);
  CHECK(all_text(g) == "ABABCA BAB");
  // line 1: A at 72, B at 78; box height 10 × (0.629 − −0.157)
  check_box(g[0].info.box, 72, 698.43, 78, 706.29);
  CHECK(g[0].info.origin_x == Approx(72).margin(0.01));
  CHECK(g[0].info.origin_y == Approx(700).margin(0.01));
  CHECK(g[0].info.font_size == Approx(10));
  CHECK(g[0].op == 3);
  CHECK(g[0].code_begin == 0);
  CHECK(g[1].code_begin == 1);
  CHECK(g[0].advance_tj == Approx(600));
  check_box(g[1].info.box, 78, 698.43, 84, 706.29);
  // line 2: A 72; -400 moves +4 after A's 6 → B 82; 200 moves −2 after B → C 86
  CHECK(g[2].info.origin_x == Approx(72).margin(0.01));
  CHECK(g[3].info.origin_x == Approx(82).margin(0.01));
  CHECK(g[4].info.origin_x == Approx(86).margin(0.01));
  CHECK(g[2].element == 0);
  CHECK(g[3].element == 2);
  CHECK(g[4].element == 4);
  CHECK(g[3].info.origin_y == Approx(680).margin(0.01));
  // line 3: Tc 2, Tw 3: A 72 (+8), space 80 (+11, word space), B 91
  CHECK(g[5].info.origin_x == Approx(72).margin(0.01));
  CHECK(g[6].info.origin_x == Approx(80).margin(0.01));
  CHECK(g[6].word_space);
  CHECK(g[6].advance_tj == Approx(1100));
  CHECK(g[7].info.origin_x == Approx(91).margin(0.01));
  CHECK(g[7].advance_tj == Approx(800));
  // line 4: Tz 50 halves widths: A 72..75, B 75..78
  check_box(g[8].info.box, 72, 638.43, 75, 646.29);
  CHECK(g[9].info.origin_x == Approx(75).margin(0.01));
  CHECK(g[9].advance_tj == Approx(600));
}

TEST_CASE("Form XObject drawn twice gives two stream uses", "[pdf][interp]") {
  RawPdf pdf;
  int f1 = pdf.add(k_courier);
  int form = pdf.add_stream("/Type /XObject /Subtype /Form /BBox [0 0 50 20] /Matrix [1 0 0 1 0 5]",
                            "BT /F1 10 Tf 0 0 Td (X) Tj ET");
  std::string content = "q 1 0 0 1 100 500 cm /Fm1 Do Q q 2 0 0 2 300 400 cm /Fm1 Do Q";
  auto a = analyze(one_page(pdf, "<< /Font << /F1 " + ref(f1) + " >> /XObject << /Fm1 " + ref(form) + " >> >>",
                            content));
  CHECK(a.page.problems.empty());
  REQUIRE(a.page.streams.size() == 3);
  CHECK(a.page.streams[1].parent == 0);
  CHECK(a.page.streams[1].parent_op == 2);
  CHECK(a.page.streams[2].parent_op == 6);
  CHECK(a.page.streams[1].name == "Fm1");
  CHECK(a.page.streams[1].depth == 1);
  CHECK(a.page.streams[2].ctm_at_use[4] == Approx(300));
  CHECK(a.page.streams[2].ctm_at_use[5] == Approx(410));
  REQUIRE(a.page.glyphs.size() == 2);
  const auto& g1 = a.page.glyphs[0];
  const auto& g2 = a.page.glyphs[1];
  CHECK(g1.stream == 1);
  CHECK(g2.stream == 2);
  CHECK(g1.op == 3);
  CHECK(g1.info.text == "X");
  CHECK(g1.info.form_depth == 1);
  check_box(g1.info.box, 100, 505 - 1.57, 106, 505 + 6.29);
  // second use: scale 2 → 20 pt text at (300, 410)
  check_box(g2.info.box, 300, 410 - 3.14, 312, 410 + 12.58);
  CHECK(g2.info.font_size == Approx(20));
  int forms = 0;
  for (const auto& p : a.page.placements)
    if (p.kind == Placement::Kind::form) {
      ++forms;
      if (forms == 1) check_box(p.box, 100, 505, 150, 525);
    }
  CHECK(forms == 2);
}

TEST_CASE("ToUnicode wins over a named encoding; Tr 3, Ts, rotation, ' and \"", "[pdf][interp]") {
  RawPdf pdf;
  int f1 = pdf.add(k_courier);
  std::string cmap =
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Test-UCS def\n"
      "1 begincodespacerange <00> <FF> endcodespacerange\n"
      "4 beginbfchar\n<41> <0053>\n<45> <0045>\n<46> <0054>\n<47> <00660069>\nendbfchar\n"
      "3 beginbfrange\n<42> <43> [<0045> <0043>]\n<44> <44> <0052>\n<48> <48> <D835DC00>\nendbfrange\n"
      "endcmap CMapName currentdict /CMap defineresource pop end end\n";
  int tu = pdf.add_stream("", cmap);
  int f2 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 65 "
                   "/LastChar 72 /Widths [500 600 700 800 500 500 500 500] /ToUnicode " +
                   ref(tu) + " >>");
  std::string content =
      "BT /F2 10 Tf 72 700 Td (ABCDEFGH) Tj ET\n"
      "q BT 3 Tr /F1 10 Tf 72 600 Td (Z) Tj ET Q\n"
      "q BT /F1 10 Tf 5 Ts 72 580 Td (A) Tj ET Q\n"
      "BT /F1 10 Tf 0 1 -1 0 200 300 Tm (AB) Tj ET\n"
      "q BT /F1 10 Tf 14 TL 72 500 Td (A) ' 2 1 (BC) \" ET Q\n";
  auto a = analyze(one_page(pdf, "<< /Font << /F1 " + ref(f1) + " /F2 " + ref(f2) + " >> >>", content));
  CHECK(a.page.problems.empty());
  const auto& g = a.page.glyphs;
  REQUIRE(g.size() == 15);
  std::string secret;
  for (int i = 0; i < 8; ++i) secret += g[static_cast<std::size_t>(i)].info.text;
  CHECK(secret == "SECRETfi\xF0\x9D\x90\x80");
  // /Widths (not the Helvetica AFM) give the advances: 5, 6, 7, 8, 5, 5, 5, 5
  const double xs[9] = {72, 77, 83, 90, 98, 103, 108, 113, 118};
  for (std::size_t i = 0; i < 8; ++i) check_box(g[i].info.box, xs[i], 700 - 2.07, xs[i + 1], 700 + 7.18);
  // Tr 3
  CHECK(g[8].info.render_mode == 3);
  CHECK(g[8].info.text == "Z");
  // Ts 5: everything 5 pt higher
  CHECK(g[9].info.origin_y == Approx(585).margin(0.01));
  check_box(g[9].info.box, 72, 583.43, 78, 591.29);
  // rotated 90°: Trm = [0 10 −10 0 200 300]
  check_box(g[10].info.box, 193.71, 300, 201.57, 306);
  CHECK(g[10].info.angle == Approx(90));
  CHECK(g[11].info.origin_x == Approx(200).margin(0.01));
  CHECK(g[11].info.origin_y == Approx(306).margin(0.01));
  // ' moves to the next line (TL 14) then shows; " sets Tw 2, Tc 1, next line, shows
  CHECK(g[12].info.origin_x == Approx(72).margin(0.01));
  CHECK(g[12].info.origin_y == Approx(486).margin(0.01));
  CHECK(g[13].info.origin_y == Approx(472).margin(0.01));
  CHECK(g[14].info.origin_x == Approx(79).margin(0.01));  // B advance 6 + Tc 1
  CHECK(g[13].op == 32);
}

TEST_CASE("Type0 Identity-H font with /W and ToUnicode; CID font without ToUnicode; Type3", "[pdf][interp]") {
  RawPdf pdf;
  int fd = pdf.add("<< /Type /FontDescriptor /FontName /Test /Flags 4 /FontBBox [0 -100 1000 900] /ItalicAngle 0 "
                   "/Ascent 900 /Descent -100 /CapHeight 700 /StemV 80 >>");
  int cid = pdf.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /CIDSystemInfo << /Registry (Adobe) "
                    "/Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
                    ref(fd) + " /W [1 [500 600] 10 12 250] /DW 1000 >>");
  int tu = pdf.add_stream("", "begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                              "2 beginbfrange <0001> <0002> <0041> <000A> <000C> <0061> endbfrange endcmap");
  int f3 = pdf.add("<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [" +
                   ref(cid) + "] /ToUnicode " + ref(tu) + " >>");
  int f4 = pdf.add("<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [" +
                   ref(cid) + "] >>");
  int proc = pdf.add_stream("", "1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f");
  int f5 = pdf.add("<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
                   "/CharProcs << /a " + ref(proc) + " >> /Encoding << /Type /Encoding /Differences [97 /a] >> "
                   "/FirstChar 97 /LastChar 97 /Widths [1000] /Resources << >> >>");
  std::string content =
      "BT /F3 12 Tf 72 700 Td <0001 0002 000A 0005> Tj ET\n"
      "BT /F4 12 Tf 72 600 Td <0001> Tj ET\n"
      "BT /F5 10 Tf 72 500 Td (aa) Tj ET\n";
  auto a = analyze(one_page(pdf, "<< /Font << /F3 " + ref(f3) + " /F4 " + ref(f4) + " /F5 " + ref(f5) + " >> >>",
                            content));
  const auto& g = a.page.glyphs;
  REQUIRE(g.size() == 7);
  // widths: cid 1 → 500, cid 2 → 600, cid 10 → 250, cid 5 → DW 1000; 12 pt
  const double xs[5] = {72, 78, 85.2, 88.2, 100.2};
  for (std::size_t i = 0; i < 4; ++i) {
    check_box(g[i].info.box, xs[i], 700 - 1.2, xs[i + 1], 700 + 10.8);
    CHECK(g[i].code_begin == 2 * i);
    CHECK(g[i].code_length == 2);
    CHECK(font_problem_of(a.page, g[i]).empty());
  }
  CHECK(g[0].info.text == "A");
  CHECK(g[1].info.text == "B");
  CHECK(g[2].info.text == "a");
  CHECK(g[3].info.text.empty());
  CHECK_FALSE(g[3].info.unicode_known);
  CHECK(g[2].advance_tj == Approx(250));
  // F4: no ToUnicode → problem naming the resource, never text
  CHECK(font_problem_of(a.page, g[4]) == "no ToUnicode for CID font /F4");
  CHECK_FALSE(g[4].info.unicode_known);
  // Type3: FontMatrix 0.001 × width 1000 → 10 pt advance; flagged
  CHECK(font_problem_of(a.page, g[5]) == "Type3 font /F5");
  check_box(g[5].info.box, 72, 500, 82, 510);
  CHECK(g[6].info.origin_x == Approx(82).margin(0.01));
  REQUIRE(a.page.problems.size() == 2);
  CHECK(a.page.problems[0] == "no ToUnicode for CID font /F4");
  CHECK(a.page.problems[1] == "Type3 font /F5");
}

TEST_CASE("image, inline image, path and shading placements", "[pdf][interp]") {
  RawPdf pdf;
  int im = pdf.add_stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                          "/BitsPerComponent 8",
                          std::string("\x80", 1));
  std::string content = std::string("q 100 0 0 50 300 100 cm /Im1 Do Q\n") +
                        "q 2 w 10 10 m 50 30 l S Q\n" +
                        "20 20 30 40 re f\n" +
                        "q 10 0 0 10 500 500 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80\nEI Q\n" +
                        "q 0 0 100 100 re W n Q\n";
  auto a = analyze(one_page(pdf, "<< /XObject << /Im1 " + ref(im) + " >> >>", content));
  CHECK(a.page.problems.empty());
  const auto& p = a.page.placements;
  REQUIRE(p.size() == 5);
  CHECK(p[0].kind == Placement::Kind::image);
  CHECK(p[0].name == "Im1");
  check_box(p[0].box, 300, 100, 400, 150);
  CHECK(p[0].op == 2);
  CHECK(p[1].kind == Placement::Kind::path);
  check_box(p[1].box, 9, 9, 51, 31);  // stroke: half the line width around the points
  CHECK(p[1].first_op == 6);
  CHECK(p[1].op == 8);
  check_box(p[2].box, 20, 20, 50, 60);
  CHECK(p[2].first_op == 10);
  CHECK(p[3].kind == Placement::Kind::inline_image);
  check_box(p[3].box, 500, 500, 510, 510);
  CHECK(p[4].kind == Placement::Kind::path);
  CHECK(p[4].clip);
}

TEST_CASE("glyph encoding: every field round-trips bit for bit, repeated or not", "[pdf][interp]") {
  // The encoding writes a glyph against the previous one (fields that repeat are flagged, not written):
  // -0.0 next to 0.0, NaNs, empty and long texts, and state changes mid-line must all survive exactly.
  auto bits = [](double d) {
    std::uint64_t u;
    std::memcpy(&u, &d, 8);
    return u;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::mt19937 rng(7);
  const double values[] = {0.0, -0.0, 1.5, 700.25, nan, -nan, std::numeric_limits<double>::infinity(), 1e-300};
  auto pick = [&] { return values[rng() % std::size(values)]; };
  ExtractedPdf e;
  for (int page = 1; page <= 3; ++page) {
    PageGlyphs pg;
    pg.number = page;
    pg.media_box = Box{0, 0, 612, 792};
    for (int k = 0; k < 400; ++k) {
      GlyphInfo g;
      const int t = static_cast<int>(rng() % 4);
      g.text = t == 0 ? "" : t == 1 ? "a" : t == 2 ? "\xEF\xAC\x83" : std::string(300, 'x');
      const bool repeat = rng() % 3 != 0;  // most glyphs repeat most fields of the one before
      const GlyphInfo* before = pg.glyphs.empty() ? nullptr : &pg.glyphs.back();
      g.origin_x = pick();
      g.origin_y = repeat && before ? before->origin_y : pick();
      g.box = Box{rng() % 2 ? g.origin_x : pick(), repeat && before ? before->box.y0 : pick(), pick(),
                  repeat && before ? before->box.y1 : pick()};
      g.font_size = repeat && before ? before->font_size : pick();
      g.angle = repeat && before ? before->angle : pick();
      g.render_mode = repeat && before ? before->render_mode : static_cast<int>(rng() % 8);
      g.form_depth = repeat && before ? before->form_depth : static_cast<int>(rng() % 13);
      g.unicode_known = repeat && before ? before->unicode_known : rng() % 2 == 0;
      pg.glyphs.push_back(g);
    }
    e.pages.push_back(pg);
  }
  const std::string enc = encode_extracted(e);
  const ExtractedPdf d = decode_extracted(enc);
  REQUIRE(d.pages.size() == e.pages.size());
  for (std::size_t p = 0; p < e.pages.size(); ++p) {
    REQUIRE(d.pages[p].glyphs.size() == e.pages[p].glyphs.size());
    for (std::size_t k = 0; k < e.pages[p].glyphs.size(); ++k) {
      const GlyphInfo &a = e.pages[p].glyphs[k], &b = d.pages[p].glyphs[k];
      CHECK(a.text == b.text);
      CHECK(bits(a.origin_x) == bits(b.origin_x));
      CHECK(bits(a.origin_y) == bits(b.origin_y));
      CHECK(bits(a.box.x0) == bits(b.box.x0));
      CHECK(bits(a.box.y0) == bits(b.box.y0));
      CHECK(bits(a.box.x1) == bits(b.box.x1));
      CHECK(bits(a.box.y1) == bits(b.box.y1));
      CHECK(bits(a.font_size) == bits(b.font_size));
      CHECK(bits(a.angle) == bits(b.angle));
      CHECK(a.render_mode == b.render_mode);
      CHECK(a.form_depth == b.form_depth);
      CHECK(a.unicode_known == b.unicode_known);
    }
  }
  for (std::size_t cut = 0; cut < 2000; ++cut)  // truncations inside the first glyphs
    CHECK_THROWS_AS(decode_extracted(std::string_view(enc).substr(0, cut)), declass::Error);
}

TEST_CASE("extract_glyphs: public result, errors and binary round trip", "[pdf][interp]") {
  RawPdf pdf;
  int f1 = pdf.add(k_courier);
  std::string file = one_page(pdf, "<< /Font << /F1 " + ref(f1) + " >> >>", "BT /F1 10 Tf 72 700 Td (Hi) Tj ET");
  ExtractedPdf e = extract_glyphs(file);
  REQUIRE(e.pages.size() == 1);
  CHECK(e.pages[0].number == 1);
  check_box(e.pages[0].media_box, 0, 0, 612, 792);
  REQUIRE(e.pages[0].glyphs.size() == 2);
  CHECK(e.pages[0].glyphs[1].text == "i");
  CHECK(e.pages[0].glyphs[1].origin_x == Approx(78));
  CHECK_FALSE(e.was_encrypted);

  std::string enc = encode_extracted(e);
  ExtractedPdf d = decode_extracted(enc);
  REQUIRE(d.pages.size() == 1);
  REQUIRE(d.pages[0].glyphs.size() == 2);
  CHECK(d.pages[0].glyphs[1].text == "i");
  CHECK(d.pages[0].glyphs[1].box.x1 == e.pages[0].glyphs[1].box.x1);
  for (std::size_t cut = 0; cut < enc.size(); ++cut)
    CHECK_THROWS_AS(decode_extracted(std::string_view(enc).substr(0, cut)), declass::Error);
  // the page-at-a-time worker path writes the same bytes; the page-at-a-time reader gives the same pages
  CHECK(extract_glyphs_encoded(file) == enc);
  ExtractedPdf meta;
  std::vector<std::string> texts;
  decode_extracted_pages(enc, meta, [&](PageGlyphs& p) {
    for (const auto& g : p.glyphs) texts.push_back(g.text);
  });
  CHECK(texts == std::vector<std::string>{"H", "i"});
  CHECK(meta.pages.empty());
  CHECK_THROWS_AS(decode_extracted(enc + "x"), declass::Error);
  CHECK_THROWS_AS(extract_glyphs_encoded("not a pdf at all"), declass::Error);
  // the pieces (header, page, warnings) decoded one at a time as they arrive
  std::vector<std::string> pieces;
  extract_glyphs_pieces(file, {}, [&](std::string_view p) { pieces.emplace_back(p); });
  REQUIRE(pieces.size() == 3);
  std::vector<std::string> streamed;
  ExtractedPieceDecoder dec([&](PageGlyphs& p) {
    for (const auto& g : p.glyphs) streamed.push_back(g.text);
  });
  for (const auto& p : pieces) {
    CHECK_FALSE(dec.complete());
    dec.feed(p);
  }
  CHECK(dec.complete());
  CHECK(streamed == std::vector<std::string>{"H", "i"});
  CHECK_THROWS_AS(dec.feed(pieces[2]), declass::Error);  // a piece after the end
  ExtractedPieceDecoder cut([](PageGlyphs&) {});
  cut.feed(pieces[0]);
  CHECK_THROWS_AS(cut.feed(pieces[1].substr(0, pieces[1].size() - 1)), declass::Error);  // a truncated page
  ExtractedPieceDecoder bad([](PageGlyphs&) {});
  CHECK_THROWS_AS(bad.feed(pieces[1]), declass::Error);  // a page where the header belongs

  ExtractOptions limit;
  limit.max_pages = 0;
  CHECK_THROWS_AS(extract_glyphs(file, limit), declass::Error);
  CHECK_THROWS_AS(extract_glyphs("not a pdf at all"), declass::Error);

  // Encrypted with a user password: refused without it, refused with a wrong one, read with the right one.
  QPDF q;
  q.processMemoryFile("t.pdf", file.data(), file.size());
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setStaticID(true);
  w.setR6EncryptionParameters("user", "owner", true, true, true, true, true, true, qpdf_r3p_full, true);
  w.write();
  auto buf = w.getBufferSharedPointer();
  std::string encrypted(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
  try {
    extract_glyphs(encrypted);
    FAIL("encrypted file accepted without password");
  } catch (const declass::Error& err) {
    CHECK(err.category() == declass::ErrorCategory::input);
    CHECK(std::string(err.message()).find("encrypted; give --password") != std::string::npos);
  }
  ExtractOptions wrong;
  wrong.password = "nope";
  CHECK_THROWS_AS(extract_glyphs(encrypted, wrong), declass::Error);
  ExtractOptions right;
  right.password = "user";
  ExtractedPdf ok = extract_glyphs(encrypted, right);
  CHECK(ok.was_encrypted);
  REQUIRE(ok.pages.size() == 1);
  CHECK(ok.pages[0].glyphs.size() == 2);
}

TEST_CASE("hostile content never throws and reports problems", "[pdf][interp]") {
  RawPdf pdf;
  int f1 = pdf.add(k_courier);
  int self = pdf.reserve();
  pdf.set_stream(self, "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /S " + ref(self) +
                           " >> >>",
                 "/S Do");
  std::string content = "q q q /S Do Q (x) Tj BT /F9 12 Tf (y) Tj ET BT /F1 1e999 Tf (zz) Tj ET [1 2 TJ (unterminated";
  auto a = analyze(one_page(pdf, "<< /Font << /F1 " + ref(f1) + " >> /XObject << /S " + ref(self) + " >> >>",
                            content));
  CHECK_FALSE(a.page.problems.empty());
  bool cycle = false, missing = false;
  for (const auto& p : a.page.problems) {
    if (p.find("draws itself") != std::string::npos) cycle = true;
    if (p == "missing font /F9") missing = true;
  }
  CHECK(cycle);
  CHECK(missing);
}
