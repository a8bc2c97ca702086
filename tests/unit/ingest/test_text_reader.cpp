// Unit tests of the text reader: decoding and errors, line splitting (LF/CRLF/CR/form feed),
// paging, zones, paragraph joining with offset maps, and the full acceptance checks on the
// seed cable (examples/state-1999-12-29-talbott-putin.txt), expected values read by hand.
#include <catch2/catch.hpp>

#include <cctype>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/io.hpp"
#include "ingest/text_reader.hpp"
#include "markings/grammar.hpp"

using namespace declass;
using namespace declass::ingest;

namespace {

std::string seed_path() { return std::string(DECLASS_SOURCE_DIR) + "/examples/state-1999-12-29-talbott-putin.txt"; }

const Paragraph* numbered(const Document& d, const std::string& n) {
  for (const auto& p : d.paragraphs)
    if (p.number == n) return &p;
  return nullptr;
}

// Every character of every paragraph that maps to the source is that source character.
void check_offsets(const Document& d) {
  for (const auto& p : d.paragraphs) {
    std::size_t mapped = 0;
    for (std::size_t pos = 0; pos < p.text.size(); ++pos) {
      auto off = p.source_offset(pos);
      if (!off) {
        INFO("paragraph " << p.index << " pos " << pos);
        REQUIRE(p.text[pos] == ' ');  // only inserted join spaces are unmapped
        continue;
      }
      ++mapped;
      REQUIRE(*off < d.text.size());
      if (p.text[pos] != d.text[*off]) {
        FAIL("paragraph " << p.index << " (line " << p.first_line << ") pos " << pos << " maps to " << *off);
      }
    }
    std::size_t seg_total = 0;
    for (const auto& s : p.segments) seg_total += s.length;
    REQUIRE(mapped == seg_total);
    // one inserted space between segments, none after a hyphenated line end ("MADRID-" + "SMARTS")
    std::size_t joins = 0;
    for (std::size_t k = 1; k < p.segments.size(); ++k) {
      const auto& a = p.segments[k - 1];
      const auto& b = p.segments[k];
      std::size_t inserted = b.text_begin - (a.text_begin + a.length);
      REQUIRE(inserted <= 1);
      if (inserted == 0) {
        REQUIRE(a.length >= 2);
        CHECK(p.text[a.text_begin + a.length - 1] == '-');
        CHECK(std::isalpha(static_cast<unsigned char>(p.text[a.text_begin + a.length - 2])));
        CHECK(std::isalpha(static_cast<unsigned char>(p.text[b.text_begin])));
      }
      joins += inserted;
    }
    REQUIRE(p.text.size() - seg_total == joins);
  }
}

}  // namespace

TEST_CASE("seed cable: acceptance", "[ingest][seed]") {
  Document d = read_text_file(seed_path());
  const auto& mk = d.markings;

  SECTION("paragraph numbering and portion marks") {
    int count = 0;
    for (const auto& p : d.paragraphs)
      if (!p.number.empty()) ++count;
    CHECK(count == 17);
    for (int n = 1; n <= 17; ++n) {
      const Paragraph* p = numbered(d, std::to_string(n));
      REQUIRE(p != nullptr);
      REQUIRE(p->portion.has_value());
      REQUIRE(p->portion->marking.classification.has_value());
      CHECK(*p->portion->marking.classification == (n == 1 ? markings::Level::U : markings::Level::S));
    }
    CHECK(mk.portion_marked);
    CHECK_FALSE(mk.lined_through_original);
  }

  SECTION("document markings") {
    REQUIRE(mk.banner.has_value());
    CHECK(mk.banner->classification == markings::Level::S);
    CHECK(mk.captions == std::vector<std::string>{"NODIS"});
    CHECK(mk.tags == std::vector<std::string>{"PREL", "RS"});
    CHECK(mk.authority.order == "12958");
    CHECK(mk.authority.reasons == std::vector<std::string>{"1.5(b)", "1.5(d)"});
    REQUIRE(mk.authority.declassify_on_date.has_value());
    CHECK(mk.authority.declassify_on_date->iso() == "2008-12-18");
    CHECK(mk.authority.classified_by.find("TALBOTT") != std::string::npos);
    CHECK(mk.identifiers.case_number == "F-2017-13804");
    CHECK(mk.identifiers.doc_number == "C06551526");
    CHECK(mk.identifiers.message_ref == "STATE 244337");
    CHECK(mk.identifiers.dtg == "291916Z DEC 99");
    REQUIRE(mk.release.has_value());
    CHECK(mk.release->status == "RELEASE IN FULL");
    CHECK(mk.release->exemptions.empty());
    CHECK(mk.review_authority == "Marvin Russell, Senior Reviewer");
    REQUIRE(mk.document_date.has_value());
    CHECK(mk.document_date->iso() == "1999-12-29");
    CHECK(mk.subject ==
          "MEMORANDUM OF CONVERSATION -- MEETING BETWEEN THE DEPUTY SECRETARY AND RUSSIAN PRIME MINISTER PUTIN, "
          "MOSCOW, 22 DECEMBER 1999");
    CHECK(d.pages == 10);
  }

  SECTION("paragraph 3 joined across the REVIEW AUTHORITY stamp") {
    const Paragraph* p3 = numbered(d, "3");
    REQUIRE(p3);
    CHECK(p3->text.rfind("3. (S) WITH MEDIA PRESENT AND CAMERAS ROLLING, PM PUTIN WELCOMED DEPUTY SECRETARY TALBOTT BY", 0) == 0);
    CHECK(p3->text.find("REVIEW AUTHORITY") == std::string::npos);
    CHECK(p3->text.find("Marvin") == std::string::npos);
    CHECK(p3->text.find("PUTIN OBSERVED DRYLY THAT HE REMEMBERED THE INCIDENT WELL.") != std::string::npos);
    CHECK(p3->segments.size() == 2);
  }

  SECTION("paragraph 5 continues across SECRET / PAGE 04") {
    const Paragraph* p5 = numbered(d, "5");
    REQUIRE(p5);
    CHECK(p5->text.find("STRENGTH OF U.S.-RUSSIA RELATIONS (COMMENT: THE CLEAR BUT UNSPOKEN") != std::string::npos);
    CHECK(p5->text.find("PAGE 04") == std::string::npos);
    CHECK(p5->text.find("SECRET ") == std::string::npos);
    CHECK(p5->text.find("THESE MEETINGS HAD NOT BEEN WITHOUT VALUE.") != std::string::npos);
    CHECK(p5->pages == std::vector<int>{3, 4});
  }

  SECTION("paragraph 1 is also the authority block") {
    const Paragraph* p1 = numbered(d, "1");
    REQUIRE(p1);
    CHECK(p1->zone == Zone::authority);
    CHECK(p1->text == "1. (U) CLASSIFIED BY D ACTING SECRETARY STROBE TALBOTT. REASON: 1.5 (B) AND (D).");
  }

  SECTION("headings and signature are separate unnumbered paragraphs") {
    std::vector<std::string> headings;
    for (const auto& p : d.paragraphs)
      if (p.heading) headings.push_back(p.text);
    CHECK(headings == std::vector<std::string>{"SUMMARY", "RUSSIAN ELECTIONS / U.S.-RUSSIA PRIORITIES", "CHECHNYA",
                                               "CHECHNYA AND GEORGIA", "ARMS CONTROL / NONPROLIFERATION", "TALBOTT"});
    const Paragraph* p17 = numbered(d, "17");
    REQUIRE(p17);
    CHECK(p17->text.find("TALBOTT\n") == std::string::npos);
    const std::string tail = "\"WHOM I HOPE TO MEET AND WORK WITH.\"";
    REQUIRE(p17->text.size() > tail.size());
    CHECK(p17->text.compare(p17->text.size() - tail.size(), tail.size(), tail) == 0);
  }

  SECTION("subject paragraph") {
    REQUIRE(!d.paragraphs.empty());
    const Paragraph& s = d.paragraphs.front();
    CHECK(s.zone == Zone::eo_tags_subject);
    CHECK(s.text.rfind("SUBJECT: MEMORANDUM OF CONVERSATION -- MEETING BETWEEN THE DEPUTY", 0) == 0);
  }

  SECTION("zones of known lines") {
    auto zone_of = [&](std::string_view needle) {
      for (const auto& l : d.lines)
        if (d.line_text(l) == needle) return l.zone;
      return Zone::blank;
    };
    CHECK(zone_of("Citation:") == Zone::cover);
    CHECK(zone_of("SECRET PTO1637") == Zone::page_banner);
    CHECK(zone_of("RELEASE IN FULL") == Zone::release_stamp);
    CHECK(zone_of("PAGE 02 STATE 244337 291915Z") == Zone::page_header);
    CHECK(zone_of("ORIGIN NODS-00") == Zone::cable_header);
    CHECK(zone_of("-----20D08A 291917Z /38") == Zone::cable_header);
    CHECK(zone_of("R 291916Z DEC 99 ZFF4") == Zone::cable_header);
    CHECK(zone_of("AMEMBASSY TBILISI") == Zone::cable_header);
    CHECK(zone_of("S E C R E T STATE 244337") == Zone::cable_header);
    CHECK(zone_of("NODIS") == Zone::caption);
    CHECK(zone_of("E.O. 12958: DECL: 12/18/08") == Zone::eo_tags_subject);
    CHECK(zone_of("22 DECEMBER 1999") == Zone::eo_tags_subject);
    CHECK(zone_of("REASON: 1.5 (B) AND (D).") == Zone::authority);
    CHECK(zone_of("REVIEW AUTHORITY: Marvin") == Zone::release_stamp);
    CHECK(zone_of("Russell, Senior Reviewer") == Zone::release_stamp);
    CHECK(zone_of("<< END OF DOCUMENT >>") == Zone::editorial);
    // the banner just above a PAGE header belongs to the new page
    for (const auto& l : d.lines)
      if (d.line_text(l) == "PAGE 02 STATE 244337 291915Z") {
        const Line* above = d.line_at(l.number - 2);
        REQUIRE(above);
        CHECK(d.line_text(*above) == "SECRET");
        CHECK(above->page == 2);
      }
  }

  SECTION("offset maps") { check_offsets(d); }
}

TEST_CASE("source_offset and source_ranges", "[ingest]") {
  Document d = parse_text("1. (S) ALPHA BETA\nGAMMA DELTA\n\nSECRET\n\nEPSILON.\n", "mem");
  REQUIRE(d.paragraphs.size() == 1);
  const Paragraph& p = d.paragraphs[0];
  CHECK(p.text == "1. (S) ALPHA BETA GAMMA DELTA EPSILON.");
  REQUIRE(p.segments.size() == 3);
  std::size_t join = p.text.find(" GAMMA");
  CHECK_FALSE(p.source_offset(join).has_value());
  CHECK(*p.source_offset(join + 1) == d.text.find("GAMMA"));
  CHECK_FALSE(p.source_offset(p.text.size()).has_value());
  auto ranges = p.source_ranges(p.text.find("BETA"), p.text.find("DELTA") + 5);
  REQUIRE(ranges.size() == 2);
  CHECK(d.text.substr(ranges[0].first, ranges[0].second - ranges[0].first) == "BETA");
  CHECK(d.text.substr(ranges[1].first, ranges[1].second - ranges[1].first) == "GAMMA DELTA");
  CHECK(p.source_ranges(5, 5).empty());
  CHECK(p.source_ranges(10, 1000).back().second == d.text.find("EPSILON.") + 8);
  check_offsets(d);
}

TEST_CASE("line terminators and form feeds", "[ingest]") {
  SECTION("CRLF") {
    Document d = parse_text("ALPHA\r\nBETA\r\n", "crlf");
    REQUIRE(d.lines.size() == 2);
    CHECK(d.line_text(d.lines[0]) == "ALPHA");
    CHECK(d.line_text(d.lines[1]) == "BETA");
    CHECK(d.lines[1].offset == 7);
  }
  SECTION("CR only") {
    Document d = parse_text("ALPHA\rBETA", "cr");
    REQUIRE(d.lines.size() == 2);
    CHECK(d.line_text(d.lines[1]) == "BETA");
  }
  SECTION("form feed starts a page; a trailing one adds none") {
    Document d = parse_text("Page one text here.\n\fPage two text here.\nMore.\fPage three.\n\f", "ff");
    REQUIRE(d.lines.size() == 4);
    CHECK(d.lines[0].page == 1);
    CHECK(d.lines[1].page == 2);
    CHECK(d.line_text(d.lines[1]) == "Page two text here.");
    CHECK(d.lines[2].page == 2);
    CHECK(d.line_text(d.lines[3]) == "Page three.");
    CHECK(d.lines[3].page == 3);
    CHECK(d.pages == 3);
  }
  SECTION("[Page N] markers and PAGE nn headers do not double count") {
    Document d = parse_text("[Page 1]\nPAGE 01 STATE 123456 121212Z\nTEXT ONE.\n[Page 2]\nPAGE 02 STATE 123456 121212Z\nTEXT TWO.\n", "pm");
    CHECK(d.pages == 2);
    CHECK(d.lines[5].page == 2);
  }
}

TEST_CASE("decoding and input errors", "[ingest]") {
  CHECK_THROWS_AS(parse_text("", "empty.txt"), Error);
  CHECK_THROWS_AS(parse_text(" \n\t\n", "blank.txt"), Error);
  try {
    parse_text(std::string("ab\0cd", 5), "bin.dat");
    FAIL("binary input accepted");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::input);
    CHECK(e.where() == "bin.dat");
    CHECK(e.message().find("binary") != std::string::npos);
  }
  CHECK_THROWS_AS(read_text_file(std::string(DECLASS_TEST_DATA) + "/ingest/does-not-exist.txt"), Error);
  CHECK_THROWS_AS(read_text_file(std::string(DECLASS_TEST_DATA)), Error);
  Document l1 = parse_text("CAF\xC9 SECRET TEXT.\n", "latin1");
  CHECK(l1.encoding == "latin-1");
  CHECK(l1.text.substr(0, 5) == "CAF\xC3\x89");
  check_offsets(l1);
}

TEST_CASE("cancelled portion-mark residue is neither text mark nor lost paragraph", "[ingest]") {
  Document d = parse_text(
      "1. (U) CLASSIFIED BY JOHN DOE. REASON 1.5(D).\n"
      "2. .1.e/ THIS CABLE CONTAINS A MEMORANDUM.\n"
      "4. 4at OYMEN SAID HE ALSO WISHED TO DISCUSS ARMENIA.\n"
      "5. (5.)- ROMANIAN FOREIGN MINISTER CALLED.\n"
      "6. (C) PLAIN MARKED PARAGRAPH.\n"
      "7. (NOTE: THIS IS TEXT.)\n"
      "8. GIDARK/56 (D/56) COLLECTED REF INFORMATION.\n",
      "residue");
  CHECK(d.markings.lined_through_original);
  for (std::string n : {"2", "4", "5"}) {
    const Paragraph* p = numbered(d, n);
    REQUIRE(p);
    CHECK(p->cancelled_mark.has_value());
    CHECK_FALSE(p->portion.has_value());
  }
  const Paragraph* p6 = numbered(d, "6");
  REQUIRE(p6);
  CHECK_FALSE(p6->cancelled_mark.has_value());
  REQUIRE(p6->portion.has_value());
  CHECK(p6->portion->marking.classification == markings::Level::C);
  for (std::string n : {"6", "7", "8"}) {
    const Paragraph* p = numbered(d, n);
    REQUIRE(p);
    CHECK_FALSE(p->cancelled_mark.has_value());
  }
  const Paragraph* p2 = numbered(d, "2");
  CHECK(p2->text.substr(p2->cancelled_mark->first, p2->cancelled_mark->second - p2->cancelled_mark->first) == ".1.e/");
}

TEST_CASE("layout e-mail: margin cells are split off body lines", "[ingest]") {
  std::string in =
      "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05795187 Date: 11/30/2015\n\n"
      "                                                        RELEASE IN PART\n"
      "                                                        B6, B7(C)\n\n"
      "From:                        H\n"
      "Subject:                     Salon\n\n"
      "Neither   nor          knew anything about it. Thx.                 B6\n"
      "                                                                    B7(C)\n";
  Document d = parse_text(in, "mail");
  REQUIRE(d.markings.release.has_value());
  CHECK(d.markings.release->status == "RELEASE IN PART");
  CHECK(d.markings.release->exemptions == std::vector<std::string>{"(b)(6)", "(b)(7)(C)"});
  CHECK(d.markings.identifiers.doc_number == "C05795187");
  REQUIRE(d.markings.release_date.has_value());
  CHECK(d.markings.release_date->iso() == "2015-11-30");
  REQUIRE(d.paragraphs.size() == 1);
  CHECK(d.paragraphs[0].text == "Neither   nor          knew anything about it. Thx.");
  CHECK(d.paragraphs[0].margin_codes == std::vector<std::string>{"(b)(6)", "(b)(7)(C)"});
  const Line& body = d.lines[static_cast<std::size_t>(d.paragraphs[0].first_line - 1)];
  CHECK(body.margin_length == 2);
  CHECK(body.margin_zone == Zone::release_stamp);
  check_offsets(d);
}

TEST_CASE("offset property on every corpus record", "[ingest][corpus]") {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& e : fs::directory_iterator(std::string(DECLASS_TEST_DATA) + "/corpus")) {
    if (e.path().extension() != ".txt") continue;
    INFO(e.path().string());
    Document d = read_text_file(e.path().string());
    check_offsets(d);
    CHECK(d.pages >= 1);
    for (const auto& l : d.lines) {
      REQUIRE(l.offset + l.length <= d.text.size());
      if (l.margin_length) REQUIRE(l.margin_offset + l.margin_length <= l.offset + l.length);
    }
    ++files;
  }
  CHECK(files >= 16);
}

TEST_CASE("CRLF + form-feed copy of a cable parses like the LF original", "[ingest]") {
  const std::string dir = std::string(DECLASS_TEST_DATA) + "/ingest/";
  Document a = read_text_file(dir + "cable_lf.txt");
  Document b = read_text_file(dir + "cable_crlf_ff.txt");
  REQUIRE(a.lines.size() == b.lines.size());
  for (std::size_t i = 0; i < a.lines.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(a.line_text(a.lines[i]) == b.line_text(b.lines[i]));
    CHECK(a.lines[i].zone == b.lines[i].zone);
    CHECK(a.lines[i].page == b.lines[i].page);
  }
  CHECK(a.pages == 5);
  CHECK(b.pages == 5);
  REQUIRE(a.paragraphs.size() == b.paragraphs.size());
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) CHECK(a.paragraphs[i].text == b.paragraphs[i].text);
  check_offsets(b);
}

TEST_CASE("body text ends a cable header: short continuation lines stay in their paragraph", "[ingest][header_mode]") {
  // a header field line ("FM SECSTATE WASHDC") before body text used to keep the zoner in header mode, so a
  // paragraph's short last line ("RASMUSSEN, TEL ...", <= 4 words) read as a header field and was split off
  // its paragraph, within a page and across a page break alike (bench-redact leak "POC IS JOHN")
  const std::string t =
      "SECRET\n\nPAGE 01        STATE 666116   221740Z\n\nFM SECSTATE WASHDC\n\n"
      "THE MINISTER SAID POWER WAS BEING RESTORED. POC IS SUSAN\nMADSEN, TEL (270) 266-1131.\n\n"
      "THESE DESIRES: GAS AND POWER WERE BEING RESTORED AND POC IS JOHN\n\n\nSECRET\n\f"
      "SECRET\n\nPAGE 02        STATE 666116   221740Z\n\nRASMUSSEN, TEL (220) 433-3626.\n\nCHECHNYA\n\nSECRET\n";
  Document d = parse_text(t, "mem");
  auto has = [&](const std::string& s) {
    for (const auto& p : d.paragraphs)
      if (p.text == s) return true;
    return false;
  };
  CHECK(has("THE MINISTER SAID POWER WAS BEING RESTORED. POC IS SUSAN MADSEN, TEL (270) 266-1131."));
  CHECK(has("THESE DESIRES: GAS AND POWER WERE BEING RESTORED AND POC IS JOHN RASMUSSEN, TEL (220) 433-3626."));
  for (const auto& l : d.lines)
    if (d.line_text(l) == "FM SECSTATE WASHDC") CHECK(l.zone == Zone::cable_header);
}
