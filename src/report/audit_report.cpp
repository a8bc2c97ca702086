// Audit report (see reports.hpp): the result of the full audit chain verification and SQLite's
// integrity check, with event counts per actor, per action and per (actor, role, action).
#include "report/reports.hpp"

namespace declass::report {

AuditReport build_audit_report(store::Store& store, const Clock& clock) {
  AuditReport r;
  r.generated_at = clock.now_iso();
  r.store_path = store.path();
  r.integrity = store.quick_check();
  r.chain = store.verify_chain();
  r.ok = r.chain.ok && r.integrity == "ok";
  store::ReportReader reader(store);
  r.counts = reader.event_counts();
  for (const auto& c : r.counts) {
    r.by_actor[c.actor] += c.count;
    r.by_action[c.action] += c.count;
  }
  return r;
}

Json to_json(const AuditReport& r) {
  Json j;
  j["schema"] = "declass.report.audit/1";
  j["generated_at"] = r.generated_at;
  j["verification"] = {{"ok", r.ok},
                       {"events", r.chain.events},
                       {"head_hash", r.chain.head_hash},
                       {"broken_seq", json_or_null(r.chain.broken_seq)},
                       {"problem", r.chain.ok ? Json(nullptr) : Json(r.chain.problem)},
                       {"integrity", r.integrity}};
  j["by_actor"] = r.by_actor;
  j["by_action"] = r.by_action;
  Json counts = Json::array();
  for (const auto& c : r.counts)
    counts.push_back({{"actor", c.actor}, {"role", c.role}, {"action", c.action}, {"count", c.count},
                      {"first_at", c.first_at}, {"last_at", c.last_at}});
  j["counts"] = std::move(counts);
  return j;
}

ReportDoc to_doc(const AuditReport& r) {
  ReportDoc d;
  d.schema = "declass.report.audit/1";
  d.title = "Audit trail report";
  d.facts = {{"Result", r.ok ? "INTACT" : "BROKEN"},
             {"Events", std::to_string(r.chain.events)},
             {"Head hash", r.chain.head_hash},
             {"SQLite integrity", r.integrity},
             {"Generated", r.generated_at}};
  if (!r.chain.ok)
    d.facts.push_back({"First broken link", (r.chain.broken_seq ? "#" + std::to_string(*r.chain.broken_seq) + ": " : "") + r.chain.problem});
  d.notes = {"The whole hash chain was recomputed (encoding declass-audit/2) and every decision, approval and release row "
             "was checked against the payload of its audit event."};
  Section s;
  s.heading = "Events";
  Table a;
  a.caption = "Per actor";
  a.columns = {"Actor", "Events"};
  for (const auto& [k, n] : r.by_actor) a.rows.push_back({k, std::to_string(n)});
  Table b;
  b.caption = "Per action";
  b.columns = {"Action", "Events"};
  for (const auto& [k, n] : r.by_action) b.rows.push_back({k, std::to_string(n)});
  Table c;
  c.caption = "Per actor and action";
  c.columns = {"Actor", "Role", "Action", "Events", "First", "Last"};
  for (const auto& x : r.counts) c.rows.push_back({x.actor, x.role, x.action, std::to_string(x.count), x.first_at, x.last_at});
  s.tables = {std::move(a), std::move(b), std::move(c)};
  d.sections.push_back(std::move(s));
  return d;
}

}  // namespace declass::report
