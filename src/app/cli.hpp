// The command line: one CLI11 subcommand per file (cmd_*.cpp) registered in cli.cpp.
// run_cli never throws; it prints one-line errors with a usage hint and returns an exit code.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace CLI { class App; }

namespace declass::app {

// Options shared by all commands.
struct GlobalOptions {
  std::string log_level = "warn";  // operators' log (stderr); never document text
  std::string db;                  // --db / DECLASS_DB / ./declass.db
};

// A registered subcommand sets `action` when it is selected; run_cli calls it after parsing.
struct Dispatch {
  std::function<int()> action;
  GlobalOptions global;
};

// A command registration from outside the app module (e.g. server::register_serve, linked by main.cpp),
// so that app does not depend on the modules layered above it.
using Registration = std::function<void(CLI::App&, Dispatch&)>;
int run_cli(int argc, char** argv, const std::vector<Registration>& extra_registrations = {});

// Registration functions, one per command file.
void register_inspect(CLI::App& root, Dispatch& d);
void register_report(CLI::App& root, Dispatch& d);   // cmd_report.cpp (compliance reports)
void register_batch(CLI::App& root, Dispatch& d);    // cmd_batch.cpp (batch pipeline)
void register_redact(CLI::App& root, Dispatch& d);   // cmd_redact.cpp (storeless PDF redaction)
void register_release(CLI::App& root, Dispatch& d);  // cmd_release.cpp (storeless --text/--plan)
void register_verify(CLI::App& root, Dispatch& d);   // cmd_verify.cpp
void register_init(CLI::App& root, Dispatch& d);      // store, review workflow and audit (cmd_init.cpp ... cmd_audit.cpp)
void register_user(CLI::App& root, Dispatch& d);
void register_case(CLI::App& root, Dispatch& d);
void register_import(CLI::App& root, Dispatch& d);
void register_review(CLI::App& root, Dispatch& d);
void register_workflow(CLI::App& root, Dispatch& d);
void register_audit(CLI::App& root, Dispatch& d);
void register_recommend(CLI::App& root, Dispatch& d);
void register_policy(CLI::App& root, Dispatch& d);

}  // namespace declass::app
