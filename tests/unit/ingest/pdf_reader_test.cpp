// Tests of the PDF reader (ingest/pdf_reader.hpp) on small PDFs written here in raw PDF syntax:
// a two-page Courier cable read like its text version (banner, numbered paragraphs, portion marks,
// pages, a hyphenated line end), glyph rectangles of a span across a line break, duplicate glyphs,
// a Tr 3 OCR layer over an image, a text-less scan, garbage input; plus the hyphen join on text.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "ingest/pdf_reader.hpp"
#include "ingest/text_reader.hpp"

using namespace declass;
using namespace declass::ingest;

namespace {

// One text line drawn on a page: Courier `size` at (x, y), render mode `tr`.
struct TextLine {
  double x = 72, y = 720;
  std::string text;
  int tr = 0;
  double size = 10;
};

struct PageSpec {
  std::vector<TextLine> lines;
  bool image = false;   // a 1×1 grey image XObject stretched over the page before the text
  std::string extra;    // raw content appended after the text
};

std::string pdf_string(const std::string& s) {
  std::string out = "(";
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

// Writes a complete PDF (xref with exact offsets) with one Courier font /F1 and the given pages.
std::string make_pdf(const std::vector<PageSpec>& pages) {
  std::vector<std::string> objs;  // objs[i] is object i+1
  auto add = [&](std::string body) {
    objs.push_back(std::move(body));
    return static_cast<int>(objs.size());
  };
  add("");  // 1: catalog (filled below)
  add("");  // 2: pages
  int font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  int image = add("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
                  "/Length 1 >>\nstream\n\x80\nendstream");
  std::vector<int> kids;
  for (const PageSpec& p : pages) {
    std::string c;
    if (p.image) c += "q 612 0 0 792 0 0 cm /Im1 Do Q\n";
    for (const TextLine& l : p.lines) {
      c += "BT /F1 " + fmt(l.size) + " Tf " + std::to_string(l.tr) + " Tr 1 0 0 1 " + fmt(l.x) + " " + fmt(l.y) + " Tm " +
           pdf_string(l.text) + " Tj ET\n";
    }
    c += p.extra;
    int content = add("<< /Length " + std::to_string(c.size()) + " >>\nstream\n" + c + "\nendstream");
    int page = add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 " +
                   std::to_string(font) + " 0 R >> /XObject << /Im1 " + std::to_string(image) +
                   " 0 R >> >> /Contents " + std::to_string(content) + " 0 R >>");
    kids.push_back(page);
  }
  objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  std::string k;
  for (int id : kids) k += std::to_string(id) + " 0 R ";
  objs[1] = "<< /Type /Pages /Kids [" + k + "] /Count " + std::to_string(kids.size()) + " >>";
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char b[24];
    std::snprintf(b, sizeof b, "%010zu 00000 n \n", off);
    out += b;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return out;
}

// Lays text lines out like a typewriter page: Courier 10 pt, 12 pt leading from y = 720 at x = 72;
// leading spaces become the x offset (6 pt per column), blank lines advance the baseline.
PageSpec typed_page(const std::vector<std::string>& lines) {
  PageSpec p;
  double y = 720;
  for (const std::string& l : lines) {
    std::size_t lead = l.find_first_not_of(' ');
    if (lead != std::string::npos) p.lines.push_back({72.0 + 6.0 * static_cast<double>(lead), y, l.substr(lead)});
    y -= 12;
  }
  return p;
}

const std::vector<std::string> k_page1 = {
    "SECRET",
    "",
    "E.O. 12958: DECL: 12/18/08",
    "",
    "TAGS: PREL, RS",
    "",
    "SUBJECT: MEETING WITH THE PRIME MINISTER",
    "",
    "1. (U) CLASSIFIED BY D ACTING SECRETARY STROBE TALBOTT.",
    "",
    "2. (S) THE DEPUTY SECRETARY SPOKE ABOUT THE MILITARY-",
    "INDUSTRIAL COMPLEX AND THE ELECTIONS. THE PRIME MINISTER",
    "LISTENED.",
    "",
    "3. (C) TALBOTT SAID THE TWO SIDES HAD WORK TO DO ON",
    "START-2 AND ON THE CAUCASUS.",
    "",
    "SECRET",
};
const std::vector<std::string> k_page2 = {
    "SECRET",
    "",
    "4. (S) PUTIN AGREED AND SAID HE WOULD CALL. THE MEETING",
    "ENDED AT NOON.",
    "",
    "5. (U) DRAFTED BY BEYRLE.",
    "",
    "SECRET",
};

std::string cable_text() {
  std::string t;
  for (const auto& l : k_page1) t += l + "\n";
  t += "\f";
  for (const auto& l : k_page2) t += l + "\n";
  return t;
}

std::string cable_pdf() { return make_pdf({typed_page(k_page1), typed_page(k_page2)}); }

const Paragraph* numbered(const Document& d, const std::string& n) {
  for (const auto& p : d.paragraphs)
    if (p.number == n) return &p;
  return nullptr;
}

std::string level(const Paragraph* p) {
  if (!p || !p->portion || !p->portion->marking.classification) return "";
  return markings::code(*p->portion->marking.classification);
}

}  // namespace

TEST_CASE("looks_like_pdf", "[pdf_reader]") {
  CHECK(looks_like_pdf("%PDF-1.7\n..."));
  CHECK(looks_like_pdf("\xEF\xBB\xBF  %PDF-1.4"));
  CHECK_FALSE(looks_like_pdf("SECRET\n1. (S) TEXT"));
  CHECK_FALSE(looks_like_pdf(""));
  CHECK_FALSE(looks_like_pdf(std::string(2000, ' ') + "%PDF-1.4"));
}

TEST_CASE("a two-page Courier cable reads like its text version", "[pdf_reader]") {
  const std::string pdf = cable_pdf();
  Document d = parse_pdf(pdf, "cable.pdf");
  Document t = parse_text(cable_text(), "cable.txt");

  CHECK(d.format == "pdf");
  CHECK(d.pages == 2);
  // the text is the typed lines (layout rebuilt from the glyph positions), pages split by a form feed
  CHECK(d.text.find("2. (S) THE DEPUTY SECRETARY SPOKE ABOUT THE MILITARY-\nINDUSTRIAL COMPLEX") != std::string::npos);
  CHECK(d.text.find("SECRET\n\n4. (S) PUTIN") != std::string::npos);
  CHECK(d.text.find('\f') != std::string::npos);
  REQUIRE(d.glyph_at_byte.size() == d.text.size());

  // read by hand from k_page1/k_page2: banner SECRET; paragraphs 1 (U), 2 (S), 3 (C), 4 (S), 5 (U)
  REQUIRE(d.markings.banner.has_value());
  CHECK(d.markings.banner->canonical() == "SECRET");
  CHECK(level(numbered(d, "1")) == "U");
  CHECK(level(numbered(d, "2")) == "S");
  CHECK(level(numbered(d, "3")) == "C");
  CHECK(level(numbered(d, "4")) == "S");
  CHECK(level(numbered(d, "5")) == "U");
  const Paragraph* p2 = numbered(d, "2");
  REQUIRE(p2);
  CHECK(p2->text ==
        "2. (S) THE DEPUTY SECRETARY SPOKE ABOUT THE MILITARY-INDUSTRIAL COMPLEX AND THE ELECTIONS. THE PRIME MINISTER "
        "LISTENED.");
  CHECK(p2->pages == std::vector<int>{1});
  const Paragraph* p4 = numbered(d, "4");
  REQUIRE(p4);
  CHECK(p4->pages == std::vector<int>{2});
  CHECK(p4->text == "4. (S) PUTIN AGREED AND SAID HE WOULD CALL. THE MEETING ENDED AT NOON.");
  CHECK(d.markings.tags == std::vector<std::string>{"PREL", "RS"});

  // the same as the text version, paragraph by paragraph
  REQUIRE(d.paragraphs.size() == t.paragraphs.size());
  for (std::size_t i = 0; i < d.paragraphs.size(); ++i) {
    INFO("paragraph " << i + 1);
    CHECK(d.paragraphs[i].number == t.paragraphs[i].number);
    CHECK(d.paragraphs[i].text == t.paragraphs[i].text);
    CHECK(d.paragraphs[i].pages == t.paragraphs[i].pages);
    CHECK(level(&d.paragraphs[i]) == level(&t.paragraphs[i]));
  }
  CHECK(d.markings.portion_marked == t.markings.portion_marked);

  // every mapped byte of paragraph text is the same byte of Document::text, and real glyph bytes
  for (const auto& p : d.paragraphs)
    for (std::size_t pos = 0; pos < p.text.size(); ++pos) {
      auto off = p.source_offset(pos);
      if (!off) continue;
      REQUIRE(*off < d.text.size());
      CHECK(d.text[*off] == p.text[pos]);
      if (p.text[pos] != ' ') CHECK(d.glyph_at_byte[*off] >= 0);
    }
}

TEST_CASE("a span across the hyphenated line end maps to one rectangle per line", "[pdf_reader]") {
  Document d = parse_pdf(cable_pdf(), "cable.pdf");
  const Paragraph* p2 = numbered(d, "2");
  REQUIRE(p2);
  const std::string term = "MILITARY-INDUSTRIAL COMPLEX";
  std::size_t at = p2->text.find(term);
  REQUIRE(at != std::string::npos);
  auto ranges = p2->source_ranges(at, at + term.size());
  REQUIRE(ranges.size() == 2);
  CHECK(d.text.substr(ranges[0].first, ranges[0].second - ranges[0].first) == "MILITARY-");
  CHECK(d.text.substr(ranges[1].first, ranges[1].second - ranges[1].first) == "INDUSTRIAL COMPLEX");
  auto rects = rects_for_text_ranges(d, ranges);
  REQUIRE(rects.size() == 2);
  // "2. (S) THE DEPUTY SECRETARY SPOKE ABOUT THE " is 44 columns: MILITARY- is columns 44..52 on the
  // line at y 600; INDUSTRIAL COMPLEX is columns 0..17 of the line at y 588 (Courier 10: 6 pt a column)
  CHECK(rects[0].page == 1);
  CHECK(rects[0].x0 == Approx(72 + 6 * 44).margin(0.01));
  CHECK(rects[0].x1 == Approx(72 + 6 * 53).margin(0.01));
  CHECK(rects[0].y0 < 600);
  CHECK(rects[0].y1 > 600);
  CHECK(rects[0].y1 < 612);
  CHECK(rects[1].page == 1);
  CHECK(rects[1].x0 == Approx(72).margin(0.01));
  CHECK(rects[1].x1 == Approx(72 + 6 * 18).margin(0.01));
  CHECK(rects[1].y0 < 588);
  CHECK(rects[1].y1 > 588);
  CHECK(rects[1].y1 < 600);

  // a span on page 2 gives a page-2 rectangle; inserted bytes alone give nothing
  const Paragraph* p4 = numbered(d, "4");
  REQUIRE(p4);
  std::size_t noon = p4->text.find("NOON");
  auto r4 = rects_for_text_ranges(d, p4->source_ranges(noon, noon + 4));
  REQUIRE(r4.size() == 1);
  CHECK(r4[0].page == 2);
  CHECK(r4[0].x0 == Approx(72 + 6 * 9).margin(0.01));
  CHECK(r4[0].x1 == Approx(72 + 6 * 13).margin(0.01));
  std::size_t ff = d.text.find('\f');
  CHECK(rects_for_text_ranges(d, {{ff, ff + 1}}).empty());
  CHECK(rects_for_text_ranges(d, {{d.text.size(), d.text.size() + 5}}).empty());
}

TEST_CASE("exact duplicate glyphs are read once and both boxes are redacted", "[pdf_reader]") {
  // fake bold: the same line drawn twice at the same place, and once more 0.3 pt to the right
  PageSpec p = typed_page({"SECRET", "", "1. (S) JOHN DOE MET THE AMBASSADOR."});
  TextLine dup = p.lines[1];
  p.lines.push_back(dup);
  dup.x += 0.3;
  p.lines.push_back(dup);
  Document d = parse_pdf(make_pdf({p}), "bold.pdf");
  REQUIRE(d.paragraphs.size() >= 1);
  const Paragraph* p1 = numbered(d, "1");
  REQUIRE(p1);
  CHECK(p1->text == "1. (S) JOHN DOE MET THE AMBASSADOR.");
  CHECK_FALSE(d.glyph_duplicates.empty());
  std::size_t at = p1->text.find("JOHN DOE");
  auto rects = rects_for_text_ranges(d, p1->source_ranges(at, at + 8));
  REQUIRE(rects.size() == 1);
  CHECK(rects[0].x0 == Approx(72 + 6 * 7).margin(0.01));
  CHECK(rects[0].x1 == Approx(72 + 6 * 15 + 0.3).margin(0.01));  // covers the shifted copy too
  bool warned = false;
  for (const auto& w : d.warnings)
    if (w.find("duplicate") != std::string::npos) warned = true;
  CHECK(warned);
}

TEST_CASE("an invisible OCR layer (Tr 3) over an image is read as text", "[pdf_reader]") {
  PageSpec p = typed_page({"CONFIDENTIAL", "", "1. (C) THE SCANNED PAGE SAYS THIS.", "", "CONFIDENTIAL"});
  p.image = true;
  for (auto& l : p.lines) l.tr = 3;
  Document d = parse_pdf(make_pdf({p}), "ocr.pdf");
  REQUIRE(d.markings.banner.has_value());
  CHECK(d.markings.banner->canonical() == "CONFIDENTIAL");
  const Paragraph* p1 = numbered(d, "1");
  REQUIRE(p1);
  CHECK(p1->text == "1. (C) THE SCANNED PAGE SAYS THIS.");
  CHECK(level(p1) == "C");
}

TEST_CASE("rotated text comes after the horizontal lines as its own line", "[pdf_reader]") {
  PageSpec p = typed_page({"1. (U) HORIZONTAL TEXT.", "", "2. (U) MORE TEXT."});
  p.extra = "BT /F1 10 Tf 0 1 -1 0 40 300 Tm (MARGIN NOTE) Tj ET\n";
  Document d = parse_pdf(make_pdf({p}), "rotated.pdf");
  std::size_t h = d.text.find("2. (U) MORE TEXT.");
  std::size_t r = d.text.find("MARGIN NOTE");
  REQUIRE(h != std::string::npos);
  REQUIRE(r != std::string::npos);
  CHECK(r > h);
  CHECK(d.text.find("MORE TEXT.\nMARGIN NOTE") != std::string::npos);
}

TEST_CASE("word gaps without space glyphs become one space", "[pdf_reader]") {
  PageSpec p;
  // "JOHN" at 72, "DOE" 3 pt after the end of JOHN (4 × 6 = 24 pt wide): gap 0.3 × 10 pt → one space;
  // "MET" right after DOE with a 1 pt gap (0.1 × size) → no space
  p.lines.push_back({72, 700, "JOHN"});
  p.lines.push_back({99, 700, "DOE"});
  p.lines.push_back({118, 700, "MET"});
  Document d = parse_pdf(make_pdf({p}), "gaps.pdf");
  CHECK(d.text == "JOHN DOEMET");
  CHECK(d.glyph_at_byte[4] == -1);
}

TEST_CASE("PDFs without usable text are refused with a clear message", "[pdf_reader]") {
  PageSpec scan;
  scan.image = true;
  try {
    parse_pdf(make_pdf({scan}), "scan.pdf");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::input);
    CHECK(e.where() == "scan.pdf");
    CHECK(e.message().find("no text layer") != std::string::npos);
    CHECK(e.message().find("OCR") != std::string::npos);
  }
  for (const std::string& bad : {std::string("%PDF-1.4\n garbage \x01\x02 trailer"), cable_pdf().substr(0, 300),
                                 std::string("%PDF-")}) {
    try {
      parse_pdf(bad, "bad.pdf");
      FAIL("no error for a broken PDF");
    } catch (const Error& e) {
      CHECK(e.category() != ErrorCategory::internal);
      CHECK_FALSE(std::string(e.what()).empty());
    }
  }
}

TEST_CASE("parse_document dispatches on the content", "[pdf_reader]") {
  CHECK(parse_document(cable_pdf(), "x.bin").format == "pdf");
  CHECK(parse_document(cable_text(), "x.bin").format == "text");
}

TEST_CASE("text records: a hyphenated line end joins without a space", "[pdf_reader][hyphen]") {
  const std::string src =
      "1. (S) THE MILITARY-\n"
      "INDUSTRIAL COMPLEX IS DISCUSSED -- NOT\n"
      "EVERYONE AGREED. SEE START-\n"
      "2 FOR DETAILS.\n";
  Document d = parse_text(src, "h.txt");
  REQUIRE(d.paragraphs.size() == 1);
  const Paragraph& p = d.paragraphs[0];
  // a letter before "-" and a letter after the break: joined; "--" and a digit after the break: a space
  CHECK(p.text == "1. (S) THE MILITARY-INDUSTRIAL COMPLEX IS DISCUSSED -- NOT EVERYONE AGREED. SEE START- 2 FOR DETAILS.");
  std::size_t at = p.text.find("MILITARY-INDUSTRIAL");
  auto r = p.source_ranges(at, at + 19);
  REQUIRE(r.size() == 2);
  CHECK(src.substr(r[0].first, r[0].second - r[0].first) == "MILITARY-");
  CHECK(src.substr(r[1].first, r[1].second - r[1].first) == "INDUSTRIAL");
}

namespace {

// A page laid out like shared/bench/gen_corpus.py (reportlab): centred "SECRET" banner at y 750, the
// "PAGE nn STATE nnnnnn DTG" line at 725, a blank line, body lines every 12 pt, "SECRET" footer at y 40.
PageSpec generated_cable_page(int number, const std::vector<std::string>& body) {
  PageSpec p;
  p.lines.push_back({288, 750, "SECRET"});
  char head[64];
  std::snprintf(head, sizeof head, "PAGE %02d        STATE 666116   221740Z", number);
  p.lines.push_back({72, 725, head});
  double y = 725 - 24;
  for (const std::string& l : body) {
    if (!l.empty()) p.lines.push_back({72, y, l});
    y -= 12;
  }
  p.lines.push_back({288, 40, "SECRET"});
  return p;
}

}  // namespace

TEST_CASE("a paragraph continues across a page break over the banner, PAGE line and footer", "[pdf_reader][page_break]") {
  // the leak found by scripts/bench-redact (1,000-page generated cable, pages 823/824): "POC IS JOHN" /
  // "RASMUSSEN, TEL ..." split by the page furniture, the continuation line read as a cable header field.
  // page 1 is full (52 body lines, as the generator writes them); its last line ends mid-name
  // a header field line as the generator scatters them (it puts the cable in header mode: short lines
  // after it read as header fields until body text ends the header)
  std::vector<std::string> body1 = {"FM SECSTATE WASHDC", ""};
  for (int i = 0; i < 45; ++i) body1.push_back("FILLER LINE " + std::to_string(i) + " OF THE FIRST PARAGRAPH.");
  body1.push_back("");
  body1.push_back("THE MINISTER SAID PEOPLE WERE NOW ANXIOUS TO LEAVE THE CAMPS AND");
  body1.push_back("RETURN TO THEIR HOMES; 1500 ALREADY HAD. RUSSIA WOULD RESPOND TO");
  body1.push_back("THESE DESIRES: GAS AND POWER WERE BEING RESTORED AND POC IS JOHN");
  const std::vector<std::string> body2 = {"RASMUSSEN, TEL (220) 433-3626.", "", "CHECHNYA", "", "INFO LOG-00 CCOE-00 SAS-00 /000R",
                                          "", "REVIEW AUTHORITY: Marvin Russell, Senior Reviewer", "", "FM SECSTATE WASHDC", "",
 "WEAPONS). WITHOUT EXAGGERATION, HE COULD SAY THAT STATEMENT WOULD", "NOT HAVE BEEN POSSIBLE WITHOUT THE PERSONAL CONTACT", "", "2. (S) DEPUTY SECRETARY TALBOTT MET WITH RUSSIAN PRIME MINISTER", "VLADIMIR PUTIN FOR AN HOUR DECEMBER 22 IN THE RUSSIAN WHITE HOUSE"};
  Document d = parse_pdf(make_pdf({generated_cable_page(1, body1), generated_cable_page(2, body2)}), "gen.pdf");
  const Paragraph* split = nullptr;
  for (const auto& p : d.paragraphs)
    if (p.text.find("POC IS JOHN") != std::string::npos) split = &p;
  REQUIRE(split);
  CHECK(split->text ==
        "THE MINISTER SAID PEOPLE WERE NOW ANXIOUS TO LEAVE THE CAMPS AND RETURN TO THEIR HOMES; 1500 ALREADY HAD. "
        "RUSSIA WOULD RESPOND TO THESE DESIRES: GAS AND POWER WERE BEING RESTORED AND POC IS JOHN RASMUSSEN, TEL (220) "
        "433-3626.");
  CHECK(split->pages == std::vector<int>{1, 2});
  // the furniture between the fragments (banner, PAGE line, footer) is in no paragraph
  for (const auto& p : d.paragraphs) {
    CHECK(p.text.find("STATE 666116") == std::string::npos);
    for (const auto& seg : p.segments) {
      const Line* l = d.line_at(seg.line);
      REQUIRE(l);
      CHECK(l->zone != Zone::page_banner);
      CHECK(l->zone != Zone::page_header);
    }
  }
  // a match over the joined text maps to glyph boxes on both pages
  const std::size_t at = split->text.find("POC IS JOHN RASMUSSEN");
  REQUIRE(at != std::string::npos);
  std::vector<PageRect> rects = rects_for_text_ranges(d, split->source_ranges(at, at + 21));
  REQUIRE(rects.size() == 2);
  CHECK(rects[0].page == 1);
  CHECK(rects[1].page == 2);
}
