// Verification of a signed release (see sign.hpp): the one signature (CAdES, hole exactly /Contents,
// ByteRange to the end of the file), CMS + chain, the native lint checklist on the whole file and on the
// unsigned revision, the attached audit excerpt, and the withheld terms. Every failure is named.
#include <algorithm>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "sign/sign.hpp"

namespace declass::sign {

namespace {

std::string field(const Json& e, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (!e.contains(n)) continue;
    const Json& v = e.at(n);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_null()) return "";
    return v.dump();
  }
  return "";
}

// store/audit_chain.hpp "declass-audit/2" canonical bytes. An excerpt event carries either the
// payload itself or only its SHA-256 ("payload_sha256"), which is what the chain commits to.
std::string canonical(const Json& e) {
  std::string out = "declass-audit/2\n";
  auto put = [&](const char* name, const std::string& v) { out += std::string(name) + "=" + std::to_string(v.size()) + ":" + v + "\n"; };
  put("seq", field(e, {"seq"}));
  put("at", field(e, {"at"}));
  put("actor", field(e, {"actor"}));
  put("role", field(e, {"role"}));
  put("action", field(e, {"action"}));
  put("case", field(e, {"case", "case_id"}));
  put("subject", field(e, {"subject"}));
  put("payload_sha256", e.contains("payload") ? crypto::sha256_hex(field(e, {"payload"})) : field(e, {"payload_sha256"}));
  put("prev", field(e, {"prev", "prev_hash"}));
  return out;
}

}  // namespace

std::vector<std::string> check_audit_excerpt(const std::string& audit_json) {
  std::vector<std::string> f;
  Json j;
  try {
    j = Json::parse(audit_json);
  } catch (const std::exception&) {
    return {"audit: release-audit.json is not valid JSON"};
  }
  if (!j.is_object() || !j.contains("events") || !j.at("events").is_array())
    return {"audit: release-audit.json has no \"events\" array"};
  const Json& ev = j.at("events");
  if (ev.empty()) f.push_back("audit: the excerpt has no events");
  long long prev_seq = -1;
  std::string prev_hash;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const Json& e = ev[i];
    if (!e.is_object()) {
      f.push_back("audit: event " + std::to_string(i + 1) + " is not an object");
      continue;
    }
    std::string hash = field(e, {"hash"});
    std::string seq_s = field(e, {"seq"});
    long long seq = -1;
    try {
      seq = std::stoll(seq_s);
    } catch (...) {
    }
    std::string want = crypto::sha256_hex(canonical(e));
    if (hash != want) f.push_back("audit: event seq " + seq_s + " does not match its hash");
    if (prev_seq >= 0 && seq == prev_seq + 1 && field(e, {"prev", "prev_hash"}) != prev_hash)
      f.push_back("audit: event seq " + seq_s + " does not link to event seq " + std::to_string(prev_seq));
    if (prev_seq >= 0 && seq <= prev_seq) f.push_back("audit: events are not in ascending seq order at seq " + seq_s);
    prev_seq = seq;
    prev_hash = hash;
  }
  return f;
}

Json VerifyReport::to_json() const {
  Json j;
  j["valid"] = valid;
  j["failures"] = failures;
  j["signer"] = signer;
  j["sub_filter"] = sub_filter;
  j["byte_range"] = byte_range;
  j["file_size"] = file_size;
  j["covers_whole_file"] = covers_whole_file;
  j["timestamp"] = has_timestamp ? Json(timestamp_time) : Json(nullptr);
  j["pages"] = pages;
  Json cs = Json::array();
  for (const auto& c : checks) cs.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  j["checks"] = cs;
  return j;
}

VerifyReport verify_pdf(std::string_view bytes, const VerifyOptions& opt) {
  VerifyReport r;
  r.file_size = bytes.size();
  auto check = [&](const std::string& name, bool ok, const std::string& detail = {}) {
    r.checks.push_back({name, ok, detail});
    if (!ok) r.failures.push_back(name + (detail.empty() ? "" : ": " + detail));
  };
  pdf::PdfInspection ins = pdf::inspect_pdf(bytes);
  r.pages = ins.pages;
  if (!ins.parsed) {
    check("readable PDF", false, ins.parse_error);
    return r;
  }
  // 1. Signature structure.
  check("exactly one signature", ins.signatures.size() == 1, std::to_string(ins.signatures.size()) + " signature dictionaries");
  const pdf::SignatureDict* s = ins.signatures.empty() ? nullptr : &ins.signatures.back();
  if (s) {
    r.sub_filter = s->sub_filter;
    r.byte_range = s->byte_range;
    check("SubFilter is ETSI.CAdES.detached", s->sub_filter == "/ETSI.CAdES.detached", s->sub_filter);
    check("ByteRange excludes exactly the /Contents value", s->hole_ok, s->problem);
    bool whole = s->byte_range.size() == 4 && s->byte_range[0] == 0 &&
                 s->byte_range[2] + s->byte_range[3] == static_cast<long long>(bytes.size());
    r.covers_whole_file = whole && s->hole_ok;
    long long signed_end = s->byte_range.size() == 4 ? s->byte_range[2] + s->byte_range[3] : 0;
    check("signature covers the whole file", r.covers_whole_file,
          whole ? "" : std::to_string(static_cast<long long>(bytes.size()) - signed_end) + " bytes outside the signed ranges");
    // 2. CMS.
    if (s->byte_range.size() == 4 && s->hole_ok) {
      std::size_t n = crypto::der_object_length(s->contents);
      std::string_view der = std::string_view(s->contents).substr(0, n);
      auto a = static_cast<std::size_t>(s->byte_range[1]);
      auto c = static_cast<std::size_t>(s->byte_range[2]);
      auto d = static_cast<std::size_t>(std::min<long long>(s->byte_range[3], static_cast<long long>(bytes.size()) - s->byte_range[2]));
      crypto::CmsVerifyResult cr = crypto::cms_verify_detached(der, {bytes.substr(0, a), bytes.substr(c, d)}, opt.trust_pem);
      r.signer = cr.signer_subject;
      r.has_timestamp = cr.has_timestamp;
      r.timestamp_time = cr.timestamp_time;
      check("CMS signature valid over the signed ranges", cr.signature_valid);
      check("signing-certificate-v2 present and matching", cr.has_signing_certificate_v2 && cr.signing_certificate_matches);
      check("no signing-time attribute", !cr.has_signing_time);
      check("certificate chains to the trust anchor", cr.chain_trusted,
            opt.trust_pem.empty() ? "no trust anchor given (--trust CA.pem)" : "");
      if (cr.has_timestamp && !opt.trust_pem.empty()) check("timestamp token valid", cr.timestamp_valid);
      for (const auto& f : cr.failures)
        if (std::find(r.failures.begin(), r.failures.end(), f) == r.failures.end()) r.failures.push_back(f);
    }
  }
  // 3. Release lint on the whole file.
  pdf::LintOptions lo;
  lo.signed_release = true;
  lo.terms = opt.withheld_terms;
  std::sort(lo.terms.begin(), lo.terms.end());
  lo.terms.erase(std::unique(lo.terms.begin(), lo.terms.end()), lo.terms.end());
  for (auto& c : pdf::lint_release(ins, bytes, lo)) check(c.name, c.ok, c.detail);
  // 4. The unsigned revision alone must be a clean release (nothing hidden under the signature update).
  std::size_t eof = bytes.find("%%EOF");
  if (eof != std::string_view::npos && ins.startxref_sections == 2) {
    std::size_t end = eof + 5;
    while (end < bytes.size() && (bytes[end] == '\r' || bytes[end] == '\n')) ++end;
    std::string_view prefix = bytes.substr(0, end);
    if (!opt.verified_unsigned.empty()) {
      check("unsigned revision is the verified release", prefix == opt.verified_unsigned);
    } else {
    pdf::PdfInspection pi = pdf::inspect_pdf(prefix);
    pdf::LintOptions plo;
    plo.terms = lo.terms;
    std::string bad;
    for (auto& c : pdf::lint_release(pi, prefix, plo))
      if (!c.ok) bad += c.name + (c.detail.empty() ? "" : " (" + c.detail + ")") + "; ";
    check("unsigned revision passes the release checklist", bad.empty(), bad);
    }
  }
  // 5. Audit excerpt.
  const pdf::Attachment* audit = nullptr;
  for (const auto& a : ins.attachments)
    if (a.name == "release-audit.json") audit = &a;
  if (audit) {
    r.audit_json = audit->data;
    auto fs = check_audit_excerpt(audit->data);
    std::string joined;
    for (const auto& f : fs) joined += f + "; ";
    check("audit excerpt matches its own hashes", fs.empty(), joined);
    std::string want = crypto::sha256_hex(audit->data);
    check("audit excerpt is the one recorded in the XMP", ins.xmp.find("<rr:AuditSha256>" + want + "</rr:AuditSha256>") != std::string::npos);
    if (opt.audit_check) {
      auto more = opt.audit_check(audit->data);
      std::string j2;
      for (const auto& f : more) j2 += f + "; ";
      check("audit excerpt matches the store's audit chain", more.empty(), j2);
    }
  } else if (opt.require_audit) {
    check("release-audit.json attached", false);
  }
  r.valid = r.failures.empty();
  return r;
}

}  // namespace declass::sign
