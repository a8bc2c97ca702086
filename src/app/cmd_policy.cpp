// `declass policy check P` (validate, listing every error as file:line:col: message) and
// `declass policy explain P FILE --paragraph N` (every rule's verdict on one paragraph, and why).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/facts.hpp"
#include "app/inspect.hpp"
#include "app/options.hpp"
#include "app/recommend.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

int print_policy_errors(const rules::LoadResult& r, const std::string& path) {
  for (const auto& e : r.errors) std::cerr << e.str() << "\n";
  std::cerr << "declass: policy " << path << " has " << r.errors.size()
            << " error(s); fix them and run 'declass policy check " << path << "'.\n";
  return exit_code::error;
}

void register_policy(CLI::App& root, Dispatch& d) {
  auto* cmd = root.add_subcommand("policy", "Validate a policy or explain its verdicts on a paragraph");
  cmd->require_subcommand(1);

  struct CheckOpts {
    std::string policy;
    bool json = false;
  };
  auto c = std::make_shared<CheckOpts>();
  auto* check = cmd->add_subcommand("check", "Validate a policy (and its includes); list every error at once");
  check->add_option("policy", c->policy, "Policy file (TOML)")->required()->check(CLI::ExistingFile);
  check->add_flag("--json", c->json, "Print schema declass.policy-check/1 JSON");
  check->footer("Exit codes: 0 valid, 2 errors (each printed as file:line:col: message), 1 bad usage.");
  check->callback([c, &d] {
    d.action = [c] {
      auto r = rules::load_policy_file(c->policy);
      if (c->json) {
        Json errs = Json::array();
        for (const auto& e : r.errors)
          errs.push_back({{"file", e.where.file}, {"line", e.where.line}, {"column", e.where.column}, {"message", e.message}});
        Json j{{"schema", "declass.policy-check/1"}, {"policy", c->policy}, {"ok", r.ok()}, {"errors", errs}};
        if (r.ok()) {
          j["files"] = r.policy->files;
          Json rules = Json::array();
          for (const auto& rule : r.policy->rules)
            rules.push_back({{"id", rule.id}, {"action", rules::to_string(rule.action)}, {"priority", rule.priority},
                             {"file", rule.where.file}, {"line", rule.where.line}});
          j["rules"] = rules;
        }
        std::cout << j.dump() << "\n";
        return r.ok() ? exit_code::ok : exit_code::error;
      }
      if (!r.ok()) return print_policy_errors(r, c->policy);
      std::cout << "policy " << c->policy << ": OK, " << r.policy->rules.size() << " rules from "
                << r.policy->files.size() << " file(s), default action " << rules::to_string(r.policy->default_action)
                << "\n";
      for (const auto& rule : r.policy->rules)
        std::cout << "  " << rule.id << "  " << rules::to_string(rule.action) << "  priority " << rule.priority << "  ("
                  << rule.where.str() << ")\n";
      return exit_code::ok;
    };
  });

  struct ExplainOpts {
    std::string policy, file, review_date;
    int paragraph = 0;
    bool json = false;
  };
  auto x = std::make_shared<ExplainOpts>();
  auto* explain = cmd->add_subcommand("explain", "Show every rule's verdict on one paragraph of a record, and why");
  explain->add_option("policy", x->policy, "Policy file (TOML)")->required()->check(CLI::ExistingFile);
  explain->add_option("file", x->file, "Text record")->required()->check(CLI::ExistingFile);
  explain->add_option("--paragraph,-n", x->paragraph, "1-based paragraph index (as listed by recommend/inspect)")
      ->required()
      ->check(CLI::PositiveNumber);
  explain->add_option("--review-date", x->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  explain->add_flag("--json", x->json, "Print schema declass.policy-explain/1 JSON");
  explain->footer("Exit codes: 0 done, 2 policy errors or unreadable input, 1 bad usage (e.g. no such paragraph).");
  explain->callback([x, &d] {
    d.action = [x] {
      SystemClock clock;
      Date review = parse_review_date(x->review_date, clock);
      auto loaded = rules::load_policy_file(x->policy);
      if (!loaded.ok()) return print_policy_errors(loaded, x->policy);
      Inspection in = inspect_file(x->file, review);
      auto facts = document_facts(in.document, review);
      auto e = rules::explain_paragraph(*loaded.policy, facts, x->paragraph);
      if (x->json) {
        std::cout << explanation_json(e, x->file, x->paragraph).dump() << "\n";
      } else {
        for (const auto& p : facts.paragraphs)
          if (p.index == x->paragraph) std::cout << explanation_text(e, p);
      }
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
