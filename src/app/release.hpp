// Release and verification as library calls (no store): build the release PDF of a text record from
// a request, sign it with the review authority's key, write it atomically; verify a signed release.
// The CLI (cmd_release.cpp, cmd_verify.cpp), the batch runner and the store glue call these.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "crypto/cms.hpp"
#include "crypto/keys.hpp"
#include "ingest/document.hpp"
#include "release/release.hpp"
#include "sign/sign.hpp"

namespace declass::app {

// Signing options exactly as on the command line. Either key+cert(+chain) or p12; pass_spec is
// "env:VAR" or "file:PATH" (for an encrypted key or the p12). TSA: local cert+key, or a URL.
struct SigningOptions {
  std::string key, cert, chain, p12, pass_spec;
  std::string tsa_cert, tsa_key, tsa_url;
};

// Loads the identity (Error(usage) for a bad combination, Error(crypto) for a wrong passphrase or a
// key that does not match the certificate) and the optional TSA.
crypto::SigningIdentity load_signing_identity(const SigningOptions& o);
std::optional<crypto::TimestampSource> load_timestamp_source(const SigningOptions& o, const Clock& clock);

struct ReleaseOutput {
  std::string signed_pdf;
  release::ReleaseResult result;   // unsigned bytes, boxes, pages, withheld terms
  double build_seconds = 0, sign_seconds = 0;
  std::string signer_subject;      // RFC 2253 subject of the signing certificate
};

// Build (verified, fail closed) → sign → verify the signed bytes again (signature + lint + terms).
// Throws Error; never returns unverified bytes. Write the result with io::write_file_atomic.
ReleaseOutput release_and_sign(const release::ReleaseRequest& req, const SigningOptions& so, const Clock& clock);
// Same, with the unsigned release made by `build` instead of release::build_release_pdf (the release of a
// PDF record: app/redact.hpp build_pdf_release). `build` must return verified bytes or throw.
ReleaseOutput release_and_sign(const release::ReleaseRequest& req, const SigningOptions& so, const Clock& clock,
                               const std::function<release::ReleaseResult()>& build);

// ReleaseRequest lines from an ingested Document: every line with its page; release stamps and
// FOIA footers of a previous release are omitted (they would contradict the new stamps).
std::vector<release::SourceLine> lines_from_document(const ingest::Document& doc);

// Storeless release plan (JSON), used by `declass release --text FILE --plan PLAN.json` and tests:
// {"title":"…","document_id":"…",
//  "stamp":{"disposition":"RELEASE IN PART","review_authority_name":"…","review_authority_title":"…",
//           "case_no":"…","doc_no":"…","date":"MM/DD/YYYY","declassified":true},
//  "withheld":[{"text":"NAME","codes":["(b)(6)"]},                      first occurrence (or "all":true)
//              {"from":"START TEXT","to":"END TEXT","codes":["B1","1.4(d)"]},  from start through end
//              {"begin":120,"end":140,"codes":["B6"]}],                  source byte offsets
//  "cancel":[{"text":"SECRET","all":true,"whole_line":true},{"text":"(S)","all":true}],
//  "omit":[{"text":"RELEASE IN FULL","whole_line":true}],
//  "audit": {…} | "audit_file":"path", "template":"templates/state.toml"}
// Errors name the plan entry ("withheld[2]: text not found").
release::ReleaseRequest request_from_plan(const std::string& text, const Json& plan, const std::string& plan_dir);

// Verification of a signed release file. `store_check` (optional) is the store glue: given the audit
// excerpt it returns failures against the store's chain.
struct VerifyInput {
  std::string pdf_path;
  std::string trust_path;                  // PEM trust anchors ("" = chain not checked → failure)
  std::vector<std::string> withheld_terms;
  sign::AuditCheck store_check;
};
sign::VerifyReport verify_release_file(const VerifyInput& in);
// `declass verify --db` (and the server's verify): the store check of the release's audit excerpt and
// the withheld text of its document (through store_verify_hook()) added to `in`, then one verification.
// Error(usage) when this build has no store hook.
sign::VerifyReport verify_release_with_store(VerifyInput in, const std::string& db_path);
std::string verify_text(const sign::VerifyReport& r, const std::string& path);

// Hook for the store glue: when set, `declass verify --db` calls it to build the store check and the
// withheld terms for a release file (audit excerpt → failures; document → withheld strings).
struct StoreVerifyHook {
  std::function<std::vector<std::string>(const std::string& db_path, const std::string& audit_json)> audit_check;
  std::function<std::vector<std::string>(const std::string& db_path, const std::string& audit_json)> withheld_terms;
};
StoreVerifyHook& store_verify_hook();

}  // namespace declass::app
