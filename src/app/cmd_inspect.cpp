// `declass inspect FILE... [--json] [--review-date YYYY-MM-DD]`: report classification markings
// paragraph by paragraph. Exit 0 clean, 3 findings of severity error, 2 unreadable input.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/inspect.hpp"
#include "app/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

void register_inspect(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::vector<std::string> files;
    bool json = false;
    std::string review_date;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("inspect", "Report a record's classification markings paragraph by paragraph");
  cmd->add_option("files", o->files, "Text records to inspect (UTF-8 or Latin-1 .txt)")->required();
  cmd->add_flag("--json", o->json, "Print schema declass.inspect/1 JSON (JSON Lines for several files)");
  cmd->add_option("--review-date", o->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  cmd->footer(
      "Exit codes: 0 no error findings, 3 findings of severity error in some file, 2 a file could not be read\n"
      "(the other files are still reported), 1 bad usage.");
  cmd->callback([o, &d] {
    d.action = [o] {
      SystemClock clock;
      Date review = parse_review_date(o->review_date, clock);
      int rc = exit_code::ok;
      for (const auto& f : o->files) {
        try {
          Inspection in = inspect_file(f, review);
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
