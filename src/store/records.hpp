// Plain value types stored by the declass store: users, cases, documents, paragraphs, decisions,
// approvals, releases and audit events. No SQLite types here; review and app work on these.
// Payload builders define the exact JSON an audit event records for a row, so verification can
// check that the row still says what its audit event says.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace declass::store {

struct UserRecord {
  std::string name;
  std::string role;  // reviewer | authority | auditor | admin
  std::optional<std::string> certificate_pem;
  std::optional<std::string> certificate_sha256;  // of the PEM bytes as given
  std::string created_at;
};

struct ApiTokenRecord {
  std::int64_t id = 0;
  std::string user;
  std::string token_sha256;  // hex SHA-256 of the token text; the token itself is never stored
  std::string label;
  std::string created_at;
  std::optional<std::string> expires_at;  // ISO UTC; none = does not expire
  std::optional<std::string> revoked_at;
};

struct CaseRecord {
  std::string id;         // request number, e.g. F-2017-13804
  std::string requester;
  std::string received;   // YYYY-MM-DD
  std::string due;        // YYYY-MM-DD: 20 working days after received
  std::optional<std::string> policy_path;
  std::optional<std::string> policy_sha256;  // policy text kept as a blob
  std::string status = "open";
  std::string created_at;
};

struct DocumentRecord {
  std::int64_t seq = 0;
  std::string id;           // short stable id typed by users: "D<seq>"
  std::string case_id;
  std::string doc_no;
  std::string source_name;  // file name as imported
  std::string source_sha256;
  std::int64_t source_size = 0;
  std::string status;       // imported | in_review | submitted | approved | returned | released
  std::string inspect_json;    // snapshot, schema declass.inspect/1
  std::string recommend_json;  // snapshot, schema declass.recommend/1
  std::string imported_at;
  std::string imported_by;
};

struct ParagraphRecord {
  int index = 0;       // 1-based
  std::string number;  // "3", "A" or ""
  std::string text;
};

struct DecisionRecord {
  std::int64_t id = 0;
  std::int64_t document_seq = 0;
  int paragraph = 0;
  std::optional<std::int64_t> span_begin;  // byte offsets into the paragraph text, [begin, end)
  std::optional<std::int64_t> span_end;
  std::optional<std::string> span_text;
  std::string action;  // release | redact | withhold | refer
  std::vector<std::string> exemptions;
  std::string justification;
  std::optional<std::string> refer_to;
  std::string reviewer;
  std::string decided_at;
  std::string basis;  // "manual" (review decide) | "accepted" (review accept)
  bool follows_recommendation = false;
  std::int64_t audit_seq = 0;
  std::string audit_hash;  // filled when read back
};

struct ApprovalRecord {
  std::int64_t id = 0;
  std::int64_t document_seq = 0;
  std::string authority;
  std::string outcome;  // approve | return
  std::optional<std::string> comment;
  std::string decided_at;
  std::int64_t audit_seq = 0;
  std::string audit_hash;
};

struct ReleaseRecord {
  std::int64_t id = 0;
  std::int64_t document_seq = 0;
  std::string output_sha256;
  std::string signer;       // certificate subject of the signer
  std::string released_by;  // user name
  std::optional<std::string> output_name;
  std::string released_at;
  std::int64_t audit_seq = 0;
  std::string audit_hash;
};

struct AuditEvent {
  std::int64_t seq = 0;
  std::string at;       // ISO UTC
  std::string actor;
  std::string role;
  std::string action;   // stable id, e.g. "decision.record", "document.transition"
  std::string case_id;  // "" when not about a case
  std::string subject;  // e.g. "user:alice", "case:F-2017-13804", "document:D1"
  std::string payload;  // compact JSON text, hashed verbatim
  std::string prev_hash;
  std::string hash;
};

// The JSON an audit event records for a row (also recomputed by verification).
Json decision_payload(const DecisionRecord& d, const std::string& document_id);
Json approval_payload(const ApprovalRecord& a, const std::string& document_id);
Json release_payload(const ReleaseRecord& r, const std::string& document_id);

}  // namespace declass::store
