// `declass inspect FILE... [--json] [--review-date YYYY-MM-DD] [--password-file F | --password env:VAR]`:
// report classification markings paragraph by paragraph, for text records and PDFs (text layer).
// Exit 0 clean, 3 findings of severity error, 2 unreadable input, 1 bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/inspect.hpp"
#include "app/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "crypto/keys.hpp"

namespace declass::app {

void register_inspect(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::vector<std::string> files;
    bool json = false;
    std::string review_date;
    std::string password_file, password_spec;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("inspect", "Report a record's classification markings paragraph by paragraph");
  cmd->add_option("files", o->files, "Records to inspect: text (UTF-8 or Latin-1) or PDF with a text layer")->required();
  cmd->add_flag("--json", o->json, "Print schema declass.inspect/1 JSON (JSON Lines for several files)");
  cmd->add_option("--review-date", o->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  cmd->add_option("--password-file", o->password_file, "File whose first line is the password of encrypted PDFs");
  cmd->add_option("--password", o->password_spec,
                  "Password source for encrypted PDFs: env:VAR or file:PATH (never the password itself)");
  cmd->footer(
      "Exit codes: 0 no error findings, 3 findings of severity error in some file, 2 a file could not be read\n"
      "(the other files are still reported), 1 bad usage.\n"
      "PDFs are read from their text layer (born-digital or OCR'd) in a separate process with memory and time\n"
      "limits; a scan without OCR is refused (run ocrmypdf first). Encrypted PDFs need --password-file FILE or\n"
      "--password env:VAR.");
  cmd->callback([o, &d] {
    d.action = [o] {
      SystemClock clock;
      Date review = parse_review_date(o->review_date, clock);
      if (!o->password_file.empty() && !o->password_spec.empty())
        throw Error(ErrorCategory::usage, "--password", "give either --password-file or --password, not both");
      ingest::PdfReadOptions pdf;
      if (!o->password_file.empty()) pdf.password = crypto::read_passphrase("file:" + o->password_file);
      if (!o->password_spec.empty()) {
        if (o->password_spec.rfind("env:", 0) != 0 && o->password_spec.rfind("file:", 0) != 0)
          throw Error(ErrorCategory::usage, "--password",
                      "give env:VAR or file:PATH (a password is never accepted on the command line), or --password-file FILE");
        pdf.password = crypto::read_passphrase(o->password_spec);
      }
      int rc = exit_code::ok;
      for (const auto& f : o->files) {
        try {
          Inspection in = inspect_file(f, review, pdf);
          if (o->json)
            std::cout << inspect_json(in, review).dump() << "\n";
          else
            std::cout << inspect_text(in) << (o->files.size() > 1 ? "\n" : "");
          if (in.has_errors() && rc == exit_code::ok) rc = exit_code::needs_review;
        } catch (const Error& e) {
          if (e.category() != ErrorCategory::input) throw;
          std::cerr << "declass: input error: " << e.what() << "\n";
          if (o->json)
            std::cout << Json{{"schema", "declass.inspect/1"}, {"source", {{"path", f}}}, {"error", e.message()}}.dump()
                      << "\n";
          rc = exit_code::error;
        }
      }
      return rc;
    };
  });
}

}  // namespace declass::app
