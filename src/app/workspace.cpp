// Review workspace (see workspace.hpp): store opening, import through inspect + recommend,
// and the JSON/text views used by the review, case and audit commands.
#include "app/workspace.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "app/inspect.hpp"
#include "app/recommend.hpp"
#include "core/error.hpp"
#include "core/io.hpp"

namespace declass::app {

int busy_timeout_from_env() {
  if (const char* v = std::getenv("DECLASS_BUSY_TIMEOUT_MS")) {
    char* end = nullptr;
    long ms = std::strtol(v, &end, 10);
    if (end && *end == '\0' && end != v && ms >= 0 && ms <= 600000) return static_cast<int>(ms);
  }
  return 5000;
}

static std::unique_ptr<store::Store> open_store(const std::string& db, const Clock& clock, bool create) {
  store::OpenOptions o;
  o.create = create;
  o.busy_timeout_ms = busy_timeout_from_env();
  return store::Store::open(db, clock, o);
}

Workspace::Workspace(const std::string& db_path, const Clock& clock, bool create)
    : m_clock(clock), m_store(open_store(db_path, clock, create)), m_workflow(*m_store) {}

std::string doc_no_from_path(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  std::string out;
  for (char ch : stem) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
    out += ok ? ch : '-';
  }
  if (out.size() > 64) out.resize(64);
  if (out.empty()) out = "document";
  return out;
}

store::CaseRecord Workspace::create_case(const std::string& id, const std::string& requester, const Date& received,
                                         const std::string& policy_path, const std::string& actor) {
  std::string text = io::read_file(policy_path, 4u * 1024u * 1024u);
  load_policy_checked(policy_path);  // refuse a case with an invalid policy now, not at import
  std::error_code ec;
  std::string abs = std::filesystem::absolute(policy_path, ec).lexically_normal().string();
  return m_workflow.create_case(id, requester, received, ec ? policy_path : abs, text, actor);
}

store::DocumentRecord Workspace::import_file(const std::string& case_id, const std::string& path, const std::string& doc_no,
                                             const std::string& actor, const Date& review_date) {
  auto c = m_store->find_case(case_id);
  if (!c) throw Error(ErrorCategory::usage, case_id, "no such case; create it with 'declass case create " + case_id + " ...'");
  if (!c->policy_path) throw Error(ErrorCategory::policy, case_id, "the case has no policy; recreate it with --policy FILE");
  rules::Policy policy = load_policy_checked(*c->policy_path);
  review::DocumentInput input = prepare_import(case_id, path, io::read_file(path, ingest::max_document_bytes), doc_no, policy,
                                                 review_date);
  return m_workflow.import_document(input, actor);
}

review::DocumentInput prepare_import(const std::string& case_id, const std::string& path, std::string bytes,
                                     const std::string& doc_no, const rules::Policy& policy, const Date& review_date) {
  Inspection in = inspect_bytes(bytes, path, review_date);
  DocumentRecommendation rec = recommend_document(in.document, in.sha256, policy, review_date);
  review::DocumentInput input;
  input.case_id = case_id;
  input.doc_no = doc_no.empty() ? doc_no_from_path(path) : doc_no;
  input.source_name = std::filesystem::path(path).filename().string();
  input.source_bytes = std::move(bytes);
  for (const auto& p : in.document.paragraphs) {
    store::ParagraphRecord pr;
    pr.index = static_cast<int>(input.paragraphs.size()) + 1;
    pr.number = p.number;
    pr.text = p.text;
    input.paragraphs.push_back(std::move(pr));
  }
  input.inspect = inspect_json(in, review_date);
  input.recommend = recommendation_json(rec);
  return input;
}

Json Workspace::case_show_json(const std::string& case_id) {
  auto c = m_store->find_case(case_id);
  if (!c) throw Error(ErrorCategory::usage, case_id, "no such case; list cases with 'declass case list'");
  Json j = review::case_json(*c);
  Json docs = Json::array();
  for (const auto& d : m_store->list_documents(case_id)) docs.push_back(review::document_summary_json(d));
  j["documents"] = std::move(docs);
  return j;
}

Json Workspace::review_json(const std::string& document) {
  review::DocumentView v = m_workflow.view(document);
  Json j;
  j["schema"] = "declass.review/1";
  j["document"] = review::document_summary_json(v.document);
  Json recommend = Json::parse(v.document.recommend_json, nullptr, false);
  if (recommend.is_object()) {
    j["disposition"] = recommend.value("disposition", Json(nullptr));
    j["stamp_codes"] = recommend.value("stamp_codes", Json(nullptr));
  }
  Json paras = Json::array();
  for (std::size_t i = 0; i < v.paragraphs.size(); ++i) {
    const auto& p = v.paragraphs[i];
    Json jp{{"index", p.index}, {"number", p.number}, {"text", p.text}};
    Json rec = nullptr;
    for (const auto& r : v.recommendations)
      if (r.index == p.index) {
        Json spans = Json::array();
        for (const auto& s : r.spans)
          spans.push_back({{"begin", s.begin}, {"end", s.end}, {"exemptions", s.exemptions}, {"rule", s.rule}});
        rec = {{"action", r.action},
               {"policy_action", r.policy_action},
               {"exemptions", r.exemptions},
               {"spans", std::move(spans)},
               {"refer_to", r.refer_to},
               {"rules_fired", r.rules_fired},
               {"explanation", r.explanation}};
      }
    jp["recommendation"] = std::move(rec);
    Json decs = Json::array();
    for (const auto& d : v.decisions)
      if (d.paragraph == p.index) decs.push_back(review::to_json(d));
    jp["decisions"] = std::move(decs);
    if (i < v.effective.size()) jp["effective"] = review::to_json(v.effective[i]);
    paras.push_back(std::move(jp));
  }
  j["paragraphs"] = std::move(paras);
  Json approvals = Json::array();
  for (const auto& a : v.approvals) approvals.push_back(review::to_json(a));
  j["approvals"] = std::move(approvals);
  Json releases = Json::array();
  for (const auto& r : v.releases) releases.push_back(review::to_json(r));
  j["releases"] = std::move(releases);
  return j;
}

static std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string Workspace::review_text(const std::string& document) {
  review::DocumentView v = m_workflow.view(document);
  std::ostringstream o;
  const auto& d = v.document;
  o << d.id << "  " << d.doc_no << "  case " << d.case_id << "  status " << d.status << "\n"
    << "source " << d.source_name << "  sha256 " << d.source_sha256 << "  " << d.source_size << " bytes\n";
  for (std::size_t i = 0; i < v.paragraphs.size(); ++i) {
    const auto& p = v.paragraphs[i];
    o << "\n¶" << p.index << (p.number.empty() ? "" : " [" + p.number + "]") << "  ";
    const review::ParagraphRecommendation* rec = nullptr;
    for (const auto& r : v.recommendations)
      if (r.index == p.index) rec = &r;
    if (rec) {
      o << "recommended: " << rec->action;
      if (!rec->exemptions.empty()) o << " " << join(rec->exemptions);
      if (!rec->refer_to.empty()) o << " to " << rec->refer_to;
      for (const auto& s : rec->spans) o << " [" << s.begin << ":" << s.end << "]";
      if (!rec->rules_fired.empty()) o << " (" << join(rec->rules_fired) << ")";
    } else {
      o << "recommended: -";
    }
    if (i < v.effective.size()) {
      const auto& e = v.effective[i];
      o << "  → " << e.action;
      if (!e.exemptions.empty()) o << " " << join(e.exemptions);
      if (e.refer_to) o << " to " << *e.refer_to;
      for (const auto& s : e.spans) o << " [" << s.begin << ":" << s.end << "]";
      if (e.implicit) o << " (no decision needed)";
    }
    o << "\n    " << p.text << "\n";
    for (const auto& dec : v.decisions)
      if (dec.paragraph == p.index)
        o << "    decision " << dec.id << ": " << dec.action
          << (dec.span_begin ? " [" + std::to_string(*dec.span_begin) + ":" + std::to_string(dec.span_end.value_or(0)) + "]" : "")
          << (dec.exemptions.empty() ? "" : " " + join(dec.exemptions)) << " by " << dec.reviewer << " at " << dec.decided_at
          << (dec.follows_recommendation ? " (follows recommendation)" : " (overrides recommendation)")
          << (dec.basis == "accepted" ? " [accepted]" : "") << "\n";
  }
  for (const auto& a : v.approvals)
    o << "\n" << a.outcome << " by " << a.authority << " at " << a.decided_at << (a.comment ? ": " + *a.comment : "") << "\n";
  return o.str();
}

Json Workspace::audit_log_json(const std::string& case_id) {
  Json events = Json::array();
  for (const auto& e : m_store->list_events(case_id)) events.push_back(review::to_json(e));
  return Json{{"schema", "declass.audit-log/1"}, {"case", case_id.empty() ? Json(nullptr) : Json(case_id)}, {"events", events}};
}

std::string Workspace::audit_log_text(const std::string& case_id) {
  std::ostringstream o;
  for (const auto& e : m_store->list_events(case_id))
    o << "#" << e.seq << "  " << e.at << "  " << e.actor << " (" << e.role << ")  " << e.action << "  " << e.subject << "  "
      << e.hash.substr(0, 16) << "\n";
  return o.str();
}

}  // namespace declass::app
