// Routes for the audit chain check and compliance reports (app::generate_report; JSON, HTML, CSV, text).
#include "app/report.hpp"
#include "server/context.hpp"

namespace declass::server {

namespace {

void audit_verify(Context& c) {
  auto& st = c.ws().store();
  auto r = st.verify_chain();
  c.json(200, Json{{"ok", r.ok},
                   {"events", r.events},
                   {"head_hash", r.head_hash},
                   {"broken_seq", r.broken_seq ? Json(*r.broken_seq) : Json(nullptr)},
                   {"problem", r.ok ? Json(nullptr) : Json(r.problem)},
                   {"quick_check", st.quick_check()}});
}

std::optional<Date> query_date(Context& c, const char* name) {
  if (!c.req.has_param(name)) return std::nullopt;
  auto d = Date::parse_iso(c.req.get_param_value(name));
  if (!d) throw ApiError(400, "bad_request", std::string("query parameter '") + name + "' must be a date YYYY-MM-DD");
  return d;
}

void report(Context& c) {
  app::ReportRequest rq;
  rq.kind = c.param("kind");
  rq.format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
  const char* mime = rq.format == "json"   ? "application/json"
                     : rq.format == "html" ? "text/html; charset=utf-8"
                     : rq.format == "csv"  ? "text/csv; charset=utf-8"
                     : rq.format == "text" ? "text/plain; charset=utf-8"
                                           : nullptr;
  if (!mime) throw ApiError(400, "bad_request", "query parameter 'format' must be json, html, csv or text");
  if (rq.kind != "vaughn" && rq.kind != "exemptions" && rq.kind != "consistency" && rq.kind != "overrides" && rq.kind != "audit")
    throw ApiError(404, "not_found", "no report '" + rq.kind.substr(0, 40) + "'; use vaughn, exemptions, consistency, overrides or audit");
  rq.case_id = c.req.has_param("case") ? c.req.get_param_value("case") : "";
  if (!rq.case_id.empty()) require_case(c, rq.case_id);
  rq.from = query_date(c, "from");
  rq.to = query_date(c, "to");
  std::lock_guard<std::mutex> lock(c.state.heavy);
  auto out = app::generate_report(c.ws(), rq, c.clock());
  c.res.status = 200;
  c.res.set_content(std::move(out.bytes), mime);
}

}  // namespace

void register_report_routes(Router& r) {
  r.add({"GET", "/api/audit/verify", {"auditor", "admin", "authority"}}, audit_verify);
  r.add({"GET", "/api/reports/{kind}", {"auditor", "admin", "authority"}}, report);
}

}  // namespace declass::server
