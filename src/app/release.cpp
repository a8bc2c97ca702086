// Storeless release and verification library calls (see release.hpp).
#include "app/release.hpp"

#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/io.hpp"
#include "core/text.hpp"
#include "pdf/inspect.hpp"

namespace declass::app {

crypto::SigningIdentity load_signing_identity(const SigningOptions& o) {
  if (!o.p12.empty()) {
    if (!o.key.empty() || !o.cert.empty())
      throw Error(ErrorCategory::usage, "--p12", "give either --p12 or --key/--cert, not both");
    if (o.pass_spec.empty())
      throw Error(ErrorCategory::usage, "--p12", "a PKCS#12 file needs --pass env:VAR or --pass file:PATH");
    return crypto::SigningIdentity::from_p12(o.p12, crypto::read_passphrase(o.pass_spec));
  }
  if (o.key.empty() || o.cert.empty())
    throw Error(ErrorCategory::usage, "signing key", "give --key KEY.pem --cert CERT.pem [--chain CHAIN.pem] or --p12 FILE --pass env:VAR");
  std::optional<std::string> pass;
  if (!o.pass_spec.empty()) pass = crypto::read_passphrase(o.pass_spec);
  return crypto::SigningIdentity::from_files(o.key, o.cert, o.chain, pass);
}

std::optional<crypto::TimestampSource> load_timestamp_source(const SigningOptions& o, const Clock& clock) {
  if (o.tsa_cert.empty() && o.tsa_key.empty() && o.tsa_url.empty()) return std::nullopt;
  crypto::TimestampSource ts;
  if (!o.tsa_url.empty()) {
    if (!o.tsa_cert.empty() || !o.tsa_key.empty())
      throw Error(ErrorCategory::usage, "--tsa-url", "give either --tsa-url or --tsa-cert/--tsa-key, not both");
    ts.url = o.tsa_url;
    return ts;
  }
  if (o.tsa_cert.empty() || o.tsa_key.empty())
    throw Error(ErrorCategory::usage, "--tsa-cert/--tsa-key", "a local TSA needs both --tsa-cert and --tsa-key");
  ts.local = crypto::SigningIdentity::from_files(o.tsa_key, o.tsa_cert, "", std::nullopt);
  ts.unix_time = clock.now_unix();
  return ts;
}

ReleaseOutput release_and_sign(const release::ReleaseRequest& req, const SigningOptions& so, const Clock& clock) {
  return release_and_sign(req, so, clock, [&req] { return release::build_release_pdf(req); });
}

ReleaseOutput release_and_sign(const release::ReleaseRequest& req, const SigningOptions& so, const Clock& clock,
                               const std::function<release::ReleaseResult()>& build) {
  // Load the key first: a wrong passphrase must fail before any work.
  crypto::SigningIdentity id = load_signing_identity(so);
  auto tsa = load_timestamp_source(so, clock);
  ReleaseOutput out;
  auto t0 = std::chrono::steady_clock::now();
  out.result = build();
  auto t1 = std::chrono::steady_clock::now();
  sign::SignerConfig cfg;
  cfg.identity = &id;
  cfg.tsa = tsa ? &*tsa : nullptr;
  cfg.signing_time = clock.now_unix();
  out.signed_pdf = sign::sign_pdf(out.result.pdf, cfg);
  auto t2 = std::chrono::steady_clock::now();
  out.signer_subject = id.subject();
  out.build_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.sign_seconds = std::chrono::duration<double>(t2 - t1).count();
  // Verify what we are about to hand out (the chain is checked by the recipient against their anchor).
  sign::VerifyOptions vo;
  vo.withheld_terms = out.result.withheld_terms;
  vo.require_audit = !req.audit_json.empty();
  vo.verified_unsigned = out.result.pdf;
  auto t3 = std::chrono::steady_clock::now();
  auto rep = sign::verify_pdf(out.signed_pdf, vo);
  spdlog::debug("release: signed file verified in {:.1f} ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t3).count());
  std::string bad;
  for (const auto& f : rep.failures) {
    if (f.rfind("certificate chains to the trust anchor", 0) == 0) continue;
    bad += (bad.empty() ? "" : "; ") + f;
  }
  if (!bad.empty()) {
    for (const auto& t : out.result.withheld_terms)
      for (auto p = bad.find(t); p != std::string::npos; p = bad.find(t)) bad.replace(p, t.size(), "<withheld>");
    throw Error(ErrorCategory::verification, "release", "the signed release failed its own verification, not written: " + bad);
  }
  return out;
}

std::vector<release::SourceLine> lines_from_document(const ingest::Document& doc) {
  std::vector<release::SourceLine> out;
  out.reserve(doc.lines.size());
  for (const auto& l : doc.lines) {
    release::SourceLine s;
    s.offset = l.offset;
    s.text = std::string(doc.line_text(l));
    s.page = l.page;
    s.omit = l.zone == ingest::Zone::release_stamp || l.zone == ingest::Zone::page_footer;
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

bool is_word(char c) { return text::is_alpha(c) || text::is_digit(c); }

// Occurrences of `needle` in `text` at word boundaries (when the needle starts/ends with a word char).
std::vector<std::size_t> occurrences(const std::string& text, const std::string& needle) {
  std::vector<std::size_t> out;
  if (needle.empty()) return out;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) {
    bool left_ok = p == 0 || !is_word(needle.front()) || !is_word(text[p - 1]);
    std::size_t e = p + needle.size();
    bool right_ok = e >= text.size() || !is_word(needle.back()) || !is_word(text[e]);
    if (left_ok && right_ok) out.push_back(p);
  }
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> select(const std::string& text, const std::vector<release::SourceLine>& lines,
                                                        const Json& e, const std::string& where) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (e.contains("begin") && e.contains("end")) {
    out.emplace_back(e.at("begin").get<std::size_t>(), e.at("end").get<std::size_t>());
    return out;
  }
  if (e.contains("from") && e.contains("to")) {
    std::string from = e.at("from").get<std::string>(), to = e.at("to").get<std::string>();
    auto b = text.find(from);
    if (b == std::string::npos) throw Error(ErrorCategory::input, where, "\"from\" text not found in the document");
    auto t = text.find(to, b);
    if (t == std::string::npos) throw Error(ErrorCategory::input, where, "\"to\" text not found after \"from\"");
    out.emplace_back(b, t + to.size());
    return out;
  }
  if (!e.contains("text")) throw Error(ErrorCategory::input, where, "needs \"text\", \"from\"/\"to\" or \"begin\"/\"end\"");
  std::string needle = e.at("text").get<std::string>();
  bool all = e.value("all", false);
  bool whole_line = e.value("whole_line", false);
  if (whole_line) {
    for (const auto& l : lines) {
      std::string_view t = text::trim(l.text);
      if (t == needle) {
        std::size_t b = l.offset + static_cast<std::size_t>(t.data() - l.text.data());
        out.emplace_back(b, b + t.size());
        if (!all) break;
      }
    }
  } else {
    auto occ = occurrences(text, needle);
    std::size_t n = e.value("occurrence", std::size_t{1});
    if (all)
      for (auto p : occ) out.emplace_back(p, p + needle.size());
    else if (n >= 1 && n <= occ.size())
      out.emplace_back(occ[n - 1], occ[n - 1] + needle.size());
  }
  if (out.empty()) throw Error(ErrorCategory::input, where, "text not found in the document");
  return out;
}

}  // namespace

release::ReleaseRequest request_from_plan(const std::string& text, const Json& plan, const std::string& plan_dir) {
  release::ReleaseRequest r;
  r.lines = release::lines_from_text(text);
  r.title = plan.value("title", std::string());
  r.document_id = plan.value("document_id", std::string());
  if (plan.contains("stamp")) {
    const Json& s = plan.at("stamp");
    r.stamp.disposition = s.value("disposition", r.stamp.disposition);
    r.stamp.review_authority_name = s.value("review_authority_name", std::string());
    r.stamp.review_authority_title = s.value("review_authority_title", std::string());
    r.stamp.case_no = s.value("case_no", std::string());
    r.stamp.doc_no = s.value("doc_no", std::string());
    r.stamp.date = s.value("date", std::string());
    r.stamp.agency = s.value("agency", r.stamp.agency);
    r.stamp.declassified = s.value("declassified", true);
    if (s.contains("codes")) r.stamp.codes = s.at("codes").get<std::vector<std::string>>();
  }
  if (r.stamp.disposition != "RELEASE IN FULL" && r.stamp.disposition != "RELEASE IN PART" && r.stamp.disposition != "DENIED IN FULL")
    throw Error(ErrorCategory::input, "plan stamp.disposition", "must be RELEASE IN FULL, RELEASE IN PART or DENIED IN FULL");
  if (plan.contains("withheld"))
    for (std::size_t i = 0; i < plan.at("withheld").size(); ++i) {
      const Json& e = plan.at("withheld")[i];
      std::string where = "plan withheld[" + std::to_string(i) + "]";
      std::vector<std::string> codes = e.value("codes", std::vector<std::string>{});
      if (codes.empty()) throw Error(ErrorCategory::input, where, "every withheld range needs its exemption codes");
      for (auto [b, en] : select(text, r.lines, e, where)) r.withheld.push_back({b, en, codes});
    }
  if (plan.contains("cancel"))
    for (std::size_t i = 0; i < plan.at("cancel").size(); ++i)
      for (auto [b, en] : select(text, r.lines, plan.at("cancel")[i], "plan cancel[" + std::to_string(i) + "]")) r.cancel.push_back({b, en});
  if (plan.contains("omit"))
    for (std::size_t i = 0; i < plan.at("omit").size(); ++i)
      for (auto [b, en] : select(text, r.lines, plan.at("omit")[i], "plan omit[" + std::to_string(i) + "]"))
        for (auto& l : r.lines)
          if (b < l.offset + l.text.size() && en > l.offset) l.omit = true;
  if (plan.contains("audit")) r.audit_json = plan.at("audit").dump();
  if (plan.contains("audit_file")) {
    std::filesystem::path p = plan.at("audit_file").get<std::string>();
    if (p.is_relative()) p = std::filesystem::path(plan_dir) / p;
    r.audit_json = io::read_file(p.string(), 16 << 20);
  }
  if (plan.contains("template")) {
    std::filesystem::path p = plan.at("template").get<std::string>();
    if (p.is_relative() && !plan_dir.empty() && std::filesystem::exists(std::filesystem::path(plan_dir) / p))
      p = std::filesystem::path(plan_dir) / p;
    r.template_path = p.string();
  }
  return r;
}

sign::VerifyReport verify_release_file(const VerifyInput& in) {
  std::string bytes = io::read_file(in.pdf_path, 1024u * 1024u * 1024u);
  sign::VerifyOptions vo;
  if (!in.trust_path.empty()) vo.trust_pem = io::read_file(in.trust_path, 4 << 20);
  vo.withheld_terms = in.withheld_terms;
  vo.audit_check = in.store_check;
  return sign::verify_pdf(bytes, vo);
}

sign::VerifyReport verify_release_with_store(VerifyInput in, const std::string& db_path) {
  auto& hook = store_verify_hook();
  if (!hook.audit_check)
    throw Error(ErrorCategory::usage, "--db", "store verification is not available in this build; run without --db");
  in.store_check = [db_path, &hook](const std::string& audit) { return hook.audit_check(db_path, audit); };
  if (hook.withheld_terms) {
    // The audit excerpt attached to the release names its document: read it from the file (no full
    // verification for that), then verify once with the document's withheld text.
    std::string audit;
    for (const auto& a : pdf::inspect_pdf(io::read_file(in.pdf_path, 1024u * 1024u * 1024u)).attachments)
      if (a.name == "release-audit.json") audit = a.data;
    for (auto& t : hook.withheld_terms(db_path, audit)) in.withheld_terms.push_back(t);
  }
  return verify_release_file(in);
}

std::string verify_text(const sign::VerifyReport& r, const std::string& path) {
  std::string out = path + ": " + (r.valid ? "VALID" : "INVALID") + "\n";
  if (!r.signer.empty()) out += "  signer: " + r.signer + "\n";
  if (r.has_timestamp) out += "  timestamp: " + r.timestamp_time + "\n";
  for (const auto& c : r.checks) out += std::string(c.ok ? "  ok   " : "  FAIL ") + c.name + (c.ok || c.detail.empty() ? "" : ": " + c.detail) + "\n";
  // failures not tied to a named check (from the CMS layer)
  for (const auto& f : r.failures) {
    bool listed = false;
    for (const auto& c : r.checks)
      if (!c.ok && f.rfind(c.name, 0) == 0) listed = true;
    if (!listed) out += "  FAIL " + f + "\n";
  }
  if (!r.valid) out += "  " + std::to_string(r.failures.size()) + " failure(s)\n";
  return out;
}

StoreVerifyHook& store_verify_hook() {
  static StoreVerifyHook h;
  return h;
}

}  // namespace declass::app
