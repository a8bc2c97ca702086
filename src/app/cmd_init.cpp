// `declass init [--json]`: create (or confirm) the review store at --db / DECLASS_DB / ./declass.db:
// one SQLite file in WAL mode with the current schema and an empty audit chain.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

void register_init(CLI::App& root, Dispatch& d) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = root.add_subcommand("init", "Create the review store (SQLite) at --db, DECLASS_DB or ./declass.db");
  cmd->add_flag("--json", *json, "Print the result as JSON");
  cmd->fallthrough();
  cmd->footer("Running init on an existing declass store is harmless: it reports the store and changes nothing.\n"
              "Exit codes: 0 ok, 2 the file exists and is not a declass store (or cannot be created).");
  cmd->callback([json, &d] {
    d.action = [json, &d] {
      SystemClock clock;
      bool existed = std::filesystem::exists(d.global.db);
      Workspace ws(d.global.db, clock, true);
      Json j{{"db", d.global.db},
             {"created", !existed},
             {"schema_version", ws.store().user_version()},
             {"audit_events", ws.store().list_events().size()}};
      if (*json)
        std::cout << j.dump() << "\n";
      else
        std::cout << (existed ? "declass store already initialised: " : "created declass store: ") << d.global.db
                  << " (schema " << ws.store().user_version() << ")\n";
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
