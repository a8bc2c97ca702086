// Data-driven rule cases: every directory under tests/data/rules/cases holds policy.toml (a
// policy snippet), document.json (facts of a document snippet) and expected.json (the
// recommendation, checked by hand). A regression is a new directory, not new C++.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.hpp"
#include "rules/evaluate.hpp"
#include "core/io.hpp"
#include "rules/policy.hpp"

namespace fs = std::filesystem;
using namespace declass;

namespace {

// Whole files through core/io.hpp (the project's reader, with its clear errors).
std::string slurp(const fs::path& p) { return io::read_file(p.string()); }

std::vector<std::string> strs(const Json& j, const char* key) {
  std::vector<std::string> v;
  if (j.contains(key))
    for (const auto& s : j.at(key)) v.push_back(s.get<std::string>());
  return v;
}

rules::DocumentFacts facts_from_json(const Json& j) {
  rules::DocumentFacts d;
  d.path = "case";
  d.review_date = *Date::parse_iso(j.at("review_date").get<std::string>());
  if (j.contains("banner")) d.banner = j.at("banner").get<std::string>();
  d.banner_controls = strs(j, "banner_controls");
  d.captions = strs(j, "captions");
  d.tags = strs(j, "tags");
  d.order = j.value("order", "");
  d.reasons = strs(j, "reasons");
  d.declassify_on = j.value("declassify_on", "");
  d.declassify_on_date = Date::parse_iso(d.declassify_on);
  if (j.contains("document_date")) d.document_date = Date::parse_iso(j.at("document_date").get<std::string>());
  d.release_status = j.value("release_status", "");
  d.release_exemptions = strs(j, "release_exemptions");
  int i = 0;
  for (const auto& p : j.at("paragraphs")) {
    rules::ParagraphFacts pf;
    pf.index = ++i;
    pf.number = p.value("number", "");
    pf.zone = p.value("zone", "body");
    pf.text = p.at("text").get<std::string>();
    if (p.contains("classification")) pf.classification = p.at("classification").get<std::string>();
    pf.controls = strs(p, "controls");
    pf.exemptions = strs(p, "exemptions");
    d.paragraphs.push_back(pf);
  }
  return d;
}

void check_case(const fs::path& dir) {
  INFO("case " << dir.filename().string());
  auto loaded = rules::load_policy_file((dir / "policy.toml").string());
  for (const auto& e : loaded.errors) INFO(e.str());
  REQUIRE(loaded.errors.empty());
  REQUIRE(loaded.ok());
  auto doc = facts_from_json(Json::parse(slurp(dir / "document.json")));
  auto exp = Json::parse(slurp(dir / "expected.json"));
  auto rec = rules::recommend(*loaded.policy, doc);

  CHECK(rec.disposition == exp.at("disposition").get<std::string>());
  CHECK(rec.stamp_codes == exp.value("stamp_codes", ""));
  CHECK(rec.exemptions == strs(exp, "exemptions"));
  CHECK(rec.needs_review == exp.value("needs_review", false));
  if (exp.contains("referrals")) {
    REQUIRE(rec.referrals.size() == exp.at("referrals").size());
    for (std::size_t i = 0; i < rec.referrals.size(); ++i) {
      CHECK(rec.referrals[i].agency == exp.at("referrals")[i].at("agency").get<std::string>());
      CHECK(rec.referrals[i].paragraphs == exp.at("referrals")[i].at("paragraphs").get<std::vector<int>>());
    }
  }
  REQUIRE(rec.paragraphs.size() == exp.at("paragraphs").size());
  for (std::size_t i = 0; i < rec.paragraphs.size(); ++i) {
    const auto& got = rec.paragraphs[i];
    const auto& want = exp.at("paragraphs")[i];
    INFO("paragraph " << got.index << ": " << got.explanation);
    CHECK(got.index == want.at("index").get<int>());
    CHECK(rules::to_string(got.action) == want.at("action").get<std::string>());
    CHECK(got.exemptions == strs(want, "exemptions"));
    if (want.contains("rules_fired")) CHECK(got.rules_fired == strs(want, "rules_fired"));
    if (want.contains("rules_overridden")) CHECK(got.rules_overridden == strs(want, "rules_overridden"));
    if (want.contains("refer_to")) CHECK(got.refer_to == want.at("refer_to").get<std::string>());
    const Json spans = want.value("spans", Json::array());
    REQUIRE(got.spans.size() == spans.size());
    for (std::size_t s = 0; s < spans.size(); ++s) {
      CHECK(got.spans[s].text == spans[s].at("text").get<std::string>());
      CHECK(got.spans[s].begin == spans[s].at("begin").get<std::size_t>());
      CHECK(got.spans[s].end == spans[s].at("end").get<std::size_t>());
      if (spans[s].contains("exemptions")) CHECK(got.spans[s].exemptions == strs(spans[s], "exemptions"));
      if (spans[s].contains("rule")) CHECK(got.spans[s].rule == spans[s].at("rule").get<std::string>());
    }
    for (const auto& frag : strs(want, "explanation_contains")) {
      INFO("explanation should contain: " << frag);
      CHECK(got.explanation.find(frag) != std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("rule cases from tests/data/rules/cases", "[rules][cases]") {
  fs::path root = fs::path(DECLASS_TEST_DATA) / "rules" / "cases";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  REQUIRE(dirs.size() >= 10);
  for (const auto& d : dirs) {
    SECTION(d.filename().string()) { check_case(d); }
  }
}
