// Library side of `declass recommend` / `declass policy` (see recommend.hpp): policy loading with
// all errors, facts from the inspected document, evaluation, span → source byte ranges, and
// the declass.recommend/1 JSON and text renderings.
#include "app/recommend.hpp"

#include <sstream>

#include "app/facts.hpp"
#include "app/inspect.hpp"
#include "core/error.hpp"
#include "markings/grammar.hpp"

namespace declass::app {

rules::Policy load_policy_checked(const std::string& path) {
  auto r = rules::load_policy_file(path);
  if (r.ok()) return std::move(*r.policy);
  std::string msg = std::to_string(r.errors.size()) + " error(s) in policy " + path + ":";
  for (const auto& e : r.errors) msg += "\n" + e.str();
  throw Error(ErrorCategory::policy, path, msg);
}

DocumentRecommendation recommend_document(const ingest::Document& doc, const std::string& sha256,
                                          const rules::Policy& policy, const Date& review_date) {
  DocumentRecommendation out;
  out.path = doc.path;
  out.sha256 = sha256;
  out.policy_path = policy.path;
  out.policy_rules = policy.rules.size();
  out.review_date = review_date;
  out.result = rules::recommend(policy, document_facts(doc, review_date));
  for (const auto& pr : out.result.paragraphs) {
    std::vector<std::vector<ByteRange>> spans;
    const ingest::Paragraph* para = nullptr;
    for (const auto& p : doc.paragraphs)
      if (p.index == pr.index) para = &p;
    for (const auto& s : pr.spans) spans.push_back(para ? para->source_ranges(s.begin, s.end) : std::vector<ByteRange>{});
    out.span_sources.push_back(std::move(spans));
  }
  return out;
}

DocumentRecommendation recommend_file(const std::string& path, const rules::Policy& policy, const Date& review_date) {
  Inspection in = inspect_file(path, review_date);
  return recommend_document(in.document, in.sha256, policy, review_date);
}

Json recommendation_json(const DocumentRecommendation& r) {
  Json j;
  j["schema"] = "declass.recommend/1";
  j["source"] = {{"path", r.path}, {"sha256", r.sha256}};
  j["policy"] = {{"path", r.policy_path}, {"rules", r.policy_rules}};
  j["review_date"] = r.review_date.iso();
  j["disposition"] = r.result.disposition;
  j["stamp_codes"] = r.result.stamp_codes;
  j["exemptions"] = r.result.exemptions;
  j["needs_review"] = r.result.needs_review;
  Json refs = Json::array();
  for (const auto& ref : r.result.referrals) refs.push_back({{"agency", ref.agency}, {"paragraphs", ref.paragraphs}});
  j["referrals"] = refs;
  Json paras = Json::array();
  for (std::size_t i = 0; i < r.result.paragraphs.size(); ++i) {
    const auto& p = r.result.paragraphs[i];
    Json spans = Json::array();
    for (std::size_t k = 0; k < p.spans.size(); ++k) {
      const auto& s = p.spans[k];
      Json src = Json::array();
      if (i < r.span_sources.size() && k < r.span_sources[i].size())
        for (auto [b, e] : r.span_sources[i][k]) src.push_back(Json::array({b, e}));
      spans.push_back({{"begin", s.begin}, {"end", s.end}, {"text", s.text}, {"source", src},
                       {"exemptions", s.exemptions}, {"rule", s.rule}});
    }
    paras.push_back({{"index", p.index},
                     {"number", p.number},
                     {"action", rules::to_string(p.action)},
                     {"exemptions", p.exemptions},
                     {"spans", spans},
                     {"rules_fired", p.rules_fired},
                     {"rules_overridden", p.rules_overridden},
                     {"explanation", p.explanation},
                     {"refer_to", p.refer_to}});
  }
  j["paragraphs"] = paras;
  return j;
}

namespace {
std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}
std::string label(int index, const std::string& number) {
  return "paragraph " + std::to_string(index) + (number.empty() ? "" : " (no. " + number + ")");
}
}  // namespace

std::string recommendation_text(const DocumentRecommendation& r) {
  std::ostringstream o;
  o << r.path << "\n";
  o << "  policy " << r.policy_path << " (" << r.policy_rules << " rules), review date " << r.review_date.iso() << "\n";
  o << "  disposition: " << r.result.disposition;
  if (!r.result.stamp_codes.empty()) o << " " << r.result.stamp_codes;
  o << (r.result.needs_review ? "  [needs human review: flagged paragraphs]" : "") << "\n";
  for (const auto& ref : r.result.referrals) {
    o << "  refer to " << ref.agency << ": paragraphs";
    for (int p : ref.paragraphs) o << " " << p;
    o << "\n";
  }
  for (const auto& p : r.result.paragraphs) {
    o << "  " << label(p.index, p.number) << ": " << rules::to_string(p.action);
    if (!p.exemptions.empty()) o << " " << markings::stamp_code_list(p.exemptions);
    if (!p.refer_to.empty()) o << " -> " << p.refer_to;
    o << "\n";
    for (const auto& s : p.spans)
      o << "      span [" << s.begin << "," << s.end << ") \"" << s.text << "\" " << markings::stamp_code_list(s.exemptions)
        << " (" << s.rule << ")\n";
    o << "      rules fired: " << (p.rules_fired.empty() ? "none" : join(p.rules_fired));
    if (!p.rules_overridden.empty()) o << "; overridden: " << join(p.rules_overridden);
    o << "\n      " << p.explanation << "\n";
  }
  return o.str();
}

Json explanation_json(const rules::ParagraphExplanation& e, const std::string& path, int index) {
  Json verdicts = Json::array();
  for (const auto& v : e.verdicts)
    verdicts.push_back({{"rule", v.rule},
                        {"priority", v.priority},
                        {"action", rules::to_string(v.action)},
                        {"fired", v.fired},
                        {"outcome", v.outcome},
                        {"checks", v.reasons},
                        {"explanation", v.explanation}});
  const auto& p = e.result;
  return Json{{"schema", "declass.policy-explain/1"},
              {"source", {{"path", path}}},
              {"paragraph", index},
              {"result",
               {{"action", rules::to_string(p.action)},
                {"exemptions", p.exemptions},
                {"rules_fired", p.rules_fired},
                {"rules_overridden", p.rules_overridden},
                {"explanation", p.explanation},
                {"refer_to", p.refer_to}}},
              {"rules", verdicts}};
}

std::string explanation_text(const rules::ParagraphExplanation& e, const rules::ParagraphFacts& para) {
  std::ostringstream o;
  o << label(para.index, para.number) << ", zone " << para.zone << ", portion "
    << (para.classification ? *para.classification : std::string("unmarked")) << "\n";
  o << "result: " << rules::to_string(e.result.action);
  if (!e.result.exemptions.empty()) o << " " << markings::stamp_code_list(e.result.exemptions);
  o << "\n  " << e.result.explanation << "\n\n";
  for (const auto& v : e.verdicts) {
    o << v.rule << " [" << rules::to_string(v.action) << ", priority " << v.priority << "]: " << v.outcome << "\n";
    for (const auto& c : v.reasons) o << "    " << c << "\n";
    if (v.fired) o << "    => " << v.explanation << "\n";
  }
  return o.str();
}

}  // namespace declass::app
