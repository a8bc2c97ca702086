// Review workflow over the store: roles, the per-document state machine
// (imported → in_review → submitted → approved | returned → released), separation of duties,
// validation of decisions (exemption codes, justification, referral agency), effective decisions
// per paragraph, and the audit excerpt embedded into release PDFs. Every change writes its audit
// event in the same store transaction.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/json.hpp"
#include "store/store.hpp"

namespace declass::review {

enum class Role { reviewer, authority, auditor, admin };
std::optional<Role> parse_role(std::string_view s);
const char* to_string(Role r);

enum class DocStatus { imported, in_review, submitted, approved, returned, released };
std::optional<DocStatus> parse_status(std::string_view s);
const char* to_string(DocStatus s);
bool transition_allowed(DocStatus from, DocStatus to);

// Decision actions: release (paragraph, or a span to undo an earlier redaction), redact (a span),
// withhold (the whole paragraph), refer (the paragraph, to a named agency).
bool is_decision_action(std::string_view a);
bool is_withholding(std::string_view a);  // redact | withhold

// A paragraph's recommendation, read from a declass.recommend/1 snapshot, mapped to decision
// actions: release_span→redact with spans, redact_paragraph / withhold_document → withhold,
// refer → refer, flag (or anything unknown) → "review" (needs a human decision).
struct RecommendedSpan {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::string text;  // as the snapshot quoted it; accept refuses a span whose text differs
  std::vector<std::string> exemptions;
  std::string rule;
};
struct ParagraphRecommendation {
  int index = 0;
  std::string policy_action;  // as the policy wrote it
  std::string action;         // release | redact | withhold | refer | review
  std::vector<std::string> exemptions;
  std::vector<RecommendedSpan> spans;
  std::string refer_to;
  std::string explanation;
  std::vector<std::string> rules_fired;
};
std::vector<ParagraphRecommendation> parse_recommendations(const Json& recommend);

// Canonical exemption code ("b1" → "(b)(1)"); Error(usage) naming the code when unknown.
std::string canonical_exemption_or_throw(const std::string& raw);

struct DocumentInput {
  std::string case_id;
  std::string doc_no;
  std::string source_name;
  std::string source_bytes;
  std::vector<store::ParagraphRecord> paragraphs;
  Json inspect = Json::object();    // declass.inspect/1 snapshot
  Json recommend = Json::object();  // declass.recommend/1 snapshot
};

struct DecisionInput {
  std::string document;  // id ("D1") or doc number
  int paragraph = 0;     // 1-based paragraph index
  std::optional<std::string> span_text;                      // --span TEXT (must occur exactly once)
  std::optional<std::pair<std::int64_t, std::int64_t>> range;  // --range A:B, byte offsets [A, B)
  std::string action;
  std::vector<std::string> exemptions;
  std::string justification;
  std::optional<std::string> refer_to;
  std::string actor;
};

struct EffectiveSpan {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::string text;
  std::vector<std::string> exemptions;
  std::int64_t decision_id = 0;
};
struct EffectiveParagraph {
  int index = 0;
  std::string number;
  std::string action;  // release | redact (spans) | withhold | refer | undecided
  std::vector<std::string> exemptions;  // union over what is withheld
  std::vector<EffectiveSpan> spans;     // ordered by begin, for action redact
  std::optional<std::string> refer_to;
  bool implicit = false;  // no decision: the recommendation was release
  std::vector<std::int64_t> decision_ids;
};

struct DocumentView {
  store::DocumentRecord document;
  std::string source_bytes;
  std::vector<store::ParagraphRecord> paragraphs;
  std::vector<ParagraphRecommendation> recommendations;
  std::vector<store::DecisionRecord> decisions;
  std::vector<store::ApprovalRecord> approvals;
  std::vector<store::ReleaseRecord> releases;
  std::vector<EffectiveParagraph> effective;
};

struct AcceptResult {
  std::vector<store::DecisionRecord> recorded;
  std::vector<int> needs_decision;  // paragraphs whose recommendation a person must decide
};

// Effective decision per paragraph: decisions apply in order; a paragraph decision replaces
// everything before it, a span redaction adds (or replaces the same range), a span release removes it.
std::vector<EffectiveParagraph> effective_decisions(const std::vector<store::ParagraphRecord>& paragraphs,
                                                    const std::vector<ParagraphRecommendation>& recs,
                                                    const std::vector<store::DecisionRecord>& decisions);

class Workflow {
 public:
  explicit Workflow(store::Store& store) : m_store(store) {}

  // actor empty = unauthenticated local operator (bootstrap); otherwise must be an admin.
  store::UserRecord add_user(const std::string& name, const std::string& role,
                             const std::optional<std::string>& certificate_pem, const std::string& actor);
  store::CaseRecord create_case(const std::string& id, const std::string& requester, const Date& received,
                                const std::optional<std::string>& policy_path,
                                const std::optional<std::string>& policy_text, const std::string& actor);
  store::DocumentRecord import_document(const DocumentInput& in, const std::string& actor);

  store::DecisionRecord decide(const DecisionInput& in);
  AcceptResult accept(const std::string& document, const std::string& actor);
  void submit(const std::string& document, const std::string& actor);
  void approve(const std::string& document, const std::string& actor);
  void return_document(const std::string& document, const std::string& actor, const std::string& comment);
  // approved → released, with the release's output hash and the signer's certificate subject.
  // `release_options` (a JSON object, e.g. {"rasterize_unsafe_pages":true,"rasterized_pages":[...]}) is
  // recorded as a "release.options" event for the document in the same transaction, just before the
  // "release.record" event; null = nothing extra recorded.
  store::ReleaseRecord record_release(const std::string& document, const std::string& output_sha256,
                                      const std::string& signer_subject, const std::string& actor,
                                      const std::optional<std::string>& output_name = std::nullopt,
                                      const Json& release_options = Json());

  DocumentView view(const std::string& document);
  // JSON (schema declass.release-audit/1): the document's source hash, decisions, approvals,
  // effective decisions and the audit event hashes that record them. Contains no document text:
  // span texts are left out, justifications and return comments appear only as SHA-256.
  Json audit_excerpt(const std::string& document);
  // Checks an excerpt (e.g. release-audit.json taken from a release PDF) against this store: the
  // document and its source hash exist, and every decision/approval/event hash it cites is the hash
  // of that event in the chain. Returns the problems found (empty = consistent). Does not verify the
  // chain itself: call store().verify_chain() for that.
  std::vector<std::string> check_excerpt(const Json& excerpt);

  store::DocumentRecord require_document(const std::string& key);
  store::UserRecord require_user(const std::string& name);
  store::Store& store() { return m_store; }

 private:
  void transition(store::DocumentRecord& doc, DocStatus to, const store::UserRecord& actor, const std::string& reason);
  store::Store& m_store;
};

Json to_json(const store::DecisionRecord& d, bool with_text = true);
Json to_json(const store::ApprovalRecord& a);
Json to_json(const store::ReleaseRecord& r);
Json to_json(const EffectiveParagraph& p, bool with_text = true);
Json to_json(const store::AuditEvent& e);
Json document_summary_json(const store::DocumentRecord& d);
Json case_json(const store::CaseRecord& c);
Json user_json(const store::UserRecord& u);

}  // namespace declass::review
