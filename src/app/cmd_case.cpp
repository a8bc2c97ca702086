// `declass case create|list|show`: FOIA / declassification cases (request number, requester,
// received date, policy, due date = 20 working days later, status) and their documents.
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

void register_case(CLI::App& root, Dispatch& d) {
  auto* cs = root.add_subcommand("case", "Create, list and show review cases");
  cs->require_subcommand(1);
  cs->fallthrough();

  struct CreateOpts {
    std::string id, requester, received, policy, as;
    bool json = false;
  };
  auto c = std::make_shared<CreateOpts>();
  auto* create = cs->add_subcommand("create", "Open a case (due date: 20 working days after receipt)");
  create->add_option("id", c->id, "Request number, e.g. F-2017-13804")->required();
  create->add_option("--requester", c->requester, "Who asked")->required();
  create->add_option("--received", c->received, "Date received, YYYY-MM-DD (default: today)");
  create->add_option("--policy", c->policy, "Release policy (TOML) used to recommend on every import")->required();
  create->add_option("--as", c->as, "Acting user (recorded in the audit trail)");
  create->add_flag("--json", c->json, "Print the case as JSON");
  create->fallthrough();
  create->callback([c, &d] {
    d.action = [c, &d] {
      SystemClock clock;
      Date received = parse_review_date(c->received, clock, "--received");
      Workspace ws(d.global.db, clock);
      auto rec = ws.create_case(c->id, c->requester, received, c->policy, c->as);
      if (c->json)
        std::cout << review::case_json(rec).dump() << "\n";
      else
        std::cout << "created case " << rec.id << " (received " << rec.received << ", due " << rec.due << ")\n";
      return exit_code::ok;
    };
  });

  auto lj = std::make_shared<bool>(false);
  auto* list = cs->add_subcommand("list", "List cases");
  list->add_flag("--json", *lj, "Print JSON");
  list->fallthrough();
  list->callback([lj, &d] {
    d.action = [lj, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      Json arr = Json::array();
      for (const auto& rec : ws.store().list_cases()) {
        auto docs = ws.store().list_documents(rec.id);
        Json j = review::case_json(rec);
        j["documents"] = docs.size();
        if (*lj)
          arr.push_back(j);
        else
          std::cout << rec.id << "\t" << rec.status << "\treceived " << rec.received << "\tdue " << rec.due << "\t"
                    << docs.size() << " documents\t" << rec.requester << "\n";
      }
      if (*lj) std::cout << Json{{"cases", arr}}.dump() << "\n";
      return exit_code::ok;
    };
  });

  struct ShowOpts {
    std::string id;
    bool json = false;
  };
  auto s = std::make_shared<ShowOpts>();
  auto* show = cs->add_subcommand("show", "Show a case and its documents");
  show->add_option("id", s->id, "Request number")->required();
  show->add_flag("--json", s->json, "Print JSON");
  show->fallthrough();
  show->callback([s, &d] {
    d.action = [s, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      Json j = ws.case_show_json(s->id);
      if (s->json) {
        std::cout << j.dump() << "\n";
      } else {
        std::cout << j["id"].get<std::string>() << "  " << j["status"].get<std::string>() << "  requester "
                  << j["requester"].get<std::string>() << "  received " << j["received"].get<std::string>() << "  due "
                  << j["due"].get<std::string>() << "\n";
        for (const auto& doc : j["documents"])
          std::cout << "  " << doc["id"].get<std::string>() << "\t" << doc["doc_no"].get<std::string>() << "\t"
                    << doc["status"].get<std::string>() << "\t" << doc["source_name"].get<std::string>() << "\n";
      }
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
