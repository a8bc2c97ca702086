// Unit tests of the storeless redaction library (app/redact.hpp): exemption codes, --box/--term/--regex
// parsing, rules files in the bench format, and the matcher on paragraph text (line breaks, hyphenated
// line ends) mapped back to Document::text ranges. Expected offsets are counted by hand in the comments.
#include <catch2/catch.hpp>

#include "app/redact.hpp"
#include "core/error.hpp"
#include "ingest/text_reader.hpp"

using namespace declass;
using namespace declass::app;
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

TEST_CASE("exemption codes in every accepted spelling", "[redact]") {
  CHECK(parse_exemption_codes("B6", "t") == std::vector<std::string>{"(b)(6)"});
  CHECK(parse_exemption_codes("(b)(6)", "t") == std::vector<std::string>{"(b)(6)"});
  CHECK(parse_exemption_codes("B1,1.4(D)", "t") == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(parse_exemption_codes("B1 1.4(D)", "t") == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(parse_exemption_codes("B1, 1.4(D)", "t") == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(label_for_codes({"(b)(1)", "1.4(d)", "(b)(1)"}) == "B1 1.4(D)");
  CHECK(label_for_codes({"(b)(7)(C)"}) == "B7(C)");
  CHECK_THROWS_AS(parse_exemption_codes("XYZ", "t"), Error);
  CHECK_THROWS_AS(parse_exemption_codes("", "t"), Error);
}

TEST_CASE("--box PAGE:x0,y0,x1,y1:CODES", "[redact]") {
  BoxSpec b = parse_box_spec("2:72,500.5,300,520:B6", 1);
  CHECK(b.page == 2);
  CHECK(b.box.x0 == 72);
  CHECK(b.box.y0 == 500.5);
  CHECK(b.box.x1 == 300);
  CHECK(b.box.y1 == 520);
  CHECK(b.codes == std::vector<std::string>{"(b)(6)"});
  for (const char* bad : {"1:10,20,30:B6", "0:1,2,3,4:B6", "1:30,20,10,40:B6", "1:1,2,3,4", "x:1,2,3,4:B6", "1:1,2,3,4,5:B6",
                          "1:1,2,a,4:B6", "1:1,2,3,4:"}) {
    INFO(bad);
    try {
      parse_box_spec(bad, 3);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.category() == ErrorCategory::usage);
      CHECK(e.where() == "--box #3");
    }
  }
}

TEST_CASE("--term and --regex split at the last colon", "[redact]") {
  PatternSpec t = parse_term_spec("A:B:C:B6", 2);
  CHECK(t.literal);
  CHECK(t.pattern == "A:B:C");
  CHECK(t.origin == "term #2");
  CHECK(t.label == "B6");
  PatternSpec r = parse_regex_spec("(?:x)[0-9]+:B1,1.4(D)", 1);
  CHECK_FALSE(r.literal);
  CHECK(r.pattern == "(?:x)[0-9]+");
  CHECK(r.label == "B1 1.4(D)");
  CHECK_THROWS_AS(parse_term_spec("NOCODES", 1), Error);
  CHECK_THROWS_AS(parse_term_spec(":B6", 1), Error);
  CHECK_THROWS_AS(PatternMatcher({parse_regex_spec("([0-9]:B6", 1)}, false), Error);
}

TEST_CASE("rules file in the bench format", "[redact]") {
  auto rules = parse_rules_tsv("# label\tkind\tpattern\n\nB6\tlit\tFOO BAR\nB1 1.4(D)\tre\tBAZ[0-9]+\r\n", "dir/r.tsv");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].literal);
  CHECK(rules[0].pattern == "FOO BAR");
  CHECK(rules[0].origin == "r.tsv line 3");
  CHECK_FALSE(rules[1].literal);
  CHECK(rules[1].pattern == "BAZ[0-9]+");
  CHECK(rules[1].label == "B1 1.4(D)");
  CHECK(rules[1].origin == "r.tsv line 4");
  try {
    parse_rules_tsv("B6\tliteral\tX\n", "r.tsv");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::input);
    CHECK(e.where() == "r.tsv:1");
  }
  CHECK_THROWS_AS(parse_rules_tsv("B6 lit X\n", "r.tsv"), Error);
}

// Offsets: "1. THE RUSSIAN " = 15 bytes, so "MILITARY-" is [15,24), '\n' 24, "INDUSTRIAL COMPLEX" [25,43);
// line 2 "INDUSTRIAL COMPLEX IS BIG. CALL" is [25,56), '\n' 56; line 3 starts at 57: "(202) 647-5291" [57,71),
// " NOW. MR. " [71,81), "CHIKVISH-" [81,90), '\n' 90; line 4 starts at 91: "VILI" [91,95).
static const char* k_text =
    "1. THE RUSSIAN MILITARY-\n"
    "INDUSTRIAL COMPLEX IS BIG. CALL\n"
    "(202) 647-5291 NOW. MR. CHIKVISH-\n"
    "VILI AGREED.\n";

TEST_CASE("matches on paragraph text map back to every line fragment", "[redact]") {
  ingest::Document doc = ingest::parse_text(k_text, "t.txt");
  REQUIRE(doc.text.substr(15, 9) == "MILITARY-");
  REQUIRE(doc.text.substr(81, 9) == "CHIKVISH-");
  std::vector<PatternSpec> pats = {parse_term_spec("MILITARY-INDUSTRIAL COMPLEX:B1,1.4(D)", 1),
                                   parse_term_spec("chikvishvili:B6", 2),
                                   parse_regex_spec("\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}:B6", 1),
                                   parse_term_spec("BIG. CALL (202):B6", 3)};
  PatternMatcher m(pats, false);
  auto found = m.find(doc);
  auto ranges_of = [&](std::size_t pattern) {
    std::vector<Ranges> out;
    for (const auto& t : found)
      if (t.pattern == pattern) out.push_back(t.ranges);
    return out;
  };
  CHECK(ranges_of(0) == std::vector<Ranges>{{{15, 24}, {25, 43}}});   // across the hyphenated line end
  CHECK(ranges_of(1) == std::vector<Ranges>{{{81, 90}, {91, 95}}});   // a word split by a hyphen, case-insensitive
  CHECK(ranges_of(2) == std::vector<Ranges>{{{57, 71}}});             // found on the paragraph and the line: once
  CHECK(ranges_of(3) == std::vector<Ranges>{{{47, 56}, {57, 62}}});   // a plain line break: "BIG. CALL" [47,56)

  PatternMatcher cs({parse_term_spec("chikvishvili:B6", 1)}, true);
  CHECK(cs.find(doc).empty());

  // verification terms: the line fragments, trimmed, when they do not also occur in the kept text
  std::vector<std::string> terms = pdf_withheld_terms(doc, {{81, 90}, {91, 95}}, "");
  CHECK(terms == std::vector<std::string>{"CHIKVISH-", "VILI"});
  terms = pdf_withheld_terms(doc, {{81, 90}, {91, 95}}, "STAMP: VILI\n");
  CHECK(terms == std::vector<std::string>{"CHIKVISH-"});
}

// A stamp line is in no paragraph; a match running from it onto the next (body) line is still found,
// one range per line (the bench generator's wrapping of the seed cable's stamp paragraph).
TEST_CASE("a match across a line that no paragraph holds maps to both lines", "[redact]") {
  const std::string text =
      "UNCLASSIFIED\n"
      "\n"
      "REVIEW AUTHORITY: Marvin Russell, Senior Reviewer POC IS MARY\n"
      "SMITH, TEL (202) 647-5291.\n";
  ingest::Document doc = ingest::parse_text(text, "t.txt");
  std::size_t stamp = text.find("REVIEW"), smith = text.find("SMITH");
  const ingest::Line* stamp_line = nullptr;
  for (const auto& l : doc.lines)
    if (l.offset == stamp) stamp_line = &l;
  REQUIRE(stamp_line);
  REQUIRE(stamp_line->zone != ingest::Zone::body);
  PatternMatcher m({parse_regex_spec("\\bPOC IS [A-Z]+ [A-Z]+:B6", 1)}, false);
  auto found = m.find(doc);
  REQUIRE(found.size() == 1);
  std::size_t poc = text.find("POC IS");
  CHECK(found[0].ranges == Ranges{{poc, smith - 1}, {smith, smith + 5}});
}

// Across blank lines only at a seam with page furniture: a name cut off by the footer is matched with
// the footer (the safe side), while two paragraphs separated by a blank line are never joined.
TEST_CASE("a match may cross blank lines into page furniture, never into the next paragraph", "[redact]") {
  const std::string text =
      "SECRET\n"
      "\n"
      "1. THE MEETING ENDED. POC IS ROBERT\n"
      "\n"
      "2. JONES WAS NOT PRESENT AT THE MEETING. POC IS SUSAN\n"
      "\n"
      "\n"
      "SECRET\n";
  ingest::Document doc = ingest::parse_text(text, "t.txt");
  REQUIRE(doc.paragraphs.size() >= 2);
  // "ROBERT 2" would only be found by joining paragraph 1 to paragraph 2 across the blank line
  PatternMatcher m({parse_regex_spec("\\bPOC IS [A-Z]+ [A-Z]+:B6", 1), parse_term_spec("ROBERT 2:B6", 2)}, false);
  auto found = m.find(doc);
  REQUIRE(found.size() == 1);  // "POC IS SUSAN" + footer only
  std::size_t susan = text.find("POC IS SUSAN"), footer = text.rfind("SECRET");
  CHECK(found[0].ranges == Ranges{{susan, susan + 12}, {footer, footer + 6}});
}
