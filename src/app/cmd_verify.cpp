// `declass verify FILE.pdf [--trust CA.pem] [--withheld TERM]... [--withheld-file F] [--db PATH] [--json]`:
// checks a signed release (signature over the whole file, chain, release checklist, audit excerpt,
// withheld terms). Exit 0 valid, 4 invalid (every failure named), 2 unreadable input, 1 usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/release.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"
#include "core/text.hpp"

namespace declass::app {

void register_verify(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::string file, trust, withheld_file, db;
    std::vector<std::string> withheld;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("verify", "Verify a signed release PDF: signature, chain, checklist, audit excerpt, leaks");
  cmd->add_option("file", o->file, "Signed release PDF")->required();
  cmd->add_option("--trust", o->trust, "PEM file with the trust anchor(s) the signer must chain to (without it the chain check fails)");
  cmd->add_option("--withheld", o->withheld, "A withheld string that must not be recoverable (repeat the option for more)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--withheld-file", o->withheld_file, "File with one withheld string per line");
  cmd->add_option("--db", o->db, "Also check the audit excerpt and withheld text against this declass store");
  cmd->add_flag("--json", o->json, "Print the report as JSON (schema declass.verify/1)");
  cmd->footer(
      "Checks: exactly one ETSI.CAdES.detached signature whose ByteRange covers the whole file except the\n"
      "signature value; CMS valid, signing-certificate-v2 present, no signing-time; chain to --trust;\n"
      "RFC 3161 token valid when present; no JavaScript/actions/annotations (except the signature widget)/\n"
      "forms/outlines/encryption/unreferenced objects/unused resources/extra revisions; Info limited; the\n"
      "attached release-audit.json matches its own hashes and the XMP; withheld strings absent from text,\n"
      "decoded objects and raw bytes.\n"
      "Exit codes: 0 valid, 4 invalid (every failure is listed), 2 unreadable file, 1 bad usage.");
  cmd->callback([o, &d] {
    d.action = [o] {
      VerifyInput in;
      in.pdf_path = o->file;
      in.trust_path = o->trust;
      in.withheld_terms = o->withheld;
      if (!o->withheld_file.empty()) {
        std::string t = io::read_file(o->withheld_file, 16 << 20);
        for (auto line : text::split(t, '\n')) {
          auto s = text::trim(line);
          if (!s.empty()) in.withheld_terms.emplace_back(s);
        }
      }
      sign::VerifyReport r = o->db.empty() ? verify_release_file(in) : verify_release_with_store(in, o->db);
      if (o->json) {
        Json j = r.to_json();
        Json out;
        out["schema"] = "declass.verify/1";
        out["file"] = o->file;
        for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value();
        std::cout << out.dump() << "\n";
      } else {
        std::cout << verify_text(r, o->file);
      }
      return r.valid ? exit_code::ok : exit_code::verify_failed;
    };
  });
}

}  // namespace declass::app
