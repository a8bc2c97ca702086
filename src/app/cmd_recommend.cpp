// `declass recommend FILE... --policy P [--review-date D] [--json]`: per paragraph the action,
// spans, exemptions, rules fired/overridden and explanation; per document the disposition and
// stamp codes. Exit 0 ok, 3 some paragraph flagged for human review, 2 bad policy/input, 1 usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/options.hpp"
#include "app/recommend.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

int print_policy_errors(const rules::LoadResult& r, const std::string& path);  // cmd_policy.cpp

void register_recommend(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::vector<std::string> files;
    std::string policy;
    std::string review_date;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("recommend", "Recommend per paragraph what may be released under a policy");
  cmd->add_option("files", o->files, "Text records to review (UTF-8 or Latin-1 .txt)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--policy,-p", o->policy, "Policy file (TOML), e.g. policies/default.toml")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--review-date", o->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  cmd->add_flag("--json", o->json, "Print schema declass.recommend/1 JSON (JSON Lines: one object per file)");
  cmd->footer(
      "Output per paragraph: action (release, redact_span, redact_paragraph, flag, refer, withhold_document),\n"
      "spans with byte offsets into the paragraph text and the source, exemption codes, the rules that fired and\n"
      "those they overrode, and an explanation. Per document: RELEASE IN FULL / RELEASE IN PART / DENIED IN FULL /\n"
      "REFER and the stamp code list (\"B1, 1.4(D), B6\"). Precedence: see policies/README.md.\n"
      "Exit codes: 0 done, 3 some paragraph needs human review (flag), 2 policy errors (all listed) or unreadable\n"
      "input, 1 bad usage.");
  cmd->callback([o, &d] {
    d.action = [o] {
      SystemClock clock;
      Date review = parse_review_date(o->review_date, clock);
      auto loaded = rules::load_policy_file(o->policy);
      if (!loaded.ok()) return print_policy_errors(loaded, o->policy);
      const rules::Policy& policy = *loaded.policy;
      int rc = exit_code::ok;
      for (const auto& f : o->files) {
        try {
          DocumentRecommendation r = recommend_file(f, policy, review);
          if (o->json) std::cout << recommendation_json(r).dump() << "\n";
          else std::cout << recommendation_text(r) << (o->files.size() > 1 ? "\n" : "");
          if (r.result.needs_review && rc == exit_code::ok) rc = exit_code::needs_review;
        } catch (const Error& e) {
          if (e.category() != ErrorCategory::input) throw;
          std::cerr << "declass: input error: " << e.what() << "\n";
          if (o->json)
            std::cout << Json{{"schema", "declass.recommend/1"}, {"source", {{"path", f}}}, {"error", e.message()}}.dump()
                      << "\n";
          rc = exit_code::error;
        }
      }
      return rc;
    };
  });
}

}  // namespace declass::app
