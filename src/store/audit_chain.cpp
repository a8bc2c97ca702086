// Canonical audit event encoding and hash (see audit_chain.hpp for the exact format), and the
// JSON payloads recorded for decisions, approvals and releases.
#include "store/audit_chain.hpp"

#include "crypto/hash.hpp"

namespace declass::store {

static void field(std::string& out, const char* name, const std::string& value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

std::string canonical_event_bytes(const AuditEvent& e) {
  std::string out = "declass-audit/2\n";
  field(out, "seq", std::to_string(e.seq));
  field(out, "at", e.at);
  field(out, "actor", e.actor);
  field(out, "role", e.role);
  field(out, "action", e.action);
  field(out, "case", e.case_id);
  field(out, "subject", e.subject);
  field(out, "payload_sha256", crypto::sha256_hex(e.payload));
  field(out, "prev", e.prev_hash);
  return out;
}

std::string event_hash(const AuditEvent& e) { return crypto::sha256_hex(canonical_event_bytes(e)); }

Json decision_payload(const DecisionRecord& d, const std::string& document_id) {
  Json j;
  j["document"] = document_id;
  j["paragraph"] = d.paragraph;
  if (d.span_begin && d.span_end) {
    j["span"] = {{"begin", *d.span_begin}, {"end", *d.span_end}, {"text_sha256", crypto::sha256_hex(d.span_text.value_or(""))}};
  } else {
    j["span"] = nullptr;
  }
  j["action"] = d.action;
  j["exemptions"] = d.exemptions;
  j["justification"] = d.justification;
  j["refer_to"] = json_or_null(d.refer_to);
  j["reviewer"] = d.reviewer;
  j["decided_at"] = d.decided_at;
  j["basis"] = d.basis;
  j["follows_recommendation"] = d.follows_recommendation;
  return j;
}

Json approval_payload(const ApprovalRecord& a, const std::string& document_id) {
  return Json{{"document", document_id},
              {"authority", a.authority},
              {"outcome", a.outcome},
              {"comment", json_or_null(a.comment)},
              {"decided_at", a.decided_at}};
}

Json release_payload(const ReleaseRecord& r, const std::string& document_id) {
  return Json{{"document", document_id},
              {"output_sha256", r.output_sha256},
              {"signer", r.signer},
              {"released_by", r.released_by},
              {"output_name", json_or_null(r.output_name)},
              {"released_at", r.released_at}};
}

}  // namespace declass::store
