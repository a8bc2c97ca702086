// Engine behaviour not covered by the data-driven cases: explain verdicts and their reasons,
// template braces, overlapping spans merging, empty term lists, matcher one-pass results,
// date arithmetic of the 25-year rule, and the stamp ordering of exemption codes.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "rules/evaluate.hpp"
#include "rules/matcher.hpp"
#include "rules/policy.hpp"

using namespace declass;

namespace {
rules::Policy load(const std::string& text) {
  rules::LoadOptions o;
  o.allow_includes = false;
  auto r = rules::load_policy_text(text, "t.toml", o);
  for (const auto& e : r.errors) INFO(e.str());
  REQUIRE(r.ok());
  return std::move(*r.policy);
}
rules::DocumentFacts doc(std::vector<std::string> texts) {
  rules::DocumentFacts d;
  d.review_date = Date{2026, 11, 28};
  int i = 0;
  for (auto& t : texts) {
    rules::ParagraphFacts p;
    p.index = ++i;
    p.text = t;
    d.paragraphs.push_back(p);
  }
  return d;
}
}  // namespace

TEST_CASE("full years between dates", "[rules]") {
  CHECK(rules::full_years_between(Date{1999, 12, 29}, Date{2026, 11, 28}) == 26);
  CHECK(rules::full_years_between(Date{2001, 11, 28}, Date{2026, 11, 28}) == 25);
  CHECK(rules::full_years_between(Date{2001, 11, 29}, Date{2026, 11, 28}) == 24);
  CHECK(rules::full_years_between(Date{2030, 1, 1}, Date{2026, 11, 28}) == 0);
}

TEST_CASE("stamp order: B1, E.O. codes, 25X, then other FOIA codes", "[rules]") {
  CHECK(rules::stamp_order({"(b)(6)", "1.4(d)", "(b)(1)", "25X1", "(b)(6)"}) ==
        std::vector<std::string>{"(b)(1)", "1.4(d)", "25X1", "(b)(6)"});
}

TEST_CASE("matcher: one set, offsets only on demand", "[rules][matcher]") {
  rules::Matcher m({"(?i)\\bputin\\b", "\\d{3}-\\d{4}", "zzz"});
  auto hit = m.match("Putin called 555-1234 and 555-9876.");
  CHECK(hit == std::vector<bool>{true, true, false});
  auto spans = m.find_all(1, "Putin called 555-1234 and 555-9876.");
  REQUIRE(spans.size() == 2);
  CHECK(spans[0] == std::pair<std::size_t, std::size_t>{13, 21});
  CHECK(spans[1] == std::pair<std::size_t, std::size_t>{26, 34});
  CHECK(m.find_all(7, "x").empty());
  CHECK_FALSE(rules::check_pattern("(a").empty());
  CHECK(rules::matches_empty("a*"));
  CHECK_FALSE(rules::matches_empty("a+"));
}

TEST_CASE("overlapping spans merge with the union of their codes", "[rules]") {
  auto p = load(R"TOML(
[[rule]]
id = "digits"
action = "redact_span"
exemptions = ["(b)(6)"]
span = { pattern = '\d{3}-\d{4}' }
[[rule]]
id = "number-words"
action = "redact_span"
exemptions = ["(b)(7)(C)"]
span = { pattern = 'NO\. \d{3}' }
)TOML");
  auto rec = rules::recommend(p, doc({"CALL NO. 555-1234 NOW"}));
  REQUIRE(rec.paragraphs.size() == 1);
  const auto& para = rec.paragraphs[0];
  REQUIRE(para.spans.size() == 1);
  CHECK(para.spans[0].text == "NO. 555-1234");  // "NO. 555" (5..12) overlaps "555-1234" (9..17)
  CHECK(para.spans[0].begin == 5);
  CHECK(para.spans[0].end == 17);
  CHECK(para.spans[0].exemptions == std::vector<std::string>{"(b)(6)", "(b)(7)(C)"});
  CHECK(para.spans[0].rule == "number-words");  // the earliest-starting span keeps its rule id
  CHECK(rec.stamp_codes == "B6, B7(C)");
}

TEST_CASE("empty term list never matches; braces in templates", "[rules]") {
  auto p = load(R"TOML(
default_action = "release"
[lists]
nobody = []
[[rule]]
id = "names"
action = "redact_span"
exemptions = ["(b)(6)"]
span = { list = "nobody" }
[[rule]]
id = "note"
action = "flag"
explanation = "{{literal}} {rule} saw {match} in {zone}"
[rule.when]
text = { terms = ["alpha"] }
)TOML");
  auto rec = rules::recommend(p, doc({"ALPHA and beta", "gamma"}));
  CHECK(rec.paragraphs[0].action == rules::ActionKind::flag);
  CHECK(rec.paragraphs[0].explanation == "{literal} note saw \"ALPHA\" in body");
  CHECK(rec.paragraphs[1].action == rules::ActionKind::release);
  CHECK(rec.needs_review);
}

TEST_CASE("explain: every rule's verdict with the conditions it checked", "[rules][explain]") {
  auto p = load(R"TOML(
[[rule]]
id = "release-old"
action = "release"
explanation = "old: {document_date}"
[rule.when]
document_age = { at_least = 25 }
[[rule]]
id = "secret"
action = "redact_paragraph"
exemptions = ["(b)(1)"]
[rule.when]
classification = { at_least = "S" }
[[rule]]
id = "keep"
priority = 5
action = "flag"
[rule.when]
text = { terms = ["nuclear"] }
)TOML");
  auto d = doc({"NUCLEAR matters", "other"});
  d.document_date = Date{1990, 1, 1};
  d.paragraphs[0].classification = "C";
  auto e = rules::explain_paragraph(p, d, 1);
  REQUIRE(e.verdicts.size() == 3);
  CHECK(e.result.action == rules::ActionKind::flag);
  CHECK(e.verdicts[0].fired);
  CHECK(e.verdicts[0].outcome.rfind("overridden by keep", 0) == 0);
  CHECK(e.verdicts[0].reasons.at(0) == "yes: document age 36 years is at least 25 years at review date 2026-11-28");
  CHECK_FALSE(e.verdicts[1].fired);
  CHECK(e.verdicts[1].outcome == "not fired");
  CHECK(e.verdicts[1].reasons.at(0) == "no:  classification of portion (C) is not at least S");
  CHECK(e.verdicts[2].outcome.rfind("applied (wins", 0) == 0);
  CHECK(e.result.rules_overridden == std::vector<std::string>{"release-old"});
  CHECK_THROWS_AS(rules::explain_paragraph(p, d, 3), Error);
}
