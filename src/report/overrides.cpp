// Overrides report (see reports.hpp): decisions recorded as departing from the stored policy
// recommendation, attributed to the reviewer and to the rules that fired, with override rates per
// reviewer and a stable QA sample (ordered by the decision's audit hash, so reruns pick the same ones).
#include <algorithm>
#include <cstdio>

#include "report/exemption_meanings.hpp"
#include "report/reports.hpp"

namespace declass::report {

OverridesReport build_overrides(store::Store& store, const OverridesOptions& o, const Clock& clock) {
  store::ReportReader reader(store);
  Snapshot snap = load_snapshot(reader, o.case_id);
  OverridesReport r;
  r.options = o;
  r.generated_at = clock.now_iso();
  std::vector<OverrideEntry> all;
  for (const auto& d : snap.documents) {
    for (const auto& x : d.decisions) {
      ++r.decisions;
      ++r.by_reviewer[x.reviewer].second;
      if (x.follows_recommendation) continue;
      ++r.overrides;
      ++r.by_reviewer[x.reviewer].first;
      OverrideEntry e;
      e.decision_id = x.id;
      e.document_id = d.doc.id;
      e.doc_no = d.doc.doc_no;
      e.case_id = d.doc.case_id;
      e.paragraph = x.paragraph;
      if (x.span_begin && x.span_end) e.span = std::make_pair(*x.span_begin, *x.span_end);
      e.action = x.action;
      for (const auto& c : x.exemptions) e.codes.push_back(canonical_code(c));
      e.recommended_action = "release";
      for (const auto& rec : d.recommendations) {
        if (rec.index != x.paragraph) continue;
        e.recommended_action = rec.action;
        e.recommended_codes = rec.exemptions;
        e.rules = rec.rules_fired;
        if (x.span_begin)
          for (const auto& sp : rec.spans)
            if (sp.begin == *x.span_begin && !sp.rule.empty()) e.rules = {sp.rule};
      }
      if (e.rules.empty()) e.rules = {"(default)"};
      for (const auto& rule : e.rules) ++r.by_rule[rule];
      e.reviewer = x.reviewer;
      e.decided_at = x.decided_at;
      e.audit_hash = x.audit_hash;
      // Quotes of text this decision (or the recommendation) withholds are masked.
      std::vector<std::string> withheld;
      if (x.paragraph >= 1 && x.paragraph <= static_cast<int>(d.paragraphs.size())) {
        const std::string& text = d.paragraphs[static_cast<std::size_t>(x.paragraph - 1)].text;
        bool para_withheld = false;
        for (const auto& eff : d.effective)
          if (eff.index == x.paragraph && eff.action != "release") para_withheld = true;
        if (para_withheld || (review::is_withholding(x.action) && !x.span_begin) || x.action == "refer" ||
            e.recommended_action == "withhold" || e.recommended_action == "refer" || e.recommended_action == "redact")
          withheld.push_back(text);
        if (x.span_text) withheld.push_back(*x.span_text);
      }
      e.justification = mask_withheld_quotes(x.justification, withheld);
      all.push_back(std::move(e));
    }
  }
  if (o.sample > 0 && all.size() > o.sample) {
    std::sort(all.begin(), all.end(), [](const OverrideEntry& a, const OverrideEntry& b) { return a.audit_hash < b.audit_hash; });
    all.resize(o.sample);
    std::sort(all.begin(), all.end(), [](const OverrideEntry& a, const OverrideEntry& b) { return a.decision_id < b.decision_id; });
  }
  r.entries = std::move(all);
  return r;
}

Json to_json(const OverridesReport& r) {
  Json j;
  j["schema"] = "declass.report.overrides/1";
  j["generated_at"] = r.generated_at;
  j["options"] = {{"case", r.options.case_id.empty() ? Json(nullptr) : Json(r.options.case_id)},
                  {"sample", r.options.sample ? Json(r.options.sample) : Json(nullptr)}};
  j["summary"] = {{"decisions", r.decisions}, {"overrides", r.overrides}, {"listed", r.entries.size()}};
  Json rv = Json::object();
  for (const auto& [name, v] : r.by_reviewer)
    rv[name] = {{"overrides", v.first}, {"decisions", v.second},
                {"rate", v.second ? static_cast<double>(v.first) / static_cast<double>(v.second) : 0.0}};
  j["by_reviewer"] = std::move(rv);
  j["by_rule"] = r.by_rule;
  Json es = Json::array();
  for (const auto& e : r.entries)
    es.push_back({{"decision", e.decision_id},
                  {"document", e.document_id},
                  {"doc_no", e.doc_no},
                  {"case", e.case_id},
                  {"paragraph", e.paragraph},
                  {"span", e.span ? Json{{"begin", e.span->first}, {"end", e.span->second}} : Json(nullptr)},
                  {"action", e.action},
                  {"codes", e.codes},
                  {"recommended_action", e.recommended_action},
                  {"recommended_codes", e.recommended_codes},
                  {"rules", e.rules},
                  {"reviewer", e.reviewer},
                  {"decided_at", e.decided_at},
                  {"justification", e.justification},
                  {"audit_hash", e.audit_hash}});
  j["entries"] = std::move(es);
  return j;
}

ReportDoc to_doc(const OverridesReport& r) {
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
  };
  ReportDoc d;
  d.schema = "declass.report.overrides/1";
  d.title = "Overrides of the policy recommendation" + (r.options.case_id.empty() ? std::string() : " - case " + r.options.case_id);
  d.facts = {{"Decisions", std::to_string(r.decisions)},
             {"Overrides", std::to_string(r.overrides)},
             {"Listed", std::to_string(r.entries.size()) + (r.options.sample ? " (stable sample)" : "")},
             {"Generated", r.generated_at}};
  d.notes = {"A decision overrides the policy when it does not do what the stored recommendation said (another action, "
             "other exemption codes, another span or agency). Use the list as a QA sample; quotations of withheld text in "
             "justifications are replaced by [withheld]."};
  Section s;
  s.heading = "By reviewer and by rule";
  Table t;
  t.columns = {"Reviewer", "Overrides", "Decisions", "Rate"};
  for (const auto& [name, v] : r.by_reviewer) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", v.second ? 100.0 * static_cast<double>(v.first) / static_cast<double>(v.second) : 0.0);
    t.rows.push_back({name, std::to_string(v.first), std::to_string(v.second), buf});
  }
  s.tables.push_back(std::move(t));
  Table rt;
  rt.columns = {"Rule", "Overrides"};
  for (const auto& [rule, n] : r.by_rule) rt.rows.push_back({rule, std::to_string(n)});
  s.tables.push_back(std::move(rt));
  d.sections.push_back(std::move(s));
  Section l;
  l.heading = "QA sample list";
  Table lt;
  lt.columns = {"Decision", "Case / document", "Para.", "Recommended", "Decided", "Rules", "Reviewer, date", "Justification"};
  for (const auto& e : r.entries) {
    std::string para = std::to_string(e.paragraph);
    if (e.span) para += " [" + std::to_string(e.span->first) + "," + std::to_string(e.span->second) + ")";
    lt.rows.push_back({std::to_string(e.decision_id), e.case_id + " " + e.document_id + " (" + e.doc_no + ")", para,
                       e.recommended_action + (e.recommended_codes.empty() ? "" : " " + join(e.recommended_codes)),
                       e.action + (e.codes.empty() ? "" : " " + join(e.codes)), join(e.rules),
                       e.reviewer + ", " + e.decided_at.substr(0, std::min<std::size_t>(10, e.decided_at.size())), e.justification});
  }
  l.tables.push_back(std::move(lt));
  d.sections.push_back(std::move(l));
  return d;
}

}  // namespace declass::report
