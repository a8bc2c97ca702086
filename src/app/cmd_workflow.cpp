// `declass submit|approve|return DOC --as USER`: move a document through review. Only authorities
// approve or return; an authority who made a decision on the document cannot approve it.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

namespace {
struct Opts {
  std::string doc, as, comment;
  bool json = false;
};

void print_status(Workspace& ws, const std::string& doc, bool json, const char* verb) {
  auto rec = ws.workflow().require_document(doc);
  if (json)
    std::cout << review::document_summary_json(rec).dump() << "\n";
  else
    std::cout << verb << " " << rec.id << " (" << rec.doc_no << "): now " << rec.status << "\n";
}

CLI::App* add(CLI::App& root, const char* name, const char* help, const std::shared_ptr<Opts>& o) {
  auto* cmd = root.add_subcommand(name, help);
  cmd->add_option("doc", o->doc, "Document id (D1) or document number")->required();
  cmd->add_option("--as", o->as, "Acting user")->required();
  cmd->add_flag("--json", o->json, "Print the document's new state as JSON");
  cmd->fallthrough();
  cmd->footer("Exit codes: 0 done, 2 refused (illegal transition, role, separation of duties), 1 usage.");
  return cmd;
}
}  // namespace

void register_workflow(CLI::App& root, Dispatch& d) {
  auto s = std::make_shared<Opts>();
  add(root, "submit", "Submit a reviewed document for approval (reviewer or authority)", s)->callback([s, &d] {
    d.action = [s, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      ws.workflow().submit(s->doc, s->as);
      print_status(ws, s->doc, s->json, "submitted");
      return exit_code::ok;
    };
  });
  auto a = std::make_shared<Opts>();
  add(root, "approve", "Approve a submitted document (an authority who made none of its decisions)", a)->callback([a, &d] {
    d.action = [a, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      ws.workflow().approve(a->doc, a->as);
      print_status(ws, a->doc, a->json, "approved");
      return exit_code::ok;
    };
  });
  auto r = std::make_shared<Opts>();
  auto* ret = add(root, "return", "Return a submitted document to review with a comment (authority)", r);
  ret->add_option("--comment", r->comment, "Why it goes back")->required();
  ret->callback([r, &d] {
    d.action = [r, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      ws.workflow().return_document(r->doc, r->as, r->comment);
      print_status(ws, r->doc, r->json, "returned");
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
