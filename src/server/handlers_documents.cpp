// Routes for a document's review: the review view, decisions, accepting recommendations, and the
// workflow transitions submit/approve/return (roles and separation of duties enforced by the library).
#include <algorithm>

#include "server/context.hpp"

namespace declass::server {

namespace {

void show(Context& c) {
  auto d = require_document(c, c.param("doc"));
  c.json(200, c.ws().review_json(d.id));
}

std::int64_t offset_of(const Json& v) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
    throw ApiError(400, "bad_request", "field 'range' must be [begin, end]: two non-negative UTF-8 byte offsets");
  return v.get<std::int64_t>();
}

void decide(Context& c) {
  auto d = require_document(c, c.param("doc"));
  review::DecisionInput in;
  in.document = d.id;
  in.actor = c.actor().name;
  auto p = c.body.find("paragraph");
  if (p == c.body.end() || !p->is_number_integer())
    throw ApiError(400, "bad_request", "field 'paragraph' (the paragraph index, an integer from 1) is missing or not an integer");
  in.paragraph = static_cast<int>(std::clamp<std::int64_t>(p->get<std::int64_t>(), -1, 1'000'000'000));
  in.action = c.str("action");
  if (auto r = c.body.find("range"); r != c.body.end() && !r->is_null()) {
    if (!r->is_array() || r->size() != 2)
      throw ApiError(400, "bad_request", "field 'range' must be [begin, end]: two non-negative UTF-8 byte offsets");
    in.range = std::make_pair(offset_of((*r)[0]), offset_of((*r)[1]));
  }
  in.span_text = c.opt_str("span");
  if (auto e = c.body.find("exemptions"); e != c.body.end() && !e->is_null()) {
    if (!e->is_array()) throw ApiError(400, "bad_request", "field 'exemptions' must be a list of codes such as [\"(b)(6)\"]");
    for (const auto& x : *e) {
      if (!x.is_string()) throw ApiError(400, "bad_request", "field 'exemptions' must contain strings such as \"(b)(6)\"");
      in.exemptions.push_back(x.get<std::string>());
    }
  }
  in.justification = c.str("justification", false);
  in.refer_to = c.opt_str("refer_to");
  auto rec = c.ws().workflow().decide(in);
  c.json(200, review::to_json(rec));
}

void accept(Context& c) {
  auto d = require_document(c, c.param("doc"));
  auto r = c.ws().workflow().accept(d.id, c.actor().name);
  Json recorded = Json::array();
  for (const auto& x : r.recorded) recorded.push_back(review::to_json(x));
  c.json(200, Json{{"recorded", recorded}, {"needs_decision", r.needs_decision}});
}

void summary(Context& c, const std::string& id) {
  c.json(200, review::document_summary_json(c.ws().workflow().require_document(id)));
}

void submit(Context& c) {
  auto d = require_document(c, c.param("doc"));
  c.ws().workflow().submit(d.id, c.actor().name);
  summary(c, d.id);
}

void approve(Context& c) {
  auto d = require_document(c, c.param("doc"));
  c.ws().workflow().approve(d.id, c.actor().name);
  summary(c, d.id);
}

void return_document(Context& c) {
  auto d = require_document(c, c.param("doc"));
  c.ws().workflow().return_document(d.id, c.actor().name, c.str("comment"));
  summary(c, d.id);
}

}  // namespace

void register_document_routes(Router& r) {
  r.add({"GET", "/api/documents/{doc}", {}}, show);
  r.add({"POST", "/api/documents/{doc}/decisions", {"reviewer", "authority"}}, decide);
  r.add({"POST", "/api/documents/{doc}/accept", {"reviewer", "authority"}}, accept);
  r.add({"POST", "/api/documents/{doc}/submit", {"reviewer", "authority"}}, submit);
  r.add({"POST", "/api/documents/{doc}/approve", {"authority"}}, approve);
  r.add({"POST", "/api/documents/{doc}/return", {"authority"}}, return_document);
}

}  // namespace declass::server
