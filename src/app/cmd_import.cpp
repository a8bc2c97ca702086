// `declass import CASE FILE... [--doc-no N] [--as USER]`: store records in a case with their
// source bytes, running inspect and recommend (the case's policy) and keeping both snapshots.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/options.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

void register_import(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::string case_id, doc_no, as, review_date;
    std::vector<std::string> files;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("import", "Import records into a case (runs inspect and recommend with the case's policy)");
  cmd->add_option("case", o->case_id, "Case request number")->required();
  cmd->add_option("files", o->files, "Records to import")->required();
  cmd->add_option("--doc-no", o->doc_no, "Document number (one file only; default: the file name without extension)");
  cmd->add_option("--as", o->as, "Acting user (recorded in the audit trail)");
  cmd->add_option("--review-date", o->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  cmd->add_flag("--json", o->json, "Print one JSON object per imported document");
  cmd->fallthrough();
  cmd->footer("Each document gets a short id (D1, D2, ...) used by 'declass review'.\n"
              "Exit codes: 0 all imported, 2 a file could not be imported (the others are still imported), 1 usage.");
  cmd->callback([o, &d] {
    d.action = [o, &d] {
      if (!o->doc_no.empty() && o->files.size() != 1)
        throw Error(ErrorCategory::usage, "--doc-no", "applies to a single file; import files one by one to number them");
      SystemClock clock;
      Date review = parse_review_date(o->review_date, clock);
      Workspace ws(d.global.db, clock);
      int rc = exit_code::ok;
      for (const auto& f : o->files) {
        try {
          auto doc = ws.import_file(o->case_id, f, o->doc_no, o->as, review);
          Json rec = Json::parse(doc.recommend_json, nullptr, false);
          std::string disposition = rec.is_object() ? rec.value("disposition", std::string()) : std::string();
          if (o->json) {
            Json j = review::document_summary_json(doc);
            j["disposition"] = disposition;
            std::cout << j.dump() << "\n";
          } else {
            std::cout << "imported " << f << " as " << doc.id << " (" << doc.doc_no << ") into " << doc.case_id
                      << (disposition.empty() ? "" : "; recommended: " + disposition) << "\n";
          }
        } catch (const Error& e) {
          if (e.category() != ErrorCategory::input && e.category() != ErrorCategory::workflow) throw;
          std::cerr << "declass: " << to_string(e.category()) << " error: " << e.what() << "\n";
          if (o->json) std::cout << Json{{"source", f}, {"error", e.message()}}.dump() << "\n";
          rc = exit_code::error;
        }
      }
      return rc;
    };
  });
}

}  // namespace declass::app
