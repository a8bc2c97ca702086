// CAdES detached signatures for PAdES (ETSI.CAdES.detached): CMS SignedData with the
// signing-certificate-v2 attribute and no signing-time attribute, optional RFC 3161 timestamp token
// (local in-process TSA or an HTTP TSA), and their verification including the X.509 chain.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"

namespace declass::crypto {

// Where an RFC 3161 timestamp comes from. Either a local TSA (certificate + key, signs in-process;
// the time comes from `unix_time`) or a URL (HTTP POST application/timestamp-query).
struct TimestampSource {
  std::optional<SigningIdentity> local;   // local TSA identity (certificate must have EKU timeStamping)
  std::int64_t unix_time = 0;              // time the local TSA certifies (injected clock)
  std::string url;                         // remote TSA, used when `local` is empty
  int timeout_seconds = 20;
};

// Signs the concatenation of `parts` (the PDF bytes outside the signature hole) and returns the DER
// CMS ContentInfo. Throws Error(crypto) on any failure (never returns a partial signature).
std::string cades_sign_detached(const SigningIdentity& id, const std::vector<std::string_view>& parts,
                                const TimestampSource* tsa = nullptr);

// Result of verifying a detached CMS signature. Every failed check adds a message to `failures`.
struct CmsVerifyResult {
  bool parsed = false;
  bool signature_valid = false;       // message digest + signature value over the signed attributes
  bool chain_checked = false;         // a trust anchor was given
  bool chain_trusted = false;         // signer certificate chains to the trust anchor
  bool has_signing_certificate_v2 = false;
  bool signing_certificate_matches = false;
  bool has_signing_time = false;      // PAdES forbids it
  bool has_timestamp = false;
  bool timestamp_valid = false;       // only when a trust anchor was given
  std::string timestamp_time;         // "YYYY-MM-DDTHH:MM:SSZ" from the token, if present
  std::string signer_subject;
  std::string digest_algorithm;       // e.g. "SHA256"
  std::size_t certificates = 0;       // embedded certificates
  std::vector<std::string> failures;
};

// trust_pem: PEM bundle of trust anchors ("" = chain not checked, chain_trusted stays false).
CmsVerifyResult cms_verify_detached(std::string_view cms_der, const std::vector<std::string_view>& parts,
                                    const std::string& trust_pem);

// Length of the DER object at the start of `der` (header + content), or 0 if it is not a valid
// definite-length TLV inside `der` (used to strip the zero padding of a PDF /Contents value).
std::size_t der_object_length(std::string_view der);

}  // namespace declass::crypto
