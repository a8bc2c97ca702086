// `declass release DOC --as AUTHORITY -o OUT.pdf (--key K --cert C [--chain CH] | --p12 F --pass env:V)
// [--tsa-cert C --tsa-key K | --tsa-url URL] [--template T] [--json]`: release of an approved document of
// the review store (recorded in the store and audit chain); or storeless with --text FILE --plan PLAN.json.
// Exit 0 written, 2 error (nothing written), 4 the written file would have failed verification (nothing written).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/release.hpp"
#include "app/release_store.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"

namespace declass::app {

// Every redaction box of a text-record release: page, rectangle, label and the source bytes it covers
// (from the typeset line it sits on), so reports and tests can reconcile boxes with decisions.
static Json box_list_json(const release::ReleaseResult& res) {
  Json out = Json::array();
  for (const auto& b : res.boxes) {
    Json jb{{"page", b.page}, {"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}, {"label", b.label},
            {"source_begin", nullptr}, {"source_end", nullptr}};
    for (const auto& l : res.lines)
      if (l.page == b.page && l.baseline >= b.y && l.baseline <= b.y + b.h && b.cells > 0 &&
          b.first_cell + b.cells <= l.source.size()) {
        jb["source_begin"] = l.source[b.first_cell];
        jb["source_end"] = l.source[b.first_cell + b.cells - 1] + 1;
        break;
      }
    out.push_back(std::move(jb));
  }
  return out;
}

void register_release(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::string document, actor, title = "Senior Reviewer";
    std::string text, plan, out, templ;
    SigningOptions so;
    bool json = false;
    bool rasterize = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("release", "Write the signed release PDF of a record (withheld text removed, stamped, signed)");
  cmd->fallthrough();  // the root --db may follow the subcommand
  cmd->add_option("document", o->document, "Approved document of the review store (id such as D1, or its doc number)");
  cmd->add_option("--as", o->actor, "The releasing review authority (store mode)");
  cmd->add_option("--authority-title", o->title, "Title printed after the authority's name in the REVIEW AUTHORITY stamp")
      ->capture_default_str();
  cmd->add_option("--text", o->text, "Storeless mode: source text record (with --plan)");
  cmd->add_option("--plan", o->plan, "Storeless mode: release plan JSON: withheld ranges + codes, cancelled markings, stamp fields, audit excerpt");
  cmd->add_option("-o,--output", o->out, "Output PDF (written atomically, only after verification)")->required();
  cmd->add_option("--key", o->so.key, "Review authority private key (PEM)");
  cmd->add_option("--cert", o->so.cert, "Review authority certificate (PEM)");
  cmd->add_option("--chain", o->so.chain, "Intermediate/root certificates to embed (PEM bundle)");
  cmd->add_option("--p12", o->so.p12, "PKCS#12 file with key, certificate and chain (instead of --key/--cert)");
  cmd->add_option("--pass", o->so.pass_spec, "Passphrase source for --p12 or an encrypted key: env:VAR or file:PATH (never the passphrase itself)");
  cmd->add_option("--tsa-cert", o->so.tsa_cert, "Local RFC 3161 TSA certificate (with --tsa-key)");
  cmd->add_option("--tsa-key", o->so.tsa_key, "Local RFC 3161 TSA key");
  cmd->add_option("--tsa-url", o->so.tsa_url, "Remote RFC 3161 TSA (http:// URL)");
  cmd->add_option("--template", o->templ, "Stamp template (TOML), default: the built-in State template (templates/state.toml)");
  cmd->add_flag("--json", o->json, "Print a JSON summary (schema declass.release/1)");
  cmd->add_flag("--rasterize-unsafe-pages", o->rasterize,
                "PDF records: rebuild pages that cannot be redacted safely as images instead of refusing (recorded in the audit trail)");
  cmd->footer(
      "Dates come from the clock; set SOURCE_DATE_EPOCH for reproducible output (same inputs → same bytes\n"
      "before signing). Exit codes: 0 written, 2 error (nothing written), 4 self-verification failed\n"
      "(nothing written), 1 bad usage.");
  cmd->callback([o, &d] {
    d.action = [o, &d] {
      SystemClock clock;
      if (!o->document.empty()) {
        if (!o->text.empty() || !o->plan.empty())
          throw Error(ErrorCategory::usage, "release", "give either a DOCUMENT (store mode) or --text with --plan, not both");
        Workspace ws(d.global.db, clock);
        StoreReleaseOptions so;
        so.document = o->document;
        so.actor = o->actor;
        so.authority_title = o->title;
        so.template_path = o->templ;
        so.signing = o->so;
        so.rasterize_unsafe_pages = o->rasterize;
        StoreReleaseResult r = release_document(ws, so, o->out, clock);
        if (o->json) {
          Json j{{"schema", "declass.release/1"}, {"document", o->document}, {"output", o->out},
                 {"disposition", r.disposition}, {"stamp_codes", r.stamp_codes}, {"pages", r.output.result.pages},
                 {"boxes", r.output.result.boxes.size()}, {"sha256", r.output_sha256},
                 {"unsigned_sha256", crypto::sha256_hex(r.output.result.pdf)},
                 {"build_seconds", r.output.build_seconds}, {"sign_seconds", r.output.sign_seconds},
                 {"source_format", r.source_format}, {"rasterized_pages", r.rasterized_pages}};
          j["box_list"] = box_list_json(r.output.result);
          std::cout << j.dump() << "\n";
        } else {
          std::cout << "released " << o->document << " → " << o->out << ": " << r.disposition
                    << (r.stamp_codes.empty() ? "" : " " + r.stamp_codes) << ", " << r.output.result.pages << " pages, "
                    << r.output.result.boxes.size() << " redaction boxes; signed, verified and recorded (sha256 "
                    << r.output_sha256.substr(0, 16) << "...)\n";
        }
        return exit_code::ok;
      }
      if (o->text.empty() || o->plan.empty())
        throw Error(ErrorCategory::usage, "release", "name an approved DOCUMENT of the store, or give --text FILE and --plan PLAN.json");
      std::string text = io::read_file(o->text);
      Json plan;
      try {
        plan = Json::parse(io::read_file(o->plan, 16 << 20));
      } catch (const Json::exception& e) {
        throw Error(ErrorCategory::input, o->plan, std::string("not valid JSON: ") + e.what());
      }
      std::string dir = std::filesystem::path(o->plan).parent_path().string();
      release::ReleaseRequest req;
      try {
        req = request_from_plan(text, plan, dir);
      } catch (const Json::exception& e) {
        throw Error(ErrorCategory::input, o->plan, std::string("unexpected value: ") + e.what());
      }
      if (!o->templ.empty()) req.template_path = o->templ;
      req.clock = &clock;
      ReleaseOutput out = release_and_sign(req, o->so, clock);
      io::write_file_atomic(o->out, out.signed_pdf);
      if (o->json) {
        Json j{{"schema", "declass.release/1"}, {"output", o->out}, {"pages", out.result.pages},
               {"boxes", out.result.boxes.size()}, {"bytes", out.signed_pdf.size()},
               {"unsigned_sha256", crypto::sha256_hex(out.result.pdf)}, {"build_seconds", out.build_seconds},
               {"sign_seconds", out.sign_seconds}};
        std::cout << j.dump() << "\n";
      } else {
        std::cout << "wrote " << o->out << ": " << out.result.pages << " pages, " << out.result.boxes.size()
                  << " redaction boxes, signed and verified\n";
      }
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
