// `declass report vaughn|exemptions|consistency|overrides|audit [--format text|json|html|csv|pdf] [-o FILE]
// [--sign --key K --cert C | --p12 F --pass env:V]`: compliance reports over the review store. PDF reports
// are signed like a release unless --unsigned; --sign adds a detached CMS signature (FILE.p7s) to other formats.
// Exit: 0 ok, 3 consistency conflicts found, 4 audit chain broken, 1 usage, 2 error.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/report.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"

namespace declass::app {

namespace {

struct ReportOpts {
  ReportRequest req;
  std::string out, from, to;
  bool json = false, unsigned_pdf = false;
};

std::optional<Date> parse_date_opt(const std::string& s, const char* opt) {
  if (s.empty()) return std::nullopt;
  auto d = Date::parse_iso(s);
  if (!d) throw Error(ErrorCategory::usage, std::string(opt) + " " + s, "expected a date YYYY-MM-DD");
  return d;
}

int run_report(ReportOpts& o, Dispatch& d) {
  SystemClock clock;
  ReportRequest req = o.req;
  if (o.json) {
    if (req.format != "text" && req.format != "json")
      throw Error(ErrorCategory::usage, "--json", "--json means --format json; do not combine it with --format " + req.format);
    req.format = "json";
  }
  req.from = parse_date_opt(o.from, "--from");
  req.to = parse_date_opt(o.to, "--to");
  if (o.unsigned_pdf && (req.sign || req.format != "pdf"))
    throw Error(ErrorCategory::usage, "--unsigned", "only a PDF report can be written unsigned, and not together with --sign");
  if (req.format == "pdf" && !o.unsigned_pdf) req.sign = true;
  if (req.format == "pdf" && o.out.empty())
    throw Error(ErrorCategory::usage, "--format pdf", "a PDF report needs an output file (-o FILE.pdf)");
  if (req.sign && req.format != "pdf" && o.out.empty())
    throw Error(ErrorCategory::usage, "--sign", "a signed report needs an output file (-o FILE); the signature goes to FILE.p7s");
  Workspace ws(d.global.db, clock);
  ReportOutput r = generate_report(ws, req, clock);
  if (o.out.empty()) {
    std::cout << r.bytes;
  } else {
    io::write_file_atomic(o.out, r.bytes);
    if (!r.signature.empty()) io::write_file_atomic(o.out + ".p7s", r.signature);
    std::cerr << "wrote " << o.out << " (" << r.schema << ", " << req.format
              << (r.signer_subject.empty() ? "" : ", signed by " + r.signer_subject)
              << (r.signature.empty() ? "" : "; detached signature " + o.out + ".p7s") << ")\n";
  }
  return r.exit_code;
}

CLI::App* add_report(CLI::App* parent, const std::string& name, const std::string& help, std::shared_ptr<ReportOpts> o,
                     Dispatch& d) {
  auto* cmd = parent->add_subcommand(name, help);
  cmd->fallthrough();
  o->req.kind = name;
  cmd->add_option("--format", o->req.format, "Output: text (default), json, html (single self-contained file), pdf (signed), csv (vaughn only)")
      ->check(CLI::IsMember({"text", "json", "html", "csv", "pdf"}));
  cmd->add_flag("--json", o->json, "Same as --format json");
  cmd->add_option("-o,--output", o->out, "Write to FILE (atomically) instead of standard output");
  cmd->add_flag("--sign", o->req.sign, "Sign the report: PDF with a PAdES signature, other formats with a detached CMS signature in FILE.p7s");
  cmd->add_flag("--unsigned", o->unsigned_pdf, "Write a PDF report without a signature (PDF reports are signed by default)");
  cmd->add_option("--key", o->req.signing.key, "Signing key (PEM) of the review authority");
  cmd->add_option("--cert", o->req.signing.cert, "Signing certificate (PEM)");
  cmd->add_option("--chain", o->req.signing.chain, "Intermediate/root certificates to embed (PEM bundle)");
  cmd->add_option("--p12", o->req.signing.p12, "PKCS#12 file with key and certificate (instead of --key/--cert)");
  cmd->add_option("--pass", o->req.signing.pass_spec, "Passphrase source: env:VAR or file:PATH (never the passphrase itself)");
  cmd->add_option("--tsa-cert", o->req.signing.tsa_cert, "Local RFC 3161 TSA certificate (with --tsa-key)");
  cmd->add_option("--tsa-key", o->req.signing.tsa_key, "Local RFC 3161 TSA key");
  cmd->add_option("--tsa-url", o->req.signing.tsa_url, "Remote RFC 3161 TSA (http:// URL)");
  cmd->footer("JSON schemas are documented in docs/REPORTS.md. Exit codes: 0 ok, 1 usage, 2 error, 3 consistency "
              "conflicts found, 4 audit chain broken or a signature failed its self-check.");
  cmd->callback([o, &d] { d.action = [o, &d] { return run_report(*o, d); }; });
  return cmd;
}

}  // namespace

void register_report(CLI::App& root, Dispatch& d) {
  auto* rep = root.add_subcommand("report", "Compliance reports: Vaughn index, exemption statistics, consistency, overrides, audit");
  rep->require_subcommand(1);
  rep->fallthrough();

  auto v = std::make_shared<ReportOpts>();
  auto* vc = add_report(rep, "vaughn", "Vaughn index of a case: one entry per withholding, grouped by document, totals per exemption", v, d);
  vc->add_option("case", v->req.case_id, "Case (request number)")->required();

  auto e = std::make_shared<ReportOpts>();
  auto* ec = add_report(rep, "exemptions", "Exemption counts, dispositions, reviewers and processing time against the 20-working-day limit", e, d);
  ec->add_option("--from", e->from, "First processing date counted (YYYY-MM-DD)");
  ec->add_option("--to", e->to, "Last processing date counted (YYYY-MM-DD)");

  auto c = std::make_shared<ReportOpts>();
  auto* cc = add_report(rep, "consistency", "Same or nearly the same paragraph released in one document and withheld in another; duplicate documents across cases", c, d);
  cc->add_option("--case", c->req.case_id, "Only conflicts with a side in this case (compared against all cases)");
  cc->add_option("--threshold", c->req.threshold, "Near-duplicate similarity (Jaccard of word 3-shingles)")->capture_default_str();
  cc->add_option("--min-words", c->req.min_words, "Ignore paragraphs shorter than this many words")->capture_default_str();

  auto ov = std::make_shared<ReportOpts>();
  auto* oc = add_report(rep, "overrides", "Decisions departing from the policy's recommendation, by reviewer and by rule (QA sample list)", ov, d);
  oc->add_option("--case", ov->req.case_id, "Only this case");
  oc->add_option("--sample", ov->req.sample, "List a stable sample of N overrides instead of all");

  auto a = std::make_shared<ReportOpts>();
  add_report(rep, "audit", "Audit chain verification and event counts per actor and action (sign with --sign or --format pdf)", a, d);
}

}  // namespace declass::app
