// Exemption and processing statistics in the shape of the DOJ Annual FOIA Report sections (see
// reports.hpp): documents citing each exemption ((b)(3) by statute, (b)(7) by sub-part), dispositions,
// work per reviewer and authority, and per-case processing time in federal working days against the
// 20-working-day limit. A document is processed on its release date, else on its approval date.
#include <algorithm>
#include <cstdio>
#include <set>

#include "report/exemption_meanings.hpp"
#include "report/reports.hpp"

namespace declass::report {

namespace {

std::optional<Date> date_of(const std::string& iso) {
  return iso.size() >= 10 ? Date::parse_iso(std::string_view(iso).substr(0, 10)) : std::nullopt;
}

bool in_range(const Date& d, const StatsOptions& o) { return (!o.from || d >= *o.from) && (!o.to || d <= *o.to); }

std::string fmt_days(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

ExemptionStats build_exemption_stats(store::Store& store, const StatsOptions& o, const Clock& clock) {
  store::ReportReader reader(store);
  Snapshot snap = load_snapshot(reader);
  ExemptionStats s;
  s.options = o;
  s.generated_at = clock.now_iso();
  for (const char* k : {"full", "part", "denied", "referred"}) s.by_disposition[k] = 0;

  std::map<std::string, std::vector<const DocumentData*>> by_case;
  for (const auto& d : snap.documents) by_case[d.doc.case_id].push_back(&d);

  for (const auto& d : snap.documents) {
    // The processing date: release, else approval; documents without one are pending.
    std::optional<Date> processed;
    if (!d.releases.empty()) processed = date_of(d.releases.back().released_at);
    if (!processed)
      for (auto it = d.approvals.rbegin(); it != d.approvals.rend(); ++it)
        if (it->outcome == "approve") {
          processed = date_of(it->decided_at);
          break;
        }
    std::string disp = statistics_disposition(d.effective);
    if (!processed || disp == "pending") {
      ++s.documents_pending;
      continue;
    }
    if (!in_range(*processed, o)) continue;
    ++s.documents_processed;
    ++s.by_disposition[disp];

    std::set<std::string> doc_codes;
    for (const auto& e : d.effective) {
      std::vector<std::vector<std::string>> withholdings;
      if (e.action == "withhold" || e.action == "refer") withholdings.push_back(e.exemptions);
      if (e.action == "redact")
        for (const auto& sp : e.spans) withholdings.push_back(sp.exemptions);
      for (const auto& codes : withholdings) {
        ++s.withholdings;
        std::set<std::string> seen;
        for (const auto& c : codes) seen.insert(canonical_code(c));
        for (const auto& c : seen) {
          ++s.by_exemption_withholdings[c];
          doc_codes.insert(c);
        }
      }
    }
    std::set<std::string> families, statutes, b7;
    for (const auto& c : doc_codes) {
      ++s.by_exemption_documents[c];
      std::string fam = exemption_family(c);
      families.insert(fam);
      if (fam == "(b)(3)") {
        std::string st = statute_of(c);
        statutes.insert(st.empty() ? "(not recorded)" : st);
      }
      if (fam == "(b)(7)") b7.insert(c);
    }
    for (const auto& f : families) ++s.by_family_documents[f];
    for (const auto& st : statutes) ++s.b3_by_statute[st];
    for (const auto& c : b7) ++s.b7_subparts[c];

    std::set<std::string> reviewers;
    for (const auto& x : d.decisions) {
      auto& r = s.by_reviewer[x.reviewer];
      ++r.decisions;
      if (review::is_withholding(x.action)) ++r.withholdings;
      if (x.action == "release") ++r.releases;
      if (x.action == "refer") ++r.referrals;
      if (!x.follows_recommendation) ++r.overrides;
      reviewers.insert(x.reviewer);
    }
    for (const auto& name : reviewers) ++s.by_reviewer[name].documents;
    for (const auto& a : d.approvals) {
      auto& r = s.by_authority[a.authority];
      if (a.outcome == "approve") ++r.approvals;
      else ++r.returns;
    }
    for (const auto& rel : d.releases) ++s.by_authority[rel.released_by].releases;
  }

  // Processing time per case: received → last release, once every document is released.
  const Date today = clock.today();
  std::vector<int> completed_days;
  for (const auto& c : snap.cases) {
    auto received = Date::parse_iso(c.received);
    if (!received) continue;
    CaseTiming t;
    t.case_id = c.id;
    t.received = c.received;
    const auto& docs = by_case[c.id];
    bool all_released = !docs.empty();
    std::optional<Date> last;
    for (const auto* d : docs) {
      if (d->releases.empty()) {
        all_released = false;
        break;
      }
      auto rd = date_of(d->releases.back().released_at);
      if (rd && (!last || *rd > *last)) last = rd;
    }
    if (all_released && last) {
      if (!in_range(*last, o)) continue;
      t.completed = last->iso();
      t.working_days = working_days_between(*received, *last);
      completed_days.push_back(t.working_days);
      ++s.cases_completed;
    } else {
      if (o.to && *received > *o.to) continue;
      t.working_days = working_days_between(*received, today);
      ++s.cases_pending;
    }
    t.over_limit = t.working_days > s.limit_working_days;
    if (t.over_limit) ++s.cases_over_limit;
    s.cases.push_back(std::move(t));
  }
  if (!completed_days.empty()) {
    std::sort(completed_days.begin(), completed_days.end());
    std::size_t n = completed_days.size();
    s.median_working_days = n % 2 ? completed_days[n / 2] : (completed_days[n / 2 - 1] + completed_days[n / 2]) / 2.0;
    double sum = 0;
    for (int v : completed_days) sum += v;
    s.average_working_days = sum / static_cast<double>(n);
  }
  return s;
}

Json to_json(const ExemptionStats& s) {
  Json j;
  j["schema"] = "declass.report.exemptions/1";
  j["generated_at"] = s.generated_at;
  j["period"] = {{"from", s.options.from ? Json(s.options.from->iso()) : Json(nullptr)},
                 {"to", s.options.to ? Json(s.options.to->iso()) : Json(nullptr)}};
  j["documents"] = {{"processed", s.documents_processed}, {"pending", s.documents_pending}, {"withholdings", s.withholdings}};
  j["by_disposition"] = s.by_disposition;
  Json ex = Json::array();
  for (const auto& [code, n] : s.by_exemption_documents)
    ex.push_back({{"code", code},
                  {"family", exemption_family(code)},
                  {"documents", n},
                  {"withholdings", s.by_exemption_withholdings.count(code) ? s.by_exemption_withholdings.at(code) : 0},
                  {"meaning", exemption_meaning(code)}});
  j["by_exemption"] = std::move(ex);
  j["by_family"] = s.by_family_documents;
  j["b3_by_statute"] = s.b3_by_statute;
  j["b7_subparts"] = s.b7_subparts;
  Json rv = Json::object();
  for (const auto& [name, r] : s.by_reviewer)
    rv[name] = {{"documents", r.documents}, {"decisions", r.decisions}, {"withholdings", r.withholdings},
                {"releases", r.releases},   {"referrals", r.referrals}, {"overrides", r.overrides}};
  j["by_reviewer"] = std::move(rv);
  Json au = Json::object();
  for (const auto& [name, a] : s.by_authority) au[name] = {{"approvals", a.approvals}, {"returns", a.returns}, {"releases", a.releases}};
  j["by_authority"] = std::move(au);
  Json cases = Json::array();
  for (const auto& t : s.cases)
    cases.push_back({{"case", t.case_id},
                     {"received", t.received},
                     {"completed", t.completed.empty() ? Json(nullptr) : Json(t.completed)},
                     {"working_days", t.working_days},
                     {"over_limit", t.over_limit}});
  j["processing"] = {{"limit_working_days", s.limit_working_days},
                     {"cases_completed", s.cases_completed},
                     {"cases_pending", s.cases_pending},
                     {"cases_over_limit", s.cases_over_limit},
                     {"median_working_days", s.median_working_days},
                     {"average_working_days", s.average_working_days},
                     {"cases", std::move(cases)}};
  return j;
}

ReportDoc to_doc(const ExemptionStats& s) {
  ReportDoc r;
  r.schema = "declass.report.exemptions/1";
  r.title = "Exemption and processing statistics";
  r.facts = {{"Period", (s.options.from ? s.options.from->iso() : std::string("(start)")) + " to " +
                            (s.options.to ? s.options.to->iso() : std::string("(today)"))},
             {"Documents processed", std::to_string(s.documents_processed)},
             {"Documents pending", std::to_string(s.documents_pending)},
             {"Withholdings", std::to_string(s.withholdings)},
             {"Generated", s.generated_at}};
  r.notes = {"A document counts as processed on its release date, or on its approval date when it is approved but not "
             "yet released. Exemption counts are numbers of documents citing the exemption at least once (as in the DOJ "
             "Annual FOIA Report), with the number of individual withholdings alongside."};
  {
    Section sec;
    sec.heading = "Dispositions";
    Table t;
    t.columns = {"Disposition", "Documents"};
    const std::pair<const char*, const char*> names[] = {
        {"full", "Released in full"}, {"part", "Released in part"}, {"denied", "Denied in full"}, {"referred", "Referred"}};
    for (const auto& [k, label] : names)
      t.rows.push_back({label, std::to_string(s.by_disposition.count(k) ? s.by_disposition.at(k) : 0)});
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }
  {
    Section sec;
    sec.heading = "Exemptions cited";
    Table t;
    t.columns = {"Code", "Documents", "Withholdings", "Meaning"};
    for (const auto& [code, n] : s.by_exemption_documents)
      t.rows.push_back({code, std::to_string(n),
                        std::to_string(s.by_exemption_withholdings.count(code) ? s.by_exemption_withholdings.at(code) : 0),
                        exemption_meaning(code)});
    sec.tables.push_back(std::move(t));
    Table f;
    f.caption = "By exemption (documents)";
    f.columns = {"Exemption", "Documents"};
    for (const auto& [k, n] : s.by_family_documents) f.rows.push_back({k, std::to_string(n)});
    sec.tables.push_back(std::move(f));
    Table b3;
    b3.caption = "(b)(3) by statute";
    b3.columns = {"Statute", "Documents"};
    for (const auto& [k, n] : s.b3_by_statute) b3.rows.push_back({k, std::to_string(n)});
    sec.tables.push_back(std::move(b3));
    Table b7;
    b7.caption = "(b)(7) by sub-part";
    b7.columns = {"Sub-part", "Documents"};
    for (const auto& [k, n] : s.b7_subparts) b7.rows.push_back({k, std::to_string(n)});
    sec.tables.push_back(std::move(b7));
    r.sections.push_back(std::move(sec));
  }
  {
    Section sec;
    sec.heading = "Reviewers and authorities";
    Table t;
    t.columns = {"Reviewer", "Documents", "Decisions", "Withholdings", "Releases", "Referrals", "Overrides"};
    for (const auto& [name, v] : s.by_reviewer)
      t.rows.push_back({name, std::to_string(v.documents), std::to_string(v.decisions), std::to_string(v.withholdings),
                        std::to_string(v.releases), std::to_string(v.referrals), std::to_string(v.overrides)});
    sec.tables.push_back(std::move(t));
    Table a;
    a.columns = {"Authority", "Approvals", "Returns", "Releases"};
    for (const auto& [name, v] : s.by_authority)
      a.rows.push_back({name, std::to_string(v.approvals), std::to_string(v.returns), std::to_string(v.releases)});
    sec.tables.push_back(std::move(a));
    r.sections.push_back(std::move(sec));
  }
  {
    Section sec;
    sec.heading = "Processing time";
    sec.notes.push_back("Working days (Monday to Friday, excluding federal holidays) from receipt to the release of the "
                        "case's last document; pending cases are counted to today. Limit: " +
                        std::to_string(s.limit_working_days) + " working days. Completed cases: " +
                        std::to_string(s.cases_completed) + ", median " + fmt_days(s.median_working_days) + ", average " +
                        fmt_days(s.average_working_days) + "; pending: " + std::to_string(s.cases_pending) +
                        "; over the limit: " + std::to_string(s.cases_over_limit) + ".");
    Table t;
    t.columns = {"Case", "Received", "Completed", "Working days", "Over limit"};
    for (const auto& c : s.cases)
      t.rows.push_back({c.case_id, c.received, c.completed.empty() ? "(pending)" : c.completed, std::to_string(c.working_days),
                        c.over_limit ? "yes" : "no"});
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }
  return r;
}

}  // namespace declass::report
