// Unit tests for markings API details the data files do not show: level ordering and names,
// Marking::canonical, hit offsets, low-confidence flags, exemption meanings, and the seed cable.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "markings/grammar.hpp"
#include "markings/validate.hpp"

using namespace declass;
using namespace declass::markings;

TEST_CASE("levels order and names", "[markings][levels]") {
  CHECK(rank(Level::U) < rank(Level::R));
  CHECK(rank(Level::R) < rank(Level::C));
  CHECK(rank(Level::C) < rank(Level::S));
  CHECK(rank(Level::S) < rank(Level::TS));
  CHECK(std::string(code(Level::TS)) == "TS");
  CHECK(std::string(banner_word(Level::C)) == "CONFIDENTIAL");
  CHECK(std::string(banner_word(Level::R)) == "RESTRICTED");
  CHECK(parse_level_code("ts") == Level::TS);
  CHECK(parse_level_code("S") == Level::S);
  CHECK(parse_level_code("R") == Level::R);
  CHECK(parse_level_code("UNCLAS") == Level::U);
  CHECK_FALSE(parse_level_code("X").has_value());
  CHECK_FALSE(parse_level_code("").has_value());
}

TEST_CASE("Marking::canonical orders categories", "[markings][levels]") {
  Marking m;
  m.classification = Level::TS;
  m.controls = {"NOFORN", "SI", "NODIS", "ORCON", "TK", "FGI"};
  CHECK(m.canonical() == "TOP SECRET//SI/TK//FGI//ORCON/NOFORN//NODIS");
  Marking empty;
  CHECK(empty.canonical().empty());
  Marking ctl;
  ctl.controls = {"SBU"};
  CHECK(ctl.canonical() == "SBU");
}

TEST_CASE("portion hit offsets point at the mark", "[markings][portion]") {
  std::string s = "2. (S) DEPUTY SECRETARY TALBOTT SAID";
  auto h = find_portion_mark(s);
  REQUIRE(h);
  CHECK(h->begin == 3);
  CHECK(h->end == 6);
  CHECK(h->position == PortionPosition::start);
  CHECK_FALSE(h->marking.low_confidence);
  CHECK(h->marking.text == "(S)");

  std::string e = "please call. (U)";
  auto he = find_portion_mark(e);
  REQUIRE(he);
  CHECK(he->begin == 13);
  CHECK(he->end == 16);
  CHECK(he->position == PortionPosition::end);

  auto lo = find_portion_mark("4. (5) THE MINISTER");
  REQUIRE(lo);
  CHECK(lo->marking.low_confidence);
  CHECK(lo->marking.classification == Level::S);
}

TEST_CASE("exemption hits carry offsets and meanings", "[markings][exemptions]") {
  std::string s = "WOULD. B1 BE AT 1.4(D) THE";
  auto hits = find_exemption_codes(s);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].code == "(b)(1)");
  CHECK(hits[0].begin == 7);
  CHECK(hits[0].end == 9);
  CHECK(hits[1].code == "1.4(d)");
  CHECK(s.substr(hits[1].begin, hits[1].end - hits[1].begin) == "1.4(D)");
  CHECK(exemption_meaning("(b)(6)").find("privacy") != std::string::npos);
  CHECK(exemption_meaning("1.4(d)").find("foreign relations") != std::string::npos);
  CHECK(exemption_meaning("1.5(b)").find("foreign government") != std::string::npos);
  CHECK(exemption_meaning("(b)(3) INA").find("INA") != std::string::npos);
  CHECK(exemption_meaning("25X6").find("25X6") != std::string::npos);
  CHECK(exemption_meaning("nonsense").empty());
  CHECK(exemption_meaning("1.5(h)").empty());
}

TEST_CASE("authority accumulates across calls", "[markings][authority]") {
  Authority a;
  parse_authority_text("E.O. 12958: DECL: 12/18/08", a);
  parse_authority_text("1. (U) CLASSIFIED BY D ACTING SECRETARY STROBE TALBOTT. REASON: 1.5 (B) AND (D).", a);
  parse_authority_text("REASON: 1.5 (D)", a);
  CHECK(a.order == "12958");
  CHECK(a.declassify_on == "2008-12-18");
  REQUIRE(a.declassify_on_date);
  CHECK(a.declassify_on_date->iso() == "2008-12-18");
  CHECK(a.classified_by == "D ACTING SECRETARY STROBE TALBOTT");
  CHECK(a.reasons == std::vector<std::string>{"1.5(b)", "1.5(d)"});
}

TEST_CASE("seed cable lines", "[markings][seed]") {
  std::ifstream in(std::string(DECLASS_SOURCE_DIR) + "/examples/state-1999-12-29-talbott-putin.txt", std::ios::binary);
  REQUIRE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto line_with = [&](const std::string& needle) {
    auto p = text.find(needle);
    REQUIRE(p != std::string::npos);
    auto b = text.rfind('\n', p);
    b = b == std::string::npos ? 0 : b + 1;
    auto e = text.find('\n', p);
    return text.substr(b, e == std::string::npos ? std::string::npos : e - b);
  };
  auto banner = parse_banner_line(line_with("SECRET PTO1637"));
  REQUIRE(banner);
  CHECK(banner->classification == Level::S);
  auto cl = parse_class_line(line_with("S E C R E T STATE 244337"));
  REQUIRE(cl);
  CHECK(cl->marking.classification == Level::S);
  CHECK(cl->number == "244337");
  CHECK(cl->marking.text.substr(0, cl->classification_length) == "S E C R E T");
  CHECK(parse_caption_line(line_with("NODIS NOT FOR ADS")) == std::vector<std::string>{"NODIS"});
  auto st = parse_release_stamp(line_with("RELEASE IN FULL"));
  REQUIRE(st);
  CHECK(st->status == "RELEASE IN FULL");
  CHECK(st->exemptions.empty());
  Authority a;
  parse_authority_text(line_with("E.O. 12958"), a);
  CHECK(a.order == "12958");
  CHECK(a.declassify_on == "2008-12-18");
  auto p1 = find_portion_mark(line_with("1. (U) CLASSIFIED BY"));
  REQUIRE(p1);
  CHECK(p1->marking.classification == Level::U);
  // No line of the seed cable is both a banner and a sentence.
  CHECK_FALSE(parse_banner_line(line_with("APPROVED BY: D:ACTING SECRETARY")));
}

TEST_CASE("hostile inputs do not crash", "[markings][robust]") {
  std::string big(100000, '(');
  std::string nested = "1. (" + std::string(5000, 'S') + ")";
  std::string invalid = "\xff\xfe(S)\xc3";
  for (const std::string& s : {big, nested, invalid, std::string("1.4(") , std::string("(b)("), std::string("25X"),
                               std::string("RELEASE IN PART B3 "), std::string(1, '\0')}) {
    (void)parse_banner_line(s);
    (void)parse_class_line(s);
    (void)parse_portion_token(s);
    (void)find_portion_mark(s);
    (void)parse_caption_line(s);
    Authority a;
    parse_authority_text(s, a);
    (void)parse_reason_codes(s);
    (void)parse_marking_date(s);
    (void)canonical_exemption(s);
    (void)find_exemption_codes(s);
    (void)parse_release_stamp(s);
    (void)parse_review_authority(s);
    (void)parse_foia_footer(s);
    (void)despace_letters(s);
  }
  SUCCEED();
}

TEST_CASE("seed cable: portion marks, roll-up and validation", "[markings][seed]") {
  std::ifstream in(std::string(DECLASS_SOURCE_DIR) + "/examples/state-1999-12-29-talbott-putin.txt", std::ios::binary);
  REQUIRE(in.good());
  // Hand-checked against the cable: paragraph 1 is (U), paragraphs 2-17 are (S); no other line
  // carries a portion mark.
  std::vector<Marking> portions;
  std::string line;
  int lines_with_marks = 0;
  while (std::getline(in, line)) {
    auto h = find_portion_mark(line);
    if (!h) continue;
    ++lines_with_marks;
    INFO(line);
    REQUIRE(h->position == PortionPosition::start);
    const bool first = line.rfind("1. ", 0) == 0;
    CHECK(h->marking.classification == (first ? Level::U : Level::S));
    portions.push_back(h->marking);
  }
  CHECK(lines_with_marks == 17);
  Marking need = roll_up(portions);
  CHECK(need.canonical() == "SECRET");

  DocumentMarkings d;
  d.banner = parse_banner_line("SECRET PTO1637");
  d.captions = parse_caption_line("NODIS");
  parse_authority_text("E.O. 12958: DECL: 12/18/08", d.authority);
  parse_authority_text("1. (U) CLASSIFIED BY D ACTING SECRETARY STROBE TALBOTT. REASON: 1.5 (B) AND (D).", d.authority);
  d.release = parse_release_stamp("RELEASE IN FULL");
  d.document_date = Date{1999, 12, 29};
  std::vector<ParagraphMarks> ps;
  for (std::size_t i = 0; i < portions.size(); ++i) {
    ParagraphMarks p;
    p.index = static_cast<int>(i) + 1;
    p.portion = portions[i];
    ps.push_back(p);
  }
  auto f = validate(d, ps, Date{2026, 1, 15});
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "authority.declassify-date-passed");
}

TEST_CASE("a class line tells how much of it spells the classification", "[markings]") {
  struct Case {
    const char* line;
    const char* classification;
  };
  for (const Case& c : {Case{"SECRET STATE 244337", "SECRET"}, Case{"S E C R E T STATE 244337", "S E C R E T"},
                        Case{"TOP SECRET STATE 123456", "TOP SECRET"}, Case{"CONFIDENTIAL SECTION 01 OF 03 STATE 123456", "CONFIDENTIAL"},
                        Case{"UNCLAS STATE 001234", "UNCLAS"}, Case{"SECRETSTATE 244337", "SECRET"}}) {
    auto cl = parse_class_line(c.line);
    REQUIRE(cl);
    CHECK(cl->marking.text.substr(0, cl->classification_length) == c.classification);
  }
}
