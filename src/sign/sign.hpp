// PAdES signing of a finished release PDF and its verification.
// sign_pdf appends exactly one incremental update (signature field + widget + /V dictionary,
// SubFilter ETSI.CAdES.detached) to the verified, fully rewritten unsigned file; the ByteRange covers
// the whole file except the /Contents value. verify_pdf checks the signature, the chain, the release
// lint checklist, the attached audit excerpt and the withheld terms, naming every failure.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "crypto/cms.hpp"
#include "crypto/keys.hpp"
#include "pdf/inspect.hpp"

namespace declass::sign {

struct SignerConfig {
  const crypto::SigningIdentity* identity = nullptr;
  const crypto::TimestampSource* tsa = nullptr;     // optional RFC 3161 token
  std::string field_name = "ReleaseReviewSignature";
  std::string reason = "Release approved by the review authority";
  std::string location;
  std::int64_t signing_time = 0;                    // /M (PAdES: the CMS carries no signing time)
};

// Returns the signed PDF. Throws Error(crypto) (key problems) or Error(pdf).
std::string sign_pdf(std::string_view unsigned_pdf, const SignerConfig& cfg);

// Checks an attached audit excerpt; returns failure messages (empty = ok). The default checks the
// "declass-audit-excerpt/1" format (see check_audit_excerpt); the store wiring adds its own chain check.
using AuditCheck = std::function<std::vector<std::string>(const std::string& audit_json)>;

struct VerifyOptions {
  std::string trust_pem;                 // PEM trust anchors; "" = chain not checked (reported as failure)
  std::vector<std::string> withheld_terms;
  AuditCheck audit_check;                // extra check (e.g. against the store); may be empty
  bool require_audit = true;             // a release must carry release-audit.json
  // When the caller already verified the unsigned bytes (release_and_sign), the first revision is only
  // compared byte for byte with them instead of being inspected again.
  std::string_view verified_unsigned;
};

struct VerifyReport {
  bool valid = false;
  std::vector<std::string> failures;     // every failed check, named
  std::vector<pdf::LintCheck> checks;    // all checks (ok and failed)
  std::string signer;
  std::string sub_filter;
  std::vector<long long> byte_range;
  std::size_t file_size = 0;
  bool covers_whole_file = false;
  bool has_timestamp = false;
  std::string timestamp_time;
  std::string audit_json;
  int pages = 0;
  Json to_json() const;
};

VerifyReport verify_pdf(std::string_view pdf_bytes, const VerifyOptions& opt);

// The excerpt format written into release-audit.json:
// {"format":"declass-audit-excerpt/1","document":"…","events":[{"seq":1,"at":"…","actor":"…","role":"…",
//   "action":"…","case":"…","subject":"…","payload":"<compact JSON text>","prev":"<hex>","hash":"<hex>"}, …]}
// Each event's hash is recomputed with the store's canonical encoding "declass-audit/2"
// (store/audit_chain.hpp); consecutive seq numbers must link prev → hash.
std::vector<std::string> check_audit_excerpt(const std::string& audit_json);

}  // namespace declass::sign
