// Fuzz target for the policy loader: arbitrary bytes as a TOML policy (no file access: includes
// and list files are refused), and when it loads, evaluation over a small fixed document and
// explanation of one paragraph. Must never crash, hang or trip ASan/UBSan.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/evaluate.hpp"
#include "rules/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace declass;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  rules::LoadOptions opts;
  opts.allow_includes = false;
  auto r = rules::load_policy_text(text, "fuzz.toml", opts);
  for (const auto& e : r.errors) (void)e.str();
  if (!r.ok()) return 0;
  rules::DocumentFacts d;
  d.review_date = Date{2026, 11, 28};
  d.banner = "S";
  d.captions = {"NODIS"};
  d.tags = {"PREL", "KCRM"};
  d.order = "12958";
  d.reasons = {"1.5(b)", "1.5(d)"};
  d.declassify_on = "2008-12-18";
  d.declassify_on_date = Date{2008, 12, 18};
  d.document_date = Date{1999, 12, 29};
  const char* texts[] = {"S E C R E T STATE 244337", "(S) CALL 202-555-0147 OR JDOE@EXAMPLE.ORG, SSN 123-45-6789.",
                         "(U) PUTIN MET JOHN Q. PUBLIC.", ""};
  int i = 0;
  for (const char* t : texts) {
    rules::ParagraphFacts p;
    p.index = ++i;
    p.number = std::to_string(i);
    p.zone = i == 1 ? "cable_header" : "body";
    p.text = t;
    if (i == 2) p.classification = "S";
    if (i == 3) p.classification = "U";
    d.paragraphs.push_back(p);
  }
  auto rec = rules::recommend(*r.policy, d);
  (void)rec;
  auto ex = rules::explain_paragraph(*r.policy, d, 2);
  (void)ex;
  return 0;
}
