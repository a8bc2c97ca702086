// Report generation, rendering and signing (see report.hpp). Signatures reuse the release's key loading
// (load_signing_identity: --key/--cert/--chain or --p12 with --pass env:|file:) and are checked again
// before the bytes are returned.
#include "app/report.hpp"

#include <chrono>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "crypto/cms.hpp"
#include "report/reports.hpp"
#include "sign/sign.hpp"

namespace declass::app {

namespace {

Error usage(const std::string& where, const std::string& msg) { return Error(ErrorCategory::usage, where, msg); }

std::string sign_pdf_report(const std::string& pdf, const SigningOptions& so, const Clock& clock, std::string& subject) {
  crypto::SigningIdentity id = load_signing_identity(so);
  auto tsa = load_timestamp_source(so, clock);
  sign::SignerConfig cfg;
  cfg.identity = &id;
  cfg.tsa = tsa ? &*tsa : nullptr;
  cfg.field_name = "ReportSignature";
  cfg.reason = "Compliance report issued by the review authority";
  cfg.signing_time = clock.now_unix();
  std::string signed_pdf = sign::sign_pdf(pdf, cfg);
  sign::VerifyOptions vo;
  vo.require_audit = false;
  auto rep = sign::verify_pdf(signed_pdf, vo);
  std::string bad;
  for (const auto& f : rep.failures) {
    if (f.rfind("certificate chains to the trust anchor", 0) == 0) continue;
    bad += (bad.empty() ? "" : "; ") + f;
  }
  if (!bad.empty()) throw Error(ErrorCategory::verification, "report", "the signed report failed its own verification: " + bad);
  subject = id.subject();
  return signed_pdf;
}

std::string sign_detached(const std::string& bytes, const SigningOptions& so, const Clock& clock, std::string& subject) {
  crypto::SigningIdentity id = load_signing_identity(so);
  auto tsa = load_timestamp_source(so, clock);
  std::string der = crypto::cades_sign_detached(id, {std::string_view(bytes)}, tsa ? &*tsa : nullptr);
  auto v = crypto::cms_verify_detached(der, {std::string_view(bytes)}, "");
  if (!v.signature_valid)
    throw Error(ErrorCategory::verification, "report", "the detached signature of the report does not verify over its bytes");
  subject = id.subject();
  return der;
}

}  // namespace

ReportOutput generate_report(Workspace& ws, const ReportRequest& req, const Clock& clock) {
  const std::string& f = req.format;
  if (f != "text" && f != "json" && f != "html" && f != "csv" && f != "pdf")
    throw usage("--format " + f, "unknown format; use text, json, html, csv (vaughn only) or pdf");
  if (f == "csv" && req.kind != "vaughn") throw usage("--format csv", "CSV is available for the Vaughn index only; use json, html or text");

  const auto t0 = std::chrono::steady_clock::now();
  ReportOutput out;
  report::ReportDoc doc;
  std::optional<report::Table> csv;
  store::Store& st = ws.store();
  if (req.kind == "vaughn") {
    if (req.case_id.empty()) throw usage("report vaughn", "name the case: declass report vaughn CASE");
    auto v = report::build_vaughn(st, req.case_id, clock);
    out.summary = report::to_json(v);
    doc = report::to_doc(v);
    if (f == "csv") csv = report::vaughn_table(v);
  } else if (req.kind == "exemptions") {
    if (req.from && req.to && *req.to < *req.from) throw usage("--from/--to", "--to is before --from");
    report::StatsOptions o;
    o.from = req.from;
    o.to = req.to;
    auto s = report::build_exemption_stats(st, o, clock);
    out.summary = report::to_json(s);
    doc = report::to_doc(s);
  } else if (req.kind == "consistency") {
    if (req.threshold <= 0 || req.threshold > 1) throw usage("--threshold", "give a similarity between 0 and 1, e.g. 0.9");
    if (!req.case_id.empty() && !st.find_case(req.case_id))
      throw usage(req.case_id, "no such case; list cases with 'declass case list'");
    report::ConsistencyOptions o;
    o.case_id = req.case_id;
    o.threshold = req.threshold;
    o.min_words = req.min_words;
    auto r = report::build_consistency(st, o, clock);
    out.summary = report::to_json(r);
    doc = report::to_doc(r);
    if (!r.pairs.empty()) out.exit_code = exit_code::needs_review;
  } else if (req.kind == "overrides") {
    if (!req.case_id.empty() && !st.find_case(req.case_id))
      throw usage(req.case_id, "no such case; list cases with 'declass case list'");
    report::OverridesOptions o;
    o.case_id = req.case_id;
    o.sample = req.sample;
    auto r = report::build_overrides(st, o, clock);
    out.summary = report::to_json(r);
    doc = report::to_doc(r);
  } else if (req.kind == "audit") {
    auto r = report::build_audit_report(st, clock);
    out.summary = report::to_json(r);
    doc = report::to_doc(r);
    if (!r.ok) out.exit_code = exit_code::verify_failed;
  } else {
    throw usage("report " + req.kind, "unknown report; use vaughn, exemptions, consistency, overrides or audit");
  }
  out.schema = doc.schema;

  if (f == "json") out.bytes = out.summary.dump(2) + "\n";
  else if (f == "text") out.bytes = report::render_text(doc);
  else if (f == "html") out.bytes = report::render_html(doc);
  else if (f == "csv") out.bytes = report::render_csv(*csv);
  else
    out.bytes = report::render_pdf(doc, clock.now_unix());  // no attachment: a signed report passes the release checklist
  if (req.sign) {
    if (f == "pdf")
      out.bytes = sign_pdf_report(out.bytes, req.signing, clock, out.signer_subject);
    else
      out.signature = sign_detached(out.bytes, req.signing, clock, out.signer_subject);
  }
  spdlog::info("report {}: {} bytes of {} in {:.2f} s{}", req.kind, out.bytes.size(), f,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), req.sign ? ", signed" : "");
  return out;
}

}  // namespace declass::app
