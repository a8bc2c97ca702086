// `declass review show|decide|accept`: see a document's paragraphs with their recommendations and
// decisions; record a decision on a paragraph or span; accept every recommendation as decisions.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

// "A:B" → byte offsets; Error(usage) otherwise.
static std::pair<std::int64_t, std::int64_t> parse_range(const std::string& s) {
  auto colon = s.find(':');
  auto number = [&](const std::string& t) -> std::int64_t {
    if (t.empty() || t.size() > 12 || t.find_first_not_of("0123456789") != std::string::npos)
      throw Error(ErrorCategory::usage, "--range " + s, "expected A:B with byte offsets, e.g. --range 15:20");
    return std::stoll(t);
  };
  if (colon == std::string::npos) number("");
  return {number(s.substr(0, colon)), number(s.substr(colon + 1))};
}

void register_review(CLI::App& root, Dispatch& d) {
  auto* rv = root.add_subcommand("review", "Review a document: show, decide, accept recommendations");
  rv->require_subcommand(1);
  rv->fallthrough();

  struct ShowOpts {
    std::string doc;
    bool json = false;
  };
  auto s = std::make_shared<ShowOpts>();
  auto* show = rv->add_subcommand("show", "Show paragraphs (with text), recommendations, decisions and the effective result");
  show->add_option("doc", s->doc, "Document id (D1) or document number")->required();
  show->add_flag("--json", s->json, "Print schema declass.review/1 JSON");
  show->fallthrough();
  show->callback([s, &d] {
    d.action = [s, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      if (s->json)
        std::cout << ws.review_json(s->doc).dump() << "\n";
      else
        std::cout << ws.review_text(s->doc);
      return exit_code::ok;
    };
  });

  struct DecideOpts {
    std::string doc, span, range, action, reason, refer_to, as;
    int para = 0;
    std::vector<std::string> exemptions;
    bool json = false;
  };
  auto o = std::make_shared<DecideOpts>();
  auto* decide = rv->add_subcommand("decide", "Record a decision on a paragraph or a span of it");
  decide->add_option("doc", o->doc, "Document id (D1) or document number")->required();
  decide->add_option("--para", o->para, "Paragraph index (1-based, as in 'review show')")->required();
  auto* span = decide->add_option("--span", o->span, "Exact text of the span (must occur once in the paragraph)");
  auto* range = decide->add_option("--range", o->range, "Span as byte offsets A:B into the paragraph text");
  span->excludes(range);
  decide->add_option("--action", o->action, "release, redact (a span), withhold (the paragraph) or refer")
      ->required()
      ->check(CLI::IsMember({"release", "redact", "withhold", "refer"}));
  decide->add_option("--exemption", o->exemptions, "Exemption code(s), e.g. b1 1.4(d) (b)(6); repeat or comma-separate")
      ->delimiter(',');
  decide->add_option("--reason", o->reason, "Justification (required when withholding)");
  decide->add_option("--refer-to", o->refer_to, "Agency a referral goes to (required with --action refer)");
  decide->add_option("--as", o->as, "Acting reviewer or authority")->required();
  decide->add_flag("--json", o->json, "Print the recorded decision as JSON");
  decide->fallthrough();
  decide->footer("Withholding (redact/withhold) needs at least one --exemption and a --reason; a referral names --refer-to.\n"
                 "Exit codes: 0 recorded, 2 refused (wrong state, role, missing exemption ...), 1 usage.");
  decide->callback([o, span, range, &d] {
    d.action = [o, span, range, &d] {
      review::DecisionInput in;
      in.document = o->doc;
      in.paragraph = o->para;
      if (span->count() > 0) in.span_text = o->span;
      if (range->count() > 0) in.range = parse_range(o->range);
      in.action = o->action;
      in.exemptions = o->exemptions;
      in.justification = o->reason;
      if (!o->refer_to.empty()) in.refer_to = o->refer_to;
      in.actor = o->as;
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      auto rec = ws.workflow().decide(in);
      if (o->json) {
        Json j = review::to_json(rec);
        j["document"] = ws.workflow().require_document(o->doc).id;
        std::cout << j.dump() << "\n";
      } else {
        std::cout << "recorded decision " << rec.id << ": paragraph " << rec.paragraph << " " << rec.action
                  << (rec.follows_recommendation ? " (follows the recommendation)" : " (overrides the recommendation)") << "\n";
      }
      return exit_code::ok;
    };
  });

  struct AcceptOpts {
    std::string doc, as;
    bool json = false;
  };
  auto a = std::make_shared<AcceptOpts>();
  auto* accept = rv->add_subcommand("accept", "Accept every recommendation that is not 'release' as decisions (recorded as accepted)");
  accept->add_option("doc", a->doc, "Document id (D1) or document number")->required();
  accept->add_option("--as", a->as, "Acting reviewer or authority")->required();
  accept->add_flag("--json", a->json, "Print the recorded decisions as JSON");
  accept->fallthrough();
  accept->footer("Exit codes: 0 all recommendations recorded, 3 some paragraphs need a person's decision (listed), 2 refused.");
  accept->callback([a, &d] {
    d.action = [a, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      auto r = ws.workflow().accept(a->doc, a->as);
      if (a->json) {
        Json decs = Json::array();
        for (const auto& rec : r.recorded) decs.push_back(review::to_json(rec));
        std::cout << Json{{"document", ws.workflow().require_document(a->doc).id},
                          {"decisions", decs},
                          {"needs_decision", r.needs_decision}}
                         .dump()
                  << "\n";
      } else {
        std::cout << "recorded " << r.recorded.size() << " decisions from the recommendations\n";
        if (!r.needs_decision.empty()) {
          std::cout << "paragraphs needing a decision:";
          for (int p : r.needs_decision) std::cout << " " << p;
          std::cout << " (use 'declass review decide')\n";
        }
      }
      return r.needs_decision.empty() ? exit_code::ok : exit_code::needs_review;
    };
  });
}

}  // namespace declass::app
