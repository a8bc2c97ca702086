// Unit tests for markings::validate(): one positive and one negative case per finding code
// (banner roll-up, unmarked paragraphs, portion conflicts, authority regime checks, release stamp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "markings/grammar.hpp"
#include "markings/validate.hpp"

using namespace declass;
using namespace declass::markings;

namespace {

Marking P(const char* token) {
  auto m = parse_portion_token(token);
  REQUIRE(m);
  return *m;
}

Marking B(const char* line) {
  auto m = parse_banner_line(line);
  REQUIRE(m);
  return *m;
}

ParagraphMarks para(int index, std::optional<Marking> m, std::vector<std::string> codes = {}, bool body = true) {
  ParagraphMarks p;
  p.index = index;
  p.line = 10 * index;
  p.portion = std::move(m);
  p.exemptions = std::move(codes);
  p.is_body = body;
  return p;
}

const Date kReview{2026, 1, 15};

// Copies (not pointers): callers pass the temporary result of validate().
std::vector<Finding> with_code(const std::vector<Finding>& f, const std::string& code) {
  std::vector<Finding> out;
  for (const auto& x : f)
    if (x.code == code) out.push_back(x);
  return out;
}

}  // namespace

TEST_CASE("banner below the highest portion", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("CONFIDENTIAL");
  d.banner_line = 3;
  std::vector<ParagraphMarks> ps = {para(1, P("(S)")), para(2, P("(C)"))};
  auto f = with_code(validate(d, ps, kReview), "banner.below-portion");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "error");
  CHECK(f[0].line == 3);

  SECTION("historical originals downgrade it to a warning") {
    d.document_date = Date{1999, 12, 29};
    auto g = with_code(validate(d, ps, kReview), "banner.below-portion");
    REQUIRE(g.size() == 1);
    CHECK(g[0].severity == "warning");
    d.document_date.reset();
    d.lined_through_original = true;
    auto h = with_code(validate(d, ps, kReview), "banner.below-portion");
    REQUIRE(h.size() == 1);
    CHECK(h[0].severity == "warning");
  }
  SECTION("banner at the highest level is fine") {
    d.banner = B("SECRET");
    auto all = validate(d, ps, kReview);
    CHECK(with_code(all, "banner.below-portion").empty());
    CHECK(with_code(all, "banner.above-portion").empty());
  }
  SECTION("over-bannered document is a warning") {
    d.banner = B("S E C R E T");
    std::vector<ParagraphMarks> low = {para(1, P("(C)")), para(2, P("(U)"))};
    auto g = with_code(validate(d, low, kReview), "banner.above-portion");
    REQUIRE(g.size() == 1);
    CHECK(g[0].severity == "warning");
  }
}

TEST_CASE("banner missing a control the portions require", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET");
  std::vector<ParagraphMarks> ps = {para(1, P("(S//NF)")), para(2, P("(C)"))};
  auto f = with_code(validate(d, ps, kReview), "banner.missing-control");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "error");
  CHECK(f[0].message.find("NOFORN") != std::string::npos);

  d.banner = B("SECRET//NOFORN");
  CHECK(with_code(validate(d, ps, kReview), "banner.missing-control").empty());

  SECTION("a NODIS caption satisfies a NODIS portion") {
    d.banner = B("SECRET");
    std::vector<ParagraphMarks> nd = {para(1, P("(S//ND)"))};
    CHECK(with_code(validate(d, nd, kReview), "banner.missing-control").size() == 1);
    d.captions = {"NODIS"};
    CHECK(with_code(validate(d, nd, kReview), "banner.missing-control").empty());
  }
  SECTION("a NODIS caption supersedes EXDIS portions") {
    d.banner = B("SECRET");
    std::vector<ParagraphMarks> xd = {para(1, P("(S//XD)"))};
    CHECK(with_code(validate(d, xd, kReview), "banner.missing-control").size() == 1);
    d.captions = {"NODIS"};
    CHECK(with_code(validate(d, xd, kReview), "banner.missing-control").empty());
  }
  SECTION("REL TO and SBU do not have to be in the banner") {
    d.banner = B("SECRET");
    std::vector<ParagraphMarks> rel = {para(1, P("(S//REL TO USA, GBR)")), para(2, P("(SBU)"))};
    CHECK(with_code(validate(d, rel, kReview), "banner.missing-control").empty());
  }
}

TEST_CASE("missing banner on a portion-marked document", "[markings][validate]") {
  DocumentMarkings d;
  std::vector<ParagraphMarks> ps = {para(1, P("(C)"))};
  CHECK(with_code(validate(d, ps, kReview), "banner.missing").size() == 1);
  d.banner = B("CONFIDENTIAL");
  CHECK(with_code(validate(d, ps, kReview), "banner.missing").empty());
}

TEST_CASE("unmarked body paragraphs in a portion-marked document", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET");
  std::vector<ParagraphMarks> ps = {para(1, P("(S)")), para(2, std::nullopt), para(3, std::nullopt, {}, false),
                                    para(4, std::nullopt)};
  auto f = with_code(validate(d, ps, kReview), "portion.unmarked");
  REQUIRE(f.size() == 2);
  CHECK(f[0].paragraph == 2);
  CHECK(f[0].line == 20);
  CHECK(f[0].severity == "warning");
  CHECK(f[1].paragraph == 4);

  SECTION("no portion marks at all: nothing to report") {
    std::vector<ParagraphMarks> none = {para(1, std::nullopt), para(2, std::nullopt)};
    CHECK(with_code(validate(d, none, kReview), "portion.unmarked").empty());
  }
  SECTION("an ENTIRE TEXT shortcut covers every paragraph") {
    auto h = find_portion_mark("1. SECRET - ENTIRE TEXT.");
    REQUIRE(h);
    std::vector<ParagraphMarks> et = {para(1, h->marking), para(2, std::nullopt)};
    CHECK(with_code(validate(d, et, kReview), "portion.unmarked").empty());
  }
}

TEST_CASE("control conflicts inside a portion", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET//NOFORN");
  auto f = with_code(validate(d, {para(1, P("(S//FOUO)"))}, kReview), "portion.fouo-on-classified");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "error");
  CHECK(f[0].paragraph == 1);
  d.banner = B("UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  CHECK(with_code(validate(d, {para(1, P("(U//FOUO)"))}, kReview), "portion.fouo-on-classified").empty());

  d.banner = B("SECRET//NOFORN");
  CHECK(with_code(validate(d, {para(1, P("(S//REL TO USA, GBR/NF)"))}, kReview), "portion.control-conflict").size() == 1);
  CHECK(with_code(validate(d, {para(1, P("(S//NF)"))}, kReview), "portion.control-conflict").empty());
  d.banner = B("UNCLASSIFIED");
  CHECK(with_code(validate(d, {para(1, P("(U//OC)"))}, kReview), "portion.control-conflict").size() == 1);
}

TEST_CASE("FOUO in a classified banner", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET//FOUO");
  CHECK(with_code(validate(d, {}, kReview), "banner.fouo-on-classified").size() == 1);
  d.banner = B("UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  CHECK(with_code(validate(d, {}, kReview), "banner.fouo-on-classified").empty());
}

TEST_CASE("declassify-on date already passed", "[markings][validate]") {
  DocumentMarkings d;
  parse_authority_text("E.O. 12958: DECL: 12/18/08", d.authority);
  d.authority.line = 40;
  auto f = with_code(validate(d, {}, kReview), "authority.declassify-date-passed");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "warning");
  CHECK(f[0].line == 40);
  CHECK(f[0].message.find("2008-12-18") != std::string::npos);

  DocumentMarkings later;
  parse_authority_text("Declassify On: 20411231", later.authority);
  CHECK(with_code(validate(later, {}, kReview), "authority.declassify-date-passed").empty());
}

TEST_CASE("reason codes against the cited order", "[markings][validate]") {
  auto run = [](const char* text, std::optional<Date> doc_date = std::nullopt) {
    DocumentMarkings d;
    d.document_date = doc_date;
    parse_authority_text(text, d.authority);
    return validate(d, {}, kReview);
  };
  // 1.5 letters belong to the 1995 order, not to E.O. 13526.
  auto a = with_code(run("E.O. 13526 Classified By: John Doe, Director. Reason: 1.5(d)"), "authority.reason-order");
  REQUIRE(a.size() == 1);
  CHECK(a[0].severity == "error");
  CHECK(with_code(run("E.O. 13526 Reason: 1.4(d)"), "authority.reason-order").empty());
  // 1.4 letters under E.O. 12958 are the 2003 amendment: accepted.
  CHECK(with_code(run("E.O. 12958 DECL: 10/29/2018 Classified By: Amb. X for reasons 1.4 (b) and (d)"),
                  "authority.reason-order").empty());
  CHECK(with_code(run("E.O. 12958: DECL: 12/18/08 REASON: 1.5 (B) AND (D)"), "authority.reason-order").empty());
  // 1.4(h) did not exist before E.O. 13292 (March 2003).
  CHECK(with_code(run("E.O. 12958 Reason: 1.4(h)", Date{1999, 6, 1}), "authority.reason-before-amendment").size() == 1);
  CHECK(with_code(run("E.O. 12958 Reason: 1.4(h)", Date{2005, 6, 1}), "authority.reason-before-amendment").empty());

  // X1-X8 only under E.O. 12958.
  CHECK(with_code(run("E.O. 13526: DECL: X1"), "authority.x-code-order").size() == 1);
  CHECK(with_code(run("E.O. 12356 REASON 1.5(D), 1.6(X5) and (X6)"), "authority.x-code-order").size() == 1);
  CHECK(with_code(run("E.O. 12958: DECL: X1"), "authority.x-code-order").empty());
  CHECK(with_code(run("E.O. 12958 REASON: X5,X6"), "authority.x-code-order").empty());

  // OADR: E.O. 12356 only; tolerated (warning) under 12958; error under 13526.
  CHECK(with_code(run("E.O. 12356: DECL: OADR"), "authority.oadr-order").empty());
  auto o = with_code(run("E.O. 12958: DECL: OADR"), "authority.oadr-order");
  REQUIRE(o.size() == 1);
  CHECK(o[0].severity == "warning");
  auto o2 = with_code(run("E.O. 13526: DECL: OADR"), "authority.oadr-order");
  REQUIRE(o2.size() == 1);
  CHECK(o2[0].severity == "error");

  CHECK(with_code(run("E.O. 13526: DECL: MR"), "authority.mr-order").size() == 1);
  CHECK(with_code(run("E.O. 12958: DECL: MR"), "authority.mr-order").empty());
  CHECK(with_code(run("Declassify On: 50X1-HUM, 2060-01-01"), "authority.50x-with-date").size() == 1);
  CHECK(with_code(run("Declassify On: 50X1-HUM"), "authority.50x-with-date").empty());
}

TEST_CASE("release stamp against in-text codes", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET");
  d.release = parse_release_stamp("RELEASE IN PART B1,1.4(B),1.4(D)");
  REQUIRE(d.release);
  d.release->line = 2;

  SECTION("a margin code missing from the stamp is an error (stateFOIA C06697823)") {
    std::vector<ParagraphMarks> ps = {para(1, P("(S)"), {"(b)(1)", "1.4(b)"}), para(2, P("(S)"), {"1.4(e)", "1.4(d)"})};
    auto all = validate(d, ps, kReview);
    auto f = with_code(all, "release.code-not-in-stamp");
    REQUIRE(f.size() == 1);
    CHECK(f[0].paragraph == 2);
    CHECK(f[0].severity == "error");
    CHECK(f[0].message.find("1.4(E)") != std::string::npos);
    CHECK(with_code(all, "release.stamp-code-unused").empty());
    CHECK(with_code(all, "release.b1-without-category").empty());
    CHECK(with_code(all, "release.part-without-codes").empty());
  }
  SECTION("a stamp code never used in the text is a warning") {
    std::vector<ParagraphMarks> ps = {para(1, P("(S)"), {"(b)(1)", "1.4(d)"})};
    auto f = with_code(validate(d, ps, kReview), "release.stamp-code-unused");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == "warning");
    CHECK_THAT(f[0].message, Catch::Contains("1.4(B)"));
  }
  SECTION("RELEASE IN PART without codes") {
    d.release = parse_release_stamp("RELEASE IN PART");
    auto f = with_code(validate(d, {}, kReview), "release.part-without-codes");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == "error");
    d.release = parse_release_stamp("RELEASE IN FULL");
    CHECK(with_code(validate(d, {}, kReview), "release.part-without-codes").empty());
  }
  SECTION("B1 needs a classification category") {
    d.release = parse_release_stamp("RELEASE IN PART B1,B6");
    std::vector<ParagraphMarks> ps = {para(1, std::nullopt, {"(b)(1)", "(b)(6)"})};
    auto f = with_code(validate(d, ps, kReview), "release.b1-without-category");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == "error");
    d.release = parse_release_stamp("RELEASE IN PART 1.4(B),B1,25X6,1.4(D)");
    CHECK(with_code(validate(d, ps, kReview), "release.b1-without-category").empty());
  }
  SECTION("B3 statute tags match a bare in-text B3") {
    d.release = parse_release_stamp("RELEASE IN PART B3 INA");
    std::vector<ParagraphMarks> ps = {para(1, std::nullopt, {"(b)(3)"})};
    auto all = validate(d, ps, kReview);
    CHECK(with_code(all, "release.code-not-in-stamp").empty());
    CHECK(with_code(all, "release.stamp-code-unused").empty());
    CHECK(with_code(all, "release.b3-without-statute").empty());
    d.release = parse_release_stamp("RELEASE IN PART B3");
    CHECK(with_code(validate(d, ps, kReview), "release.b3-without-statute").size() == 1);
  }
  SECTION("RELEASE IN FULL with codes in the text") {
    d.release = parse_release_stamp("RELEASE IN FULL");
    std::vector<ParagraphMarks> ps = {para(1, P("(S)"), {"(b)(6)"})};
    auto all = validate(d, ps, kReview);
    CHECK(with_code(all, "release.full-with-codes").size() == 1);
    CHECK(with_code(all, "release.code-not-in-stamp").empty());
  }
}

TEST_CASE("a clean document produces no findings", "[markings][validate]") {
  DocumentMarkings d;
  d.banner = B("SECRET//NOFORN");
  parse_authority_text("Classified By: Amb. X for reasons 1.4 (b) and (d) Declassify On: 20411231", d.authority);
  d.authority.line = 12;
  std::vector<ParagraphMarks> ps = {para(1, P("(S//NF)")), para(2, P("(C)")), para(3, P("(U)"))};
  CHECK(validate(d, ps, kReview).empty());
}
