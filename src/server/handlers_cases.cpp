// Routes for health, the caller, cases, document import and a case's audit events (docs/API.md).
#include <algorithm>
#include <filesystem>

#include "app/recommend.hpp"
#include "server/base64.hpp"
#include "server/context.hpp"

namespace declass::server {

namespace {

// A plain file name as uploaded: no directories, no control characters.
std::string upload_name(Context& c) {
  std::string name = c.str("name");
  bool ok = !name.empty() && name.size() <= 200 && name != "." && name != "..";
  for (char ch : name)
    if (ch == '/' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ok = false;
  if (!ok)
    throw ApiError(400, "bad_request", "field 'name' must be a plain file name such as 'cable.txt' (no '/', at most 200 characters)");
  return name;
}

void health(Context& c) { c.json(200, Json{{"ok", true}, {"version", "0.1.0"}}); }

void me(Context& c) { c.json(200, Json{{"name", c.actor().name}, {"role", c.actor().role}}); }

void list_cases(Context& c) {
  auto& st = c.ws().store();
  auto cases = st.list_cases();
  std::stable_sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.due < b.due; });
  Json arr = Json::array();
  for (const auto& cr : cases) {
    Json j = review::case_json(cr);
    j["documents"] = st.list_documents(cr.id).size();
    arr.push_back(std::move(j));
  }
  c.json(200, Json{{"cases", arr}});
}

void create_case(Context& c) {
  std::string id = c.str("id");
  std::string requester = c.str("requester");
  std::string received = c.str("received");
  std::string policy = c.str("policy");
  auto date = Date::parse_iso(received);
  if (!date) throw ApiError(400, "bad_request", "field 'received' must be a date YYYY-MM-DD, e.g. 2017-05-01");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(policy, ec))
    throw ApiError(400, "bad_request", "field 'policy': no policy file " + policy + " on the server; give a path such as policies/default.toml");
  auto rec = c.ws().create_case(id, requester, *date, policy, c.actor().name);
  c.json(201, review::case_json(rec));
}

void show_case(Context& c) {
  require_case(c, c.param("case"));
  c.json(200, c.ws().case_show_json(c.param("case")));
}

void import_document(Context& c) {
  auto kase = require_case(c, c.param("case"));
  std::string name = upload_name(c);
  auto bytes = base64_decode(c.str("content_base64"));
  if (!bytes) throw ApiError(400, "bad_request", "field 'content_base64' is not valid base64 (RFC 4648, with padding)");
  if (bytes->empty()) throw ApiError(400, "bad_request", "field 'content_base64' decodes to an empty file; upload the record's bytes");
  std::string doc_no = c.opt_str("doc_no").value_or("");
  if (!kase.policy_path)
    throw ApiError(409, "conflict", "case " + kase.id + " has no policy; recreate it with a policy");
  std::lock_guard<std::mutex> lock(c.state.heavy);  // PDF records are parsed in a forked worker
  rules::Policy policy = app::load_policy_checked(*kase.policy_path);
  review::DocumentInput input = app::prepare_import(kase.id, name, std::move(*bytes), doc_no, policy, c.clock().today());
  auto rec = c.ws().workflow().import_document(input, c.actor().name);
  c.json(201, review::document_summary_json(rec));
}

void case_audit(Context& c) {
  require_case(c, c.param("case"));
  c.json(200, c.ws().audit_log_json(c.param("case")));
}

}  // namespace

void register_case_routes(Router& r) {
  r.add({"GET", "/api/health", {}, false}, health);
  r.add({"GET", "/api/me", {}}, me);
  r.add({"GET", "/api/cases", {}}, list_cases);
  r.add({"POST", "/api/cases", {"admin"}}, create_case);
  r.add({"GET", "/api/cases/{case}", {}}, show_case);
  r.add({"POST", "/api/cases/{case}/documents", {"reviewer", "admin"}}, import_document);
  r.add({"GET", "/api/cases/{case}/audit", {}}, case_audit);
}

}  // namespace declass::server
