// Release PDF tests on the seed cable (tests/data/release/seed-cable.txt, a copy of the bundled
// example): withheld name and paragraph are boxed on exactly their character cells and absent from the
// written file; wrapped and hyphenated spans are boxed on every line; output is deterministic;
// templates are validated; the post-write check fails closed.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "pdf/inspect.hpp"
#include "release/release.hpp"

using namespace declass;
using namespace declass::release;

namespace {

std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string seed() { return read(std::string(DECLASS_TEST_DATA) + "/release/seed-cable.txt"); }

WithheldRange range_of(const std::string& text, const std::string& what, std::vector<std::string> codes) {
  auto p = text.find(what);
  REQUIRE(p != std::string::npos);
  return {p, p + what.size(), std::move(codes)};
}

std::string all_text(const pdf::PdfInspection& ins) {
  std::string t;
  for (const auto& p : ins.page_text) t += p + "\n";
  return t;
}

ReleaseRequest seed_request(const std::string& text, const FixedClock& clock) {
  ReleaseRequest r;
  r.lines = lines_from_text(text);
  r.withheld.push_back(range_of(text, "CHIKVISHVILI", {"(b)(6)"}));
  // Paragraph 11 without its number and portion mark: from "PUTIN SAID HE COULD" to "THEIR CAPTIVES."
  auto b = text.find("PUTIN SAID HE COULD OFFER");
  auto e = text.find("ONE OF THEIR CAPTIVES.") + std::string("ONE OF THEIR CAPTIVES.").size();
  r.withheld.push_back({b, e, {"(b)(1)", "1.4(d)"}});
  r.stamp.disposition = "RELEASE IN PART";
  r.stamp.review_authority_name = "Marvin Russell";
  r.stamp.review_authority_title = "Senior Reviewer";
  r.stamp.case_no = "F-2017-13804";
  r.stamp.doc_no = "C06551526";
  r.title = "Case F-2017-13804 Doc C06551526";
  r.audit_json = R"({"format":"declass-audit-excerpt/1","events":[]})";
  r.clock = &clock;
  return r;
}

}  // namespace

TEST_CASE("stamp codes are printed in State style") {
  CHECK(stamp_code("(b)(6)") == "B6");
  CHECK(stamp_code("(b)(7)(C)") == "B7(C)");
  CHECK(stamp_code("1.4(d)") == "1.4(D)");
  CHECK(stamp_code("B1") == "B1");
}

TEST_CASE("lines_from_text keeps offsets and starts pages at cable page headers") {
  std::string t = "A\r\nSECRET\nPAGE 02 STATE 1\nB\fC";
  auto lines = lines_from_text(t);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].text == "A");
  CHECK(lines[1].offset == 3);
  CHECK(lines[1].page == 1);
  CHECK(lines[2].page == 2);
  CHECK(lines[3].text == "B");
  CHECK(lines[4].text == "C");
  CHECK(lines[4].page == 3);
  CHECK(t.substr(lines[4].offset, 1) == "C");
}

TEST_CASE("seed cable: withheld name and paragraph are boxed and gone") {
  FixedClock clock(1764288000);  // 2025-11-28
  std::string text = seed();
  ReleaseRequest req = seed_request(text, clock);
  ReleaseResult res = build_release_pdf(req);
  REQUIRE(!res.pdf.empty());
  CHECK(res.char_advance == Approx(6.0205).epsilon(0.001));

  pdf::PdfInspection ins = pdf::inspect_pdf(res.pdf);
  REQUIRE(ins.parsed);
  std::string t = all_text(ins);
  // withheld text (checked by hand against the source) is not in the text layer
  for (const char* w : {"CHIKVISHVILI", "UNCONCEALED CONTEMPT", "DECAPITATED HEAD", "5KM INSIDE GEORGIAN TERRITORY", "SOCCER"}) {
    CHECK(t.find(w) == std::string::npos);
    CHECK(ins.decoded_objects.find(w) == std::string::npos);
    CHECK(res.pdf.find(w) == std::string::npos);
  }
  // released text around it is there
  CHECK(t.find("AMERICAS DIRECTOR") != std::string::npos);
  CHECK(t.find("TALBOTT WAS JOINED BY") != std::string::npos);
  CHECK(t.find("12. (S) TALBOTT REITERATED THE IMPORTANCE") != std::string::npos);
  CHECK(t.find("11. (S)") != std::string::npos);
  CHECK(pdf::normalize_for_search(t).find("MORE SPECIFIC INFORMATION ABOUT THE REBEL BASE") != std::string::npos);  // para 12
  // stamps
  CHECK(t.find("RELEASE IN PART B6, B1, 1.4(D)") != std::string::npos);
  CHECK(t.find("REVIEW AUTHORITY: Marvin Russell, Senior Reviewer") != std::string::npos);
  CHECK(t.find("UNCLASSIFIED U.S. Department of State Case No. F-2017-13804 Doc No. C06551526 Date: 11/28/2025") != std::string::npos);
  CHECK(t.find("Page 1 of " + std::to_string(res.pages)) != std::string::npos);
  // labels
  CHECK(t.find("B6") != std::string::npos);
  CHECK(t.find("B1 1.4(D)") != std::string::npos);
  // the name box covers exactly the 12 cells of CHIKVISHVILI on its line
  bool found = false;
  for (const auto& tl : res.lines) {
    for (const auto& b : res.boxes) {
      if (b.range != 0 || b.page != tl.page || std::abs(b.y - (tl.baseline - 2.36)) > 1.0) continue;
      // the line that starts with "AMERICAS DIRECTOR "
      if (tl.cells.rfind(U"AMERICAS DIRECTOR ", 0) != 0) continue;
      found = true;
      CHECK(b.first_cell == 18);
      CHECK(b.cells == 12);
      CHECK(b.x == Approx(tl.x + 18 * res.char_advance));
      CHECK(b.w == Approx(12 * res.char_advance));
      CHECK(b.label == "B6");
      CHECK(tl.cells.substr(18, 12) == std::u32string(12, U'\0'));
      CHECK(tl.cells.substr(30, 10) == U". TALBOTT ");
    }
  }
  CHECK(found);
  // the paragraph box spans many lines, each line of it boxed
  int para_boxes = 0;
  for (const auto& b : res.boxes) para_boxes += b.range == 1 ? 1 : 0;
  CHECK(para_boxes >= 8);
  // the audit excerpt is attached, XMP carries its hash and the decision
  REQUIRE(ins.attachments.size() == 1);
  CHECK(ins.attachments[0].name == "release-audit.json");
  CHECK(ins.xmp.find("<rr:Decision>RELEASE IN PART B6, B1, 1.4(D)</rr:Decision>") != std::string::npos);
  CHECK(ins.xmp.find("<rr:AuditSha256>" + res.audit_sha256 + "</rr:AuditSha256>") != std::string::npos);
  CHECK(ins.info.count("Author") == 0);
  // lint clean (unsigned mode)
  pdf::LintOptions lo;
  lo.terms = {"CHIKVISHVILI", "UNCONCEALED CONTEMPT"};
  for (const auto& c : pdf::lint_release(ins, res.pdf, lo)) {
    INFO(c.name << ": " << c.detail);
    CHECK(c.ok);
  }
  std::ofstream("release_seed_unsigned.pdf", std::ios::binary) << res.pdf;
}

TEST_CASE("same inputs and clock give identical bytes") {
  FixedClock clock(1764288000);
  std::string text = seed();
  auto a = build_release_pdf(seed_request(text, clock)).pdf;
  auto b = build_release_pdf(seed_request(text, clock)).pdf;
  CHECK(a == b);
  FixedClock later(1764288000 + 86400);
  auto c = build_release_pdf(seed_request(text, later)).pdf;
  CHECK(a != c);
}

TEST_CASE("a span across a hyphenated line end is boxed on both lines, no fragment survives") {
  std::string text = "2. (S) PUTIN WAS JOINED BY MFA NORTH AMERICAS DIRECTOR CHIKVISH-\nVILI. TALBOTT WAS JOINED BY CHARGE ORDWAY.\n";
  FixedClock clock(1764288000);
  ReleaseRequest r;
  r.lines = lines_from_text(text);
  r.withheld.push_back(range_of(text, "CHIKVISH-\nVILI", {"(b)(6)"}));
  r.stamp.disposition = "RELEASE IN PART";
  r.clock = &clock;
  auto res = build_release_pdf(r);
  REQUIRE(res.boxes.size() == 2);
  CHECK(res.boxes[0].cells == 9);  // "CHIKVISH-"
  CHECK(res.boxes[1].cells == 4);  // "VILI"
  CHECK(res.boxes[1].first_cell == 0);
  auto ins = pdf::inspect_pdf(res.pdf);
  std::string t = all_text(ins);
  CHECK(t.find("CHIKVISH") == std::string::npos);
  CHECK(t.find("VILI") == std::string::npos);
  CHECK(pdf::normalize_for_search(t).find("CHIKVISHVILI") == std::string::npos);
  CHECK(t.find("DIRECTOR") != std::string::npos);
  CHECK(t.find(". TALBOTT WAS JOINED BY CHARGE ORDWAY.") != std::string::npos);
}

TEST_CASE("a span that word-wraps is boxed on every line it covers") {
  // one source line of 120 characters → wraps at 69 columns between "BBBB" (cells 61-64) and "CCCC"
  std::string text = std::string(60, 'A') + " BBBB CCCC DDDD EEEE " + std::string(39, 'F') + "\n";
  FixedClock clock(1764288000);
  ReleaseRequest r;
  r.lines = lines_from_text(text);
  r.withheld.push_back(range_of(text, "BBBB CCCC", {"(b)(6)"}));
  r.clock = &clock;
  auto res = build_release_pdf(r);
  REQUIRE(res.boxes.size() == 2);
  CHECK(res.boxes[0].first_cell == 61);
  CHECK(res.boxes[0].cells == 4);
  CHECK(res.boxes[1].first_cell == 0);
  CHECK(res.boxes[1].cells == 4);
  CHECK(res.boxes[1].y < res.boxes[0].y);
  auto t = all_text(pdf::inspect_pdf(res.pdf));
  CHECK(t.find("CCCC") == std::string::npos);
  CHECK(t.find("BBBB") == std::string::npos);
  CHECK(t.find("DDDD") != std::string::npos);
  CHECK(t.find("EEEE") != std::string::npos);
}

TEST_CASE("cancelled markings are lined through and stay legible") {
  std::string text = "SECRET\n1. (S) TEXT OF THE PARAGRAPH.\n";
  FixedClock clock(1764288000);
  ReleaseRequest r;
  r.lines = lines_from_text(text);
  r.cancel.push_back({0, 6});
  r.cancel.push_back({10, 13});
  r.clock = &clock;
  auto res = build_release_pdf(r);
  auto ins = pdf::inspect_pdf(res.pdf);
  auto t = all_text(ins);
  CHECK(t.find("SECRET") != std::string::npos);
  CHECK(t.find("1. (S) TEXT") != std::string::npos);
  CHECK(t.find("DECLASSIFIED") != std::string::npos);
  // two stroked lines in the page content
  std::size_t n = 0;
  for (auto p = ins.decoded_objects.find(" l S"); p != std::string::npos; p = ins.decoded_objects.find(" l S", p + 1)) ++n;
  CHECK(n == 2);
}

TEST_CASE("templates: shipped ones load, bad ones are refused with a line number") {
  auto s = load_template(std::string(DECLASS_SOURCE_DIR) + "/templates/state.toml");
  CHECK(s.columns == 69);
  CHECK(s.stamps.size() == 5);
  auto a = load_template(std::string(DECLASS_SOURCE_DIR) + "/templates/agency.toml");
  CHECK(a.name == "agency");
  try {
    parse_template("[page]\ncolumns = 69\n[[stamp]]\ntext = \"X\"\nx = 300\ny = 400\n", "t.toml");
    FAIL("overlapping stamp accepted");
  } catch (const Error& e) {
    CHECK(e.where() == "t.toml:3");
    CHECK(std::string(e.what()).find("overlaps the text area") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_template("[page]\ncolumnz = 69\n", "t.toml"), Error);
  CHECK_THROWS_AS(render_stamp_text("{nope}", {}, "t"), Error);
  CHECK(render_stamp_text("{disposition} {codes}", {{"disposition", "RELEASE IN FULL"}, {"codes", ""}}, "t") == "RELEASE IN FULL");
}

TEST_CASE("agency template produces a release too") {
  FixedClock clock(1764288000);
  std::string text = seed();
  ReleaseRequest r = seed_request(text, clock);
  r.template_path = std::string(DECLASS_SOURCE_DIR) + "/templates/agency.toml";
  auto res = build_release_pdf(r);
  auto t = all_text(pdf::inspect_pdf(res.pdf));
  CHECK(t.find("Reviewed by Marvin Russell, Senior Reviewer") != std::string::npos);
  CHECK(t.find("CHIKVISHVILI") == std::string::npos);
}

TEST_CASE("post-write check fails closed when withheld text would leak") {
  FixedClock clock(1764288000);
  std::string text = seed();
  ReleaseRequest r = seed_request(text, clock);
  r.title = "About CHIKVISHVILI";  // the caller leaks the name through the title
  try {
    build_release_pdf(r);
    FAIL("leak not detected");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::verification);
    CHECK(std::string(e.what()).find("CHIKVISHVILI") == std::string::npos);  // never echoed
  }
}

TEST_CASE("bad requests are refused") {
  FixedClock clock(1764288000);
  ReleaseRequest r;
  r.lines = lines_from_text("ABC\n");
  r.clock = &clock;
  r.withheld.push_back({2, 99, {"B6"}});
  CHECK_THROWS_AS(build_release_pdf(r), Error);
  r.withheld.clear();
  r.lines[0].omit = true;
  CHECK_THROWS_AS(build_release_pdf(r), Error);
}
