// `declass audit verify|log`: recompute the tamper-evident audit chain (exit 4 naming the first
// broken link) and list audit events, optionally for one case.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

void register_audit(CLI::App& root, Dispatch& d) {
  auto* au = root.add_subcommand("audit", "Verify and list the audit trail");
  au->require_subcommand(1);
  au->fallthrough();

  auto vj = std::make_shared<bool>(false);
  auto* verify = au->add_subcommand("verify", "Recompute the whole audit chain and check the rows it records");
  verify->add_flag("--json", *vj, "Print the result as JSON");
  verify->fallthrough();
  verify->footer("Exit codes: 0 the chain is intact, 4 a link is broken (the first one is named), 2 the store cannot be read.");
  verify->callback([vj, &d] {
    d.action = [vj, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      std::string integrity = ws.store().quick_check();
      store::ChainReport r = ws.store().verify_chain();
      bool ok = r.ok && integrity == "ok";
      if (*vj) {
        std::cout << Json{{"ok", ok},
                          {"events", r.events},
                          {"head_hash", r.head_hash},
                          {"broken_seq", json_or_null(r.broken_seq)},
                          {"problem", r.ok ? Json(nullptr) : Json(r.problem)},
                          {"integrity", integrity}}
                         .dump()
                  << "\n";
      } else if (ok) {
        std::cout << "audit chain intact: " << r.events << " events, head " << r.head_hash << "\n";
      }
      if (!ok) {
        std::cerr << "declass: verification failed: " << d.global.db << ": "
                  << (r.ok ? "SQLite integrity check: " + integrity : r.problem) << "\n";
        return exit_code::verify_failed;
      }
      return exit_code::ok;
    };
  });

  struct LogOpts {
    std::string case_id;
    bool json = false;
  };
  auto l = std::make_shared<LogOpts>();
  auto* log = au->add_subcommand("log", "List audit events (oldest first)");
  log->add_option("--case", l->case_id, "Only events of this case");
  log->add_flag("--json", l->json, "Print schema declass.audit-log/1 JSON");
  log->fallthrough();
  log->callback([l, &d] {
    d.action = [l, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      if (l->json)
        std::cout << ws.audit_log_json(l->case_id).dump() << "\n";
      else
        std::cout << ws.audit_log_text(l->case_id);
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
