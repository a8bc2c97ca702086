// The compliance reports over the review store: Vaughn index, exemption and processing statistics,
// consistency across releases, overrides of the policy's recommendation, and the audit report.
// Each report is a value type built from one consistent snapshot of the store, with a JSON form
// (schemas declass.report.<name>/1, documented in docs/REPORTS.md) and a presentation (ReportDoc) for
// text, HTML, CSV and PDF. Withholdings come from review::effective_decisions, the function that also
// drives the release boxes and stamps, so a report cannot disagree with a release.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/json.hpp"
#include "report/document.hpp"
#include "review/workflow.hpp"
#include "store/report_queries.hpp"
#include "store/store.hpp"

namespace declass::report {

// ---- shared snapshot ----

struct DocumentData {
  store::ReportDocument doc;
  std::vector<store::ParagraphRecord> paragraphs;
  std::vector<review::ParagraphRecommendation> recommendations;
  std::vector<store::DecisionRecord> decisions;
  std::vector<store::ApprovalRecord> approvals;
  std::vector<store::ReleaseRecord> releases;
  std::vector<review::EffectiveParagraph> effective;  // review::effective_decisions
};

struct Snapshot {
  std::vector<store::CaseRecord> cases;
  std::vector<DocumentData> documents;  // by seq
};

// Reads cases, documents, paragraphs, decisions, approvals and releases (case_id "" = all) in one
// read transaction and computes the effective decisions of every document.
Snapshot load_snapshot(store::ReportReader& reader, const std::string& case_id = "");

// The stamp disposition the release of these effective decisions carries: "RELEASE IN FULL",
// "RELEASE IN PART", "DENIED IN FULL"; "PENDING" while a paragraph is undecided.
std::string stamp_disposition(const std::vector<review::EffectiveParagraph>& effective);
// Statistics disposition: "full", "part", "denied", "referred" (everything not released is referred
// to another agency), "pending" (undecided paragraphs).
std::string statistics_disposition(const std::vector<review::EffectiveParagraph>& effective);
// Working days (Mon–Fri, not a federal holiday) after `from` up to and including `to`; 0 if to <= from.
int working_days_between(const Date& from, const Date& to);
// Replaces every run of words of `text` that quotes withheld text (3+ consecutive words of a withheld
// passage, or a whole withheld span of any length >= 3 characters) with "[withheld]".
std::string mask_withheld_quotes(const std::string& text, const std::vector<std::string>& withheld_texts);

// ---- Vaughn index ----

struct VaughnEntry {
  int number = 0;                 // 1-based across the index
  std::string document_id;
  std::string doc_no;
  int paragraph = 0;              // 1-based paragraph index
  std::string paragraph_number;   // as printed ("3", "A", "")
  std::vector<int> pages;         // source pages the withheld text is on (empty: source not parseable)
  std::string scope;              // "paragraph" | "span"
  std::string action;             // withhold | redact | refer
  std::optional<std::pair<std::int64_t, std::int64_t>> span;  // bytes of the paragraph text (scope span)
  std::int64_t withheld_chars = 0;                             // code points withheld
  std::vector<std::pair<std::size_t, std::size_t>> source_ranges;  // source bytes (what the release boxes)
  std::vector<std::string> codes;  // canonical
  std::optional<std::string> refer_to;
  std::string justification;       // of the decision in effect; quotes of withheld text masked
  std::int64_t decision_id = 0;
  std::string decision_audit_hash;
  std::string basis;               // manual | accepted
  std::string reviewer;
  std::string decided_at;
  std::string approving_authority;  // last approval with outcome approve ("" when not approved)
  std::string approved_at;
  std::string released_at;          // "" when not released
};

struct VaughnDocument {
  std::string id, doc_no, source_name, source_sha256, status, disposition;
  std::string approving_authority, approved_at, released_at, release_sha256;
  std::vector<int> entries;  // indices into VaughnIndex::entries
  bool source_mapped = true;  // false: pages and source ranges unavailable (source no longer parses the same)
};

struct VaughnIndex {
  store::CaseRecord case_record;
  std::string generated_at;
  std::vector<VaughnDocument> documents;
  std::vector<VaughnEntry> entries;
  std::map<std::string, std::int64_t> totals;  // canonical code → withholdings citing it
  std::int64_t documents_with_withholdings = 0;
};

// Error(usage) when the case does not exist.
VaughnIndex build_vaughn(store::Store& store, const std::string& case_id, const Clock& clock);
Json to_json(const VaughnIndex& v);
ReportDoc to_doc(const VaughnIndex& v);
Table vaughn_table(const VaughnIndex& v);  // the CSV form: one row per entry

// ---- exemption and processing statistics ----

struct StatsOptions {
  std::optional<Date> from, to;  // inclusive; applies to the processing date of documents and cases
};

struct ReviewerStats {
  std::int64_t decisions = 0, withholdings = 0, releases = 0, referrals = 0, overrides = 0;
  std::int64_t documents = 0;
};
struct AuthorityStats {
  std::int64_t approvals = 0, returns = 0, releases = 0;
};
struct CaseTiming {
  std::string case_id, received, completed;  // completed "" while pending
  int working_days = 0;                      // to completion, or to today while pending
  bool over_limit = false;                   // more than 20 working days
};

struct ExemptionStats {
  StatsOptions options;
  std::string generated_at;
  std::int64_t documents_processed = 0, documents_pending = 0, withholdings = 0;
  std::map<std::string, std::int64_t> by_exemption_documents;     // canonical code → documents citing it
  std::map<std::string, std::int64_t> by_exemption_withholdings;  // canonical code → withholdings citing it
  std::map<std::string, std::int64_t> by_family_documents;        // "(b)(1)".."(b)(9)", "E.O. 13526 1.4", "25X"
  std::map<std::string, std::int64_t> b3_by_statute;              // statute → documents ("(not recorded)")
  std::map<std::string, std::int64_t> b7_subparts;                // "(b)(7)(A)".. / "(b)(7)" → documents
  std::map<std::string, std::int64_t> by_disposition;             // full, part, denied, referred
  std::map<std::string, ReviewerStats> by_reviewer;
  std::map<std::string, AuthorityStats> by_authority;
  std::vector<CaseTiming> cases;
  int limit_working_days = 20;
  std::int64_t cases_completed = 0, cases_pending = 0, cases_over_limit = 0;
  double median_working_days = 0, average_working_days = 0;  // over completed cases
};

ExemptionStats build_exemption_stats(store::Store& store, const StatsOptions& o, const Clock& clock);
Json to_json(const ExemptionStats& s);
ReportDoc to_doc(const ExemptionStats& s);

// ---- consistency across releases ----

struct ConsistencyOptions {
  std::string case_id;       // "" = all; else only pairs with at least one side in this case
  double threshold = 0.9;    // Jaccard similarity of word 3-shingles for near-duplicates
  std::size_t min_words = 6; // shorter paragraphs are not compared (headings, signatures)
};

struct ConsistencySide {
  std::string document_id, doc_no, case_id, status;
  int paragraph = 0;
  std::string paragraph_number;
  std::string action;  // release | withhold | refer | redact
  std::vector<std::string> codes;
  std::int64_t decision_id = 0;  // 0: released by default (recommendation release, no decision)
  std::string reviewer, decided_at;
  std::string normalized_sha256;  // SHA-256 of the normalised paragraph text
};

struct ConsistencyPair {
  std::string kind;      // released_vs_withheld | released_vs_redacted
  bool exact = false;    // identical after normalisation
  double similarity = 1;
  ConsistencySide released, withheld;
  std::string released_text;  // the released side only (public); never the withheld side
};

struct DuplicateDocument {
  std::string source_sha256;
  struct Copy {
    std::string document_id, doc_no, case_id, status, disposition;
  };
  std::vector<Copy> copies;
  bool dispositions_differ = false;
};

struct ConsistencyReport {
  ConsistencyOptions options;
  std::string generated_at;
  std::int64_t paragraphs_considered = 0, distinct_texts = 0, candidate_pairs = 0, skipped_buckets = 0;
  std::vector<ConsistencyPair> pairs;
  std::vector<DuplicateDocument> duplicates;
};

// Normalisation for matching: case folded, OCR confusions merged (0→o, 1/l/i→l, 5→s), hyphenated
// line ends joined, punctuation dropped, whitespace collapsed. Returns the words.
std::vector<std::string> normalized_words(const std::string& text);

ConsistencyReport build_consistency(store::Store& store, const ConsistencyOptions& o, const Clock& clock);
Json to_json(const ConsistencyReport& r);
ReportDoc to_doc(const ConsistencyReport& r);

// ---- overrides ----

struct OverridesOptions {
  std::string case_id;
  std::size_t sample = 0;  // 0 = every override; else a stable sample of this many (by audit hash)
};

struct OverrideEntry {
  std::int64_t decision_id = 0;
  std::string document_id, doc_no, case_id;
  int paragraph = 0;
  std::optional<std::pair<std::int64_t, std::int64_t>> span;
  std::string action;
  std::vector<std::string> codes;
  std::string recommended_action;           // release | redact | withhold | refer | review
  std::vector<std::string> recommended_codes;
  std::vector<std::string> rules;           // rules that produced the recommendation ("(default)" if none)
  std::string reviewer, decided_at, justification, audit_hash;
};

struct OverridesReport {
  OverridesOptions options;
  std::string generated_at;
  std::int64_t decisions = 0, overrides = 0;
  std::vector<OverrideEntry> entries;  // the (sampled) list
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_reviewer;  // overrides, decisions
  std::map<std::string, std::int64_t> by_rule;
};

OverridesReport build_overrides(store::Store& store, const OverridesOptions& o, const Clock& clock);
Json to_json(const OverridesReport& r);
ReportDoc to_doc(const OverridesReport& r);

// ---- audit ----

struct AuditReport {
  std::string generated_at;
  std::string store_path;
  store::ChainReport chain;
  std::string integrity;  // SQLite quick_check
  bool ok = false;
  std::vector<store::EventCount> counts;
  std::map<std::string, std::int64_t> by_actor, by_action;
};

AuditReport build_audit_report(store::Store& store, const Clock& clock);
Json to_json(const AuditReport& r);
ReportDoc to_doc(const AuditReport& r);

}  // namespace declass::report
