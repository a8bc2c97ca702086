// Evaluation of a policy over document facts: which rules fire on each paragraph, which one
// wins (priority, then most restrictive action, then policy order), the spans to cut, the
// exemption codes, the rendered explanation, and the document's overall disposition.
#pragma once
#include <string>
#include <vector>

#include "rules/facts.hpp"
#include "rules/policy.hpp"

namespace declass::rules {

struct Span {
  std::size_t begin = 0;  // byte offsets into ParagraphFacts::text
  std::size_t end = 0;
  std::string text;
  std::vector<std::string> exemptions;  // canonical
  std::string rule;                     // id of the rule that selected it (merged spans: of the earliest-starting one)
};

struct ParagraphRecommendation {
  int index = 0;
  std::string number;
  ActionKind action = ActionKind::flag;
  std::vector<std::string> exemptions;     // canonical, stamp order
  std::vector<Span> spans;                 // redact_span only; sorted, non-overlapping
  std::vector<std::string> rules_fired;    // every rule whose conditions held, policy order
  std::vector<std::string> rules_overridden;  // fired rules whose action lost on precedence
  std::string explanation;                 // rendered templates of the applied rules (quotes document text)
  std::string refer_to;
};

struct Referral {
  std::string agency;
  std::vector<int> paragraphs;  // paragraph indexes
};

struct Recommendation {
  std::string disposition;                 // RELEASE IN FULL | RELEASE IN PART | DENIED IN FULL | REFER
  std::string stamp_codes;                 // "B1, 1.4(D), B6" (empty for RELEASE IN FULL)
  std::vector<std::string> exemptions;     // canonical, stamp order
  std::vector<Referral> referrals;
  std::vector<ParagraphRecommendation> paragraphs;
  bool needs_review = false;               // some paragraph was flagged for human judgement
};

Recommendation recommend(const Policy& policy, const DocumentFacts& facts);

// Every rule's verdict on one paragraph (policy explain).
struct RuleVerdict {
  std::string rule;
  int priority = 0;
  ActionKind action = ActionKind::flag;
  bool fired = false;
  std::string outcome;                 // "applied", "overridden by <id>", "concurs with <id>", "not fired"
  std::vector<std::string> reasons;    // one line per condition checked: "✓ zone body is one of [body]"
  std::string explanation;             // rendered template (fired rules only)
};
struct ParagraphExplanation {
  ParagraphRecommendation result;
  std::vector<RuleVerdict> verdicts;   // policy order
};
// `index` is the 1-based paragraph index; throws Error(usage) when out of range.
ParagraphExplanation explain_paragraph(const Policy& policy, const DocumentFacts& facts, int index);

// Canonical codes ordered like the stamp (FOIA codes numerically, then E.O. codes), de-duplicated.
std::vector<std::string> stamp_order(const std::vector<std::string>& codes);

}  // namespace declass::rules
