// CLI assembly and error boundary (see cli.hpp).
#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/release_store.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

static void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("declass");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

int run_cli(int argc, char** argv, const std::vector<Registration>& extra_registrations) {
  CLI::App root{
      "declass — declassification and FOIA release review.\n"
      "Reads records, recognises classification markings paragraph by paragraph, recommends what may be\n"
      "released under a written policy, records reviewers' decisions, and writes signed release PDFs.\n"
      "Exit codes: 0 ok, 1 usage, 2 error, 3 completed with findings/needs review, 4 verification failed.",
      "declass"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "declass 0.1.0");
  Dispatch d;
  if (const char* env_db = std::getenv("DECLASS_DB")) d.global.db = env_db;
  if (d.global.db.empty()) d.global.db = "declass.db";
  root.add_option("--log-level", d.global.log_level, "Operator log level on stderr: trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  root.add_option("--db", d.global.db, "Review store (SQLite file); default: $DECLASS_DB, else ./declass.db");

  register_inspect(root, d);
  register_report(root, d);
  register_batch(root, d);
  register_redact(root, d);
  register_release(root, d);
  register_verify(root, d);
  register_init(root, d);
  register_user(root, d);
  register_case(root, d);
  register_import(root, d);
  register_review(root, d);
  register_workflow(root, d);
  register_audit(root, d);
  register_recommend(root, d);
  register_policy(root, d);
  for (const auto& reg : extra_registrations) reg(root, d);

  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (auto* s : root.get_subcommands()) sub = s->get_name();
    std::cerr << "declass: " << e.what() << "\n"
              << "Run 'declass " << (sub.empty() ? "" : sub + " ") << "--help' for usage.\n";
    return exit_code::usage;
  }

  setup_logging(d.global.log_level);
  install_store_verify_hook();
  try {
    if (!d.action) {
      std::cerr << "declass: no command given. Run 'declass --help' for usage.\n";
      return exit_code::usage;
    }
    return d.action();
  } catch (const Error& e) {
    std::cerr << "declass: " << to_string(e.category()) << " error: " << e.what() << "\n";
    if (e.category() == ErrorCategory::usage) std::cerr << "Run 'declass --help' for usage.\n";
    return exit_code::for_error(e);
  } catch (const std::exception& e) {
    std::cerr << "declass: internal error: " << e.what() << "\n";
    return exit_code::error;
  }
}

}  // namespace declass::app
