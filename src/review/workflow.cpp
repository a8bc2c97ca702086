// Review workflow implementation (see workflow.hpp): permission and transition checks, decision
// validation, recommendation comparison, effective decisions and the release audit excerpt.
#include "review/workflow.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "markings/grammar.hpp"

namespace declass::review {

namespace {

Error workflow_error(const std::string& where, const std::string& msg) { return Error(ErrorCategory::workflow, where, msg); }
Error usage_error(const std::string& where, const std::string& msg) { return Error(ErrorCategory::usage, where, msg); }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

std::string upper(std::string s) {
  for (auto& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return s;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

bool valid_id(std::string_view s, std::size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  for (char ch : s) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_' || ch == '.';
    if (!ok) return false;
  }
  return true;
}

std::string json_str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> json_str_list(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object()) return out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::int64_t json_int(const Json& j, const char* key, std::int64_t dflt) {
  if (!j.is_object()) return dflt;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : dflt;
}

// Canonical codes where known; unknown codes from a snapshot are kept as written.
std::vector<std::string> canonical_list_lenient(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto c = markings::canonical_exemption(r);
    std::string v = c ? *c : r;
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

bool utf8_boundary(const std::string& s, std::int64_t pos) {
  if (pos <= 0 || pos >= static_cast<std::int64_t>(s.size())) return true;
  unsigned char c = static_cast<unsigned char>(s[static_cast<std::size_t>(pos)]);
  return (c & 0xC0) != 0x80;
}

}  // namespace

// ---- vocabulary ----

std::optional<Role> parse_role(std::string_view s) {
  if (s == "reviewer") return Role::reviewer;
  if (s == "authority") return Role::authority;
  if (s == "auditor") return Role::auditor;
  if (s == "admin") return Role::admin;
  return std::nullopt;
}

const char* to_string(Role r) {
  switch (r) {
    case Role::reviewer: return "reviewer";
    case Role::authority: return "authority";
    case Role::auditor: return "auditor";
    case Role::admin: return "admin";
  }
  return "reviewer";
}

std::optional<DocStatus> parse_status(std::string_view s) {
  if (s == "imported") return DocStatus::imported;
  if (s == "in_review") return DocStatus::in_review;
  if (s == "submitted") return DocStatus::submitted;
  if (s == "approved") return DocStatus::approved;
  if (s == "returned") return DocStatus::returned;
  if (s == "released") return DocStatus::released;
  return std::nullopt;
}

const char* to_string(DocStatus s) {
  switch (s) {
    case DocStatus::imported: return "imported";
    case DocStatus::in_review: return "in_review";
    case DocStatus::submitted: return "submitted";
    case DocStatus::approved: return "approved";
    case DocStatus::returned: return "returned";
    case DocStatus::released: return "released";
  }
  return "imported";
}

bool transition_allowed(DocStatus from, DocStatus to) {
  using S = DocStatus;
  switch (from) {
    case S::imported: return to == S::in_review;
    case S::in_review: return to == S::submitted;
    case S::submitted: return to == S::approved || to == S::returned;
    case S::returned: return to == S::in_review || to == S::submitted;
    case S::approved: return to == S::released;
    case S::released: return false;
  }
  return false;
}

bool is_decision_action(std::string_view a) { return a == "release" || a == "redact" || a == "withhold" || a == "refer"; }
bool is_withholding(std::string_view a) { return a == "redact" || a == "withhold"; }

std::string canonical_exemption_or_throw(const std::string& raw) {
  auto c = markings::canonical_exemption(trim(raw));
  if (!c)
    throw usage_error("--exemption " + raw,
                      "unknown exemption code; use FOIA codes like (b)(1), b6, (b)(7)(C), E.O. codes like 1.4(d), or 25X1");
  return *c;
}

std::vector<ParagraphRecommendation> parse_recommendations(const Json& recommend) {
  std::vector<ParagraphRecommendation> out;
  if (!recommend.is_object()) return out;
  auto it = recommend.find("paragraphs");
  if (it == recommend.end() || !it->is_array()) return out;
  for (const auto& p : *it) {
    if (!p.is_object()) continue;
    ParagraphRecommendation r;
    r.index = static_cast<int>(json_int(p, "index", 0));
    if (r.index <= 0) continue;
    r.policy_action = json_str(p, "action");
    const std::string& a = r.policy_action;
    if (a == "release") r.action = "release";
    else if (a == "redact_span" || a == "redact") r.action = "redact";
    else if (a == "redact_paragraph" || a == "withhold_document" || a == "withhold") r.action = "withhold";
    else if (a == "refer") r.action = "refer";
    else r.action = "review";
    r.exemptions = canonical_list_lenient(json_str_list(p, "exemptions"));
    r.refer_to = json_str(p, "refer_to");
    r.explanation = json_str(p, "explanation");
    r.rules_fired = json_str_list(p, "rules_fired");
    if (auto s = p.find("spans"); s != p.end() && s->is_array()) {
      for (const auto& sp : *s) {
        RecommendedSpan rs;
        rs.begin = json_int(sp, "begin", -1);
        rs.end = json_int(sp, "end", -1);
        if (rs.begin < 0 || rs.end <= rs.begin) continue;
        rs.exemptions = canonical_list_lenient(json_str_list(sp, "exemptions"));
        if (rs.exemptions.empty()) rs.exemptions = r.exemptions;
        rs.rule = json_str(sp, "rule");
        rs.text = json_str(sp, "text");
        r.spans.push_back(std::move(rs));
      }
    }
    if (r.action == "redact" && r.spans.empty()) r.action = "review";  // nothing concrete to cut
    out.push_back(std::move(r));
  }
  return out;
}

static const ParagraphRecommendation* find_rec(const std::vector<ParagraphRecommendation>& recs, int index) {
  for (const auto& r : recs)
    if (r.index == index) return &r;
  return nullptr;
}

// Does decision d do what the recommendation said?
static bool follows(const store::DecisionRecord& d, const ParagraphRecommendation* rec) {
  std::string rec_action = rec ? rec->action : "release";
  bool span = d.span_begin.has_value();
  if (!span) {
    if (d.action != rec_action) return false;
    if (d.action == "withhold") return as_set(d.exemptions) == as_set(rec->exemptions);
    if (d.action == "refer") return upper(d.refer_to.value_or("")) == upper(rec->refer_to);
    return d.action == "release";
  }
  if (!rec || rec_action != "redact" || d.action != "redact") return false;
  for (const auto& s : rec->spans)
    if (s.begin == *d.span_begin && s.end == d.span_end.value_or(-1)) return as_set(s.exemptions) == as_set(d.exemptions);
  return false;
}

std::vector<EffectiveParagraph> effective_decisions(const std::vector<store::ParagraphRecord>& paragraphs,
                                                    const std::vector<ParagraphRecommendation>& recs,
                                                    const std::vector<store::DecisionRecord>& decisions) {
  std::vector<EffectiveParagraph> out;
  std::map<int, std::vector<const store::DecisionRecord*>> by_para;
  for (const auto& d : decisions) by_para[d.paragraph].push_back(&d);
  for (const auto& p : paragraphs) {
    EffectiveParagraph e;
    e.index = p.index;
    e.number = p.number;
    auto it = by_para.find(p.index);
    if (it == by_para.end()) {
      const ParagraphRecommendation* rec = find_rec(recs, p.index);
      if (!rec || rec->action == "release") {
        e.action = "release";
        e.implicit = true;
      } else {
        e.action = "undecided";
      }
      out.push_back(std::move(e));
      continue;
    }
    std::string para_action = "release";
    std::vector<std::string> para_ex;
    std::optional<std::string> refer;
    std::vector<EffectiveSpan> spans;
    for (const auto* d : it->second) {
      e.decision_ids.push_back(d->id);
      if (!d->span_begin) {
        para_action = d->action;
        para_ex = d->exemptions;
        refer = d->refer_to;
        spans.clear();
        continue;
      }
      std::int64_t b = *d->span_begin, en = d->span_end.value_or(b);
      spans.erase(std::remove_if(spans.begin(), spans.end(), [&](const EffectiveSpan& s) { return s.begin == b && s.end == en; }),
                  spans.end());
      if (d->action == "redact") {
        spans.push_back(EffectiveSpan{b, en, d->span_text.value_or(""), d->exemptions, d->id});
        if (para_action == "withhold" || para_action == "refer") {
          // a span decision after a paragraph withholding narrows it to the spans
          para_action = "release";
          para_ex.clear();
          refer.reset();
        }
      }
    }
    if (para_action == "release" && !spans.empty()) {
      std::sort(spans.begin(), spans.end(), [](const EffectiveSpan& a, const EffectiveSpan& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
      });
      e.action = "redact";
      for (const auto& s : spans)
        for (const auto& x : s.exemptions)
          if (std::find(e.exemptions.begin(), e.exemptions.end(), x) == e.exemptions.end()) e.exemptions.push_back(x);
      e.spans = std::move(spans);
    } else {
      e.action = para_action;
      if (para_action != "release") e.exemptions = para_ex;
      e.refer_to = refer;
    }
    out.push_back(std::move(e));
  }
  return out;
}

// ---- workflow ----

store::UserRecord Workflow::require_user(const std::string& name) {
  if (name.empty()) throw usage_error("--as", "name the acting user with --as USER (see 'declass user add')");
  auto u = m_store.find_user(name);
  if (!u) throw workflow_error("--as " + name, "unknown user; add it first with 'declass user add " + name + " --role ROLE'");
  return *u;
}

store::DocumentRecord Workflow::require_document(const std::string& key) {
  auto d = m_store.find_document(key);
  if (!d) throw usage_error(key, "no such document; list documents with 'declass case show CASE'");
  return *d;
}

static void require_role(const store::UserRecord& u, std::initializer_list<const char*> roles, const std::string& what) {
  for (const char* r : roles)
    if (u.role == r) return;
  std::string allowed;
  for (const char* r : roles) allowed += (allowed.empty() ? "" : " or ") + std::string(r);
  throw workflow_error(u.name, "a user with role " + u.role + " cannot " + what + " (requires " + allowed + ")");
}

store::UserRecord Workflow::add_user(const std::string& name, const std::string& role,
                                     const std::optional<std::string>& certificate_pem, const std::string& actor) {
  if (!valid_id(name, 64)) throw usage_error(name, "user names use letters, digits, '-', '_' and '.' (at most 64)");
  if (!parse_role(role)) throw usage_error("--role " + role, "unknown role; use reviewer, authority, auditor or admin");
  if (certificate_pem && certificate_pem->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    throw usage_error("--cert", "not a PEM certificate (no '-----BEGIN CERTIFICATE-----' line)");
  store::UserRecord u{name, role, certificate_pem, std::nullopt, m_store.clock().now_iso()};
  if (certificate_pem) u.certificate_sha256 = crypto::sha256_hex(*certificate_pem);
  m_store.transaction([&] {
    std::string actor_name = "(local)", actor_role = "operator";
    if (!actor.empty()) {
      auto a = require_user(actor);
      require_role(a, {"admin"}, "add users");
      actor_name = a.name;
      actor_role = a.role;
    }
    if (m_store.find_user(name)) throw workflow_error(name, "user already exists");
    m_store.insert_user(u);
    m_store.append_event({actor_name, actor_role, "user.add", "", "user:" + name,
                          Json{{"name", name}, {"role", role}, {"certificate_sha256", json_or_null(u.certificate_sha256)}}});
  });
  return u;
}

store::CaseRecord Workflow::create_case(const std::string& id, const std::string& requester, const Date& received,
                                        const std::optional<std::string>& policy_path,
                                        const std::optional<std::string>& policy_text, const std::string& actor) {
  if (!valid_id(id, 64))
    throw usage_error(id, "case ids are request numbers such as F-2017-13804 (letters, digits, '-', '_', '.')");
  if (trim(requester).empty()) throw usage_error("--requester", "name the requester");
  store::CaseRecord c;
  c.id = id;
  c.requester = trim(requester);
  c.received = received.iso();
  c.due = add_working_days(received, 20).iso();
  c.policy_path = policy_path;
  c.created_at = m_store.clock().now_iso();
  m_store.transaction([&] {
    std::string actor_name = "(local)", actor_role = "operator";
    if (!actor.empty()) {
      auto a = require_user(actor);
      require_role(a, {"reviewer", "authority", "admin"}, "create cases");
      actor_name = a.name;
      actor_role = a.role;
    }
    if (m_store.find_case(id)) throw workflow_error(id, "case already exists; see 'declass case show " + id + "'");
    if (policy_text) c.policy_sha256 = m_store.put_blob(*policy_text);
    m_store.insert_case(c);
    m_store.append_event({actor_name, actor_role, "case.create", id, "case:" + id,
                          Json{{"id", id},
                               {"requester", c.requester},
                               {"received", c.received},
                               {"due", c.due},
                               {"policy_path", json_or_null(c.policy_path)},
                               {"policy_sha256", json_or_null(c.policy_sha256)}}});
  });
  return c;
}

store::DocumentRecord Workflow::import_document(const DocumentInput& in, const std::string& actor) {
  if (!valid_id(in.doc_no, 64))
    throw usage_error("--doc-no " + in.doc_no, "document numbers use letters, digits, '-', '_' and '.' (at most 64)");
  for (std::size_t i = 0; i < in.paragraphs.size(); ++i)
    if (in.paragraphs[i].index != static_cast<int>(i) + 1)
      throw Error(ErrorCategory::internal, in.source_name, "paragraph indexes must be 1..n in order");
  store::DocumentRecord d;
  m_store.transaction([&] {
    std::string actor_name = "(local)", actor_role = "operator";
    if (!actor.empty()) {
      auto a = require_user(actor);
      require_role(a, {"reviewer", "authority", "admin"}, "import documents");
      actor_name = a.name;
      actor_role = a.role;
    }
    auto c = m_store.find_case(in.case_id);
    if (!c) throw usage_error(in.case_id, "no such case; create it with 'declass case create " + in.case_id + " ...'");
    if (c->status != "open") throw workflow_error(in.case_id, "case is " + c->status + "; documents can only be added to open cases");
    for (const auto& other : m_store.list_documents(in.case_id))
      if (other.doc_no == in.doc_no)
        throw workflow_error(in.case_id, "document number " + in.doc_no + " already imported as " + other.id +
                                             "; choose another with --doc-no");
    d.case_id = in.case_id;
    d.doc_no = in.doc_no;
    d.source_name = in.source_name;
    d.source_sha256 = m_store.put_blob(in.source_bytes);
    d.source_size = static_cast<std::int64_t>(in.source_bytes.size());
    d.status = to_string(DocStatus::imported);
    d.inspect_json = in.inspect.dump();
    d.recommend_json = in.recommend.dump();
    d.imported_at = m_store.clock().now_iso();
    d.imported_by = actor_name;
    d = m_store.insert_document(d, in.paragraphs);
    m_store.append_event({actor_name, actor_role, "document.import", in.case_id, "document:" + d.id,
                          Json{{"document", d.id},
                               {"doc_no", d.doc_no},
                               {"source_name", d.source_name},
                               {"source_sha256", d.source_sha256},
                               {"source_size", d.source_size},
                               {"paragraphs", in.paragraphs.size()},
                               {"inspect_sha256", crypto::sha256_hex(d.inspect_json)},
                               {"recommend_sha256", crypto::sha256_hex(d.recommend_json)}}});
  });
  return d;
}

void Workflow::transition(store::DocumentRecord& doc, DocStatus to, const store::UserRecord& actor, const std::string& reason) {
  auto from = parse_status(doc.status);
  if (!from || !transition_allowed(*from, to))
    throw workflow_error(doc.id, std::string("illegal transition ") + doc.status + " → " + to_string(to));
  m_store.update_document_status(doc.seq, to_string(to));
  m_store.append_event({actor.name, actor.role, "document.transition", doc.case_id, "document:" + doc.id,
                        Json{{"document", doc.id}, {"from", doc.status}, {"to", to_string(to)}, {"reason", reason}}});
  doc.status = to_string(to);
}

// Refuses a change of decisions unless the document is open for review; opens it when needed.
static const char* decide_hint(const std::string& status) {
  if (status == "submitted") return "it is submitted and awaits an authority (an authority can return it with 'declass return')";
  if (status == "approved") return "it is approved; decisions are frozen (release it, or ask an authority)";
  if (status == "released") return "it is released; decisions are final";
  return "its status does not allow decisions";
}

store::DecisionRecord Workflow::decide(const DecisionInput& in) {
  if (!is_decision_action(in.action))
    throw usage_error("--action " + in.action, "unknown action; use release, redact (a span), withhold (the paragraph) or refer");
  bool span = in.span_text.has_value() || in.range.has_value();
  if (in.span_text && in.range) throw usage_error("--span/--range", "give either --span TEXT or --range A:B, not both");
  if (span && (in.action == "withhold" || in.action == "refer"))
    throw usage_error("--action " + in.action, in.action + " applies to a whole paragraph; drop --span/--range (or use --action redact)");
  if (!span && in.action == "redact")
    throw usage_error("--action redact", "redact cuts a span: add --span TEXT or --range A:B (use --action withhold for the whole paragraph)");
  std::vector<std::string> codes;
  for (const auto& x : in.exemptions) {
    std::string c = canonical_exemption_or_throw(x);
    if (std::find(codes.begin(), codes.end(), c) == codes.end()) codes.push_back(c);
  }
  std::string justification = trim(in.justification);
  if (is_withholding(in.action)) {
    if (codes.empty())
      throw workflow_error("--action " + in.action,
                           "withholding requires at least one exemption code (--exemption, e.g. --exemption b1 --exemption 1.4(d))");
    if (justification.empty()) throw workflow_error("--action " + in.action, "withholding requires a justification (--reason TEXT)");
  }
  std::optional<std::string> refer;
  if (in.action == "refer") {
    if (!in.refer_to || trim(*in.refer_to).empty())
      throw workflow_error("--action refer", "a referral must name the agency (--refer-to AGENCY, e.g. --refer-to CIA)");
    refer = trim(*in.refer_to);
  } else if (in.refer_to) {
    throw usage_error("--refer-to", "only a referral names an agency (use --action refer)");
  }
  if (in.action == "release" && !codes.empty())
    throw usage_error("--exemption", "a release withholds nothing, so it takes no exemption codes");

  store::DecisionRecord rec;
  m_store.transaction([&] {
    auto actor = require_user(in.actor);
    require_role(actor, {"reviewer", "authority"}, "record decisions");
    auto doc = require_document(in.document);
    if (doc.status != "imported" && doc.status != "in_review" && doc.status != "returned")
      throw workflow_error(doc.id, std::string("cannot record a decision: ") + decide_hint(doc.status));
    auto paras = m_store.list_paragraphs(doc.seq);
    if (in.paragraph < 1 || in.paragraph > static_cast<int>(paras.size()))
      throw usage_error("--para " + std::to_string(in.paragraph),
                        "no such paragraph; " + doc.id + " has paragraphs 1.." + std::to_string(paras.size()) +
                            " (see 'declass review show " + doc.id + "')");
    const std::string& text = paras[static_cast<std::size_t>(in.paragraph - 1)].text;
    rec.document_seq = doc.seq;
    rec.paragraph = in.paragraph;
    if (in.span_text) {
      if (in.span_text->empty()) throw usage_error("--span", "the span text is empty");
      std::size_t pos = text.find(*in.span_text);
      if (pos == std::string::npos)
        throw usage_error("--span", "text not found in paragraph " + std::to_string(in.paragraph) +
                                        " (it must match exactly; see 'declass review show " + doc.id + "')");
      std::size_t again = text.find(*in.span_text, pos + 1);
      if (again != std::string::npos)
        throw usage_error("--span", "text occurs more than once in paragraph " + std::to_string(in.paragraph) +
                                        "; pick one with --range " + std::to_string(pos) + ":" +
                                        std::to_string(pos + in.span_text->size()) + " or --range " + std::to_string(again) +
                                        ":" + std::to_string(again + in.span_text->size()));
      rec.span_begin = static_cast<std::int64_t>(pos);
      rec.span_end = static_cast<std::int64_t>(pos + in.span_text->size());
    } else if (in.range) {
      auto [a, b] = *in.range;
      if (a < 0 || b <= a || b > static_cast<std::int64_t>(text.size()))
        throw usage_error("--range " + std::to_string(a) + ":" + std::to_string(b),
                          "range outside paragraph " + std::to_string(in.paragraph) + " (valid: 0 <= A < B <= " +
                              std::to_string(text.size()) + ", byte offsets)");
      if (!utf8_boundary(text, a) || !utf8_boundary(text, b))
        throw usage_error("--range", "range splits a UTF-8 character; adjust the offsets");
      rec.span_begin = a;
      rec.span_end = b;
    }
    if (rec.span_begin)
      rec.span_text = text.substr(static_cast<std::size_t>(*rec.span_begin),
                                  static_cast<std::size_t>(*rec.span_end - *rec.span_begin));
    rec.action = in.action;
    rec.exemptions = codes;
    rec.justification = justification;
    rec.refer_to = refer;
    rec.reviewer = actor.name;
    rec.decided_at = m_store.clock().now_iso();
    rec.basis = "manual";
    auto recs = parse_recommendations(Json::parse(doc.recommend_json, nullptr, false));
    rec.follows_recommendation = follows(rec, find_rec(recs, in.paragraph));
    if (doc.status == "imported" || doc.status == "returned")
      transition(doc, DocStatus::in_review, actor, "decision recorded");
    auto ev = m_store.append_event({actor.name, actor.role, "decision.record", doc.case_id, "document:" + doc.id,
                                    store::decision_payload(rec, doc.id)});
    rec.audit_seq = ev.seq;
    rec.audit_hash = ev.hash;
    rec.id = m_store.insert_decision(rec);
  });
  return rec;
}

AcceptResult Workflow::accept(const std::string& document, const std::string& actor_name) {
  AcceptResult result;
  m_store.transaction([&] {
    auto actor = require_user(actor_name);
    require_role(actor, {"reviewer", "authority"}, "record decisions");
    auto doc = require_document(document);
    if (doc.status != "imported" && doc.status != "in_review" && doc.status != "returned")
      throw workflow_error(doc.id, std::string("cannot accept recommendations: ") + decide_hint(doc.status));
    auto paras = m_store.list_paragraphs(doc.seq);
    auto recs = parse_recommendations(Json::parse(doc.recommend_json, nullptr, false));
    if (doc.status != "in_review") transition(doc, DocStatus::in_review, actor, "recommendations accepted");
    std::string now = m_store.clock().now_iso();
    auto record = [&](store::DecisionRecord d) {
      d.document_seq = doc.seq;
      d.reviewer = actor.name;
      d.decided_at = now;
      d.basis = "accepted";
      d.follows_recommendation = true;
      auto ev = m_store.append_event({actor.name, actor.role, "decision.record", doc.case_id, "document:" + doc.id,
                                      store::decision_payload(d, doc.id)});
      d.audit_seq = ev.seq;
      d.audit_hash = ev.hash;
      d.id = m_store.insert_decision(d);
      result.recorded.push_back(std::move(d));
    };
    for (const auto& r : recs) {
      if (r.index < 1 || r.index > static_cast<int>(paras.size()) || r.action == "release") continue;
      const std::string& text = paras[static_cast<std::size_t>(r.index - 1)].text;
      std::string why = r.explanation.empty() ? "accepted recommendation" : "accepted recommendation: " + r.explanation;
      if (!r.rules_fired.empty()) {
        why += " (rules:";
        for (const auto& id : r.rules_fired) why += " " + id;
        why += ")";
      }
      bool ok = true;
      if (r.action == "withhold" && r.exemptions.empty()) ok = false;
      if (r.action == "refer" && trim(r.refer_to).empty()) ok = false;
      if (r.action == "review") ok = false;
      for (const auto& s : r.spans)
        if (r.action == "redact" && (s.exemptions.empty() || s.end > static_cast<std::int64_t>(text.size()) ||
                                     !utf8_boundary(text, s.begin) || !utf8_boundary(text, s.end) ||
                                     (!s.text.empty() && text.compare(static_cast<std::size_t>(s.begin),
                                                                      static_cast<std::size_t>(s.end - s.begin), s.text) != 0)))
          ok = false;
      if (!ok) {
        result.needs_decision.push_back(r.index);
        continue;
      }
      if (r.action == "redact") {
        for (const auto& s : r.spans) {
          store::DecisionRecord d;
          d.paragraph = r.index;
          d.span_begin = s.begin;
          d.span_end = s.end;
          d.span_text = text.substr(static_cast<std::size_t>(s.begin), static_cast<std::size_t>(s.end - s.begin));
          d.action = "redact";
          d.exemptions = s.exemptions;
          d.justification = why;
          record(std::move(d));
        }
      } else {
        store::DecisionRecord d;
        d.paragraph = r.index;
        d.action = r.action;
        d.exemptions = r.exemptions;
        d.justification = why;
        if (r.action == "refer") d.refer_to = trim(r.refer_to);
        record(std::move(d));
      }
    }
  });
  return result;
}

void Workflow::submit(const std::string& document, const std::string& actor_name) {
  m_store.transaction([&] {
    auto actor = require_user(actor_name);
    require_role(actor, {"reviewer", "authority"}, "submit documents");
    auto doc = require_document(document);
    if (doc.status != "in_review" && doc.status != "returned") {
      std::string hint = doc.status == "imported"
                             ? "nothing has been reviewed yet (record decisions with 'declass review decide' or 'declass review accept')"
                             : "only a document in review (or returned) can be submitted";
      throw workflow_error(doc.id, "cannot submit: it is " + doc.status + "; " + hint);
    }
    auto paras = m_store.list_paragraphs(doc.seq);
    auto recs = parse_recommendations(Json::parse(doc.recommend_json, nullptr, false));
    auto eff = effective_decisions(paras, recs, m_store.list_decisions(doc.seq));
    std::string open;
    for (const auto& e : eff)
      if (e.action == "undecided") open += (open.empty() ? "" : ", ") + std::to_string(e.index);
    if (!open.empty())
      throw workflow_error(doc.id, "cannot submit: paragraphs " + open +
                                       " have a recommendation that is not 'release' and no decision yet (use 'declass review decide' or 'declass review accept')");
    transition(doc, DocStatus::submitted, actor, "submitted for approval");
  });
}

static void require_submitted(const store::DocumentRecord& doc, const char* verb) {
  if (doc.status == "submitted") return;
  std::string hint;
  if (doc.status == "imported" || doc.status == "in_review" || doc.status == "returned")
    hint = "submit it first ('declass submit " + doc.id + " --as REVIEWER')";
  else if (doc.status == "approved")
    hint = "it is already approved";
  else
    hint = "it is already released";
  throw workflow_error(doc.id, std::string("cannot ") + verb + ": it is " + doc.status + " and only a submitted document can be " +
                                   (std::string(verb) == "approve" ? "approved" : "returned") + "; " + hint);
}

void Workflow::approve(const std::string& document, const std::string& actor_name) {
  m_store.transaction([&] {
    auto actor = require_user(actor_name);
    require_role(actor, {"authority"}, "approve documents");
    auto doc = require_document(document);
    require_submitted(doc, "approve");
    for (const auto& d : m_store.list_decisions(doc.seq))
      if (d.reviewer == actor.name)
        throw workflow_error(doc.id, "separation of duties: " + actor.name + " made decision " + std::to_string(d.id) +
                                         " on this document and cannot approve it; another authority must approve");
    store::ApprovalRecord a;
    a.document_seq = doc.seq;
    a.authority = actor.name;
    a.outcome = "approve";
    a.decided_at = m_store.clock().now_iso();
    auto ev = m_store.append_event({actor.name, actor.role, "approval.approve", doc.case_id, "document:" + doc.id,
                                    store::approval_payload(a, doc.id)});
    a.audit_seq = ev.seq;
    m_store.insert_approval(a);
    transition(doc, DocStatus::approved, actor, "approved");
  });
}

void Workflow::return_document(const std::string& document, const std::string& actor_name, const std::string& comment) {
  std::string c = trim(comment);
  if (c.empty()) throw usage_error("--comment", "say why the document is returned (--comment TEXT)");
  m_store.transaction([&] {
    auto actor = require_user(actor_name);
    require_role(actor, {"authority"}, "return documents");
    auto doc = require_document(document);
    require_submitted(doc, "return");
    store::ApprovalRecord a;
    a.document_seq = doc.seq;
    a.authority = actor.name;
    a.outcome = "return";
    a.comment = c;
    a.decided_at = m_store.clock().now_iso();
    auto ev = m_store.append_event({actor.name, actor.role, "approval.return", doc.case_id, "document:" + doc.id,
                                    store::approval_payload(a, doc.id)});
    a.audit_seq = ev.seq;
    m_store.insert_approval(a);
    transition(doc, DocStatus::returned, actor, "returned: " + c);
  });
}

store::ReleaseRecord Workflow::record_release(const std::string& document, const std::string& output_sha256,
                                              const std::string& signer_subject, const std::string& actor_name,
                                              const std::optional<std::string>& output_name,
                                              const Json& release_options) {
  bool hex = output_sha256.size() == 64 &&
             std::all_of(output_sha256.begin(), output_sha256.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
  if (!hex) throw usage_error("output_sha256", "expected 64 lowercase hex digits");
  store::ReleaseRecord r;
  m_store.transaction([&] {
    auto actor = require_user(actor_name);
    require_role(actor, {"authority"}, "release documents");
    auto doc = require_document(document);
    if (doc.status != "approved")
      throw workflow_error(doc.id, "cannot release: it is " + doc.status + " and only an approved document can be released");
    r.document_seq = doc.seq;
    r.output_sha256 = output_sha256;
    r.signer = signer_subject;
    r.released_by = actor.name;
    r.output_name = output_name;
    r.released_at = m_store.clock().now_iso();
    if (release_options.is_object()) {
      Json payload = release_options;
      payload["document"] = doc.id;
      m_store.append_event({actor.name, actor.role, "release.options", doc.case_id, "document:" + doc.id, payload});
    }
    auto ev = m_store.append_event({actor.name, actor.role, "release.record", doc.case_id, "document:" + doc.id,
                                    store::release_payload(r, doc.id)});
    r.audit_seq = ev.seq;
    r.audit_hash = ev.hash;
    r.id = m_store.insert_release(r);
    transition(doc, DocStatus::released, actor, "released");
    bool all_released = true;
    for (const auto& other : m_store.list_documents(doc.case_id))
      if (other.status != "released") all_released = false;
    if (all_released) {
      m_store.update_case_status(doc.case_id, "closed");
      m_store.append_event({actor.name, actor.role, "case.close", doc.case_id, "case:" + doc.case_id,
                            Json{{"id", doc.case_id}, {"reason", "all documents released"}}});
    }
  });
  return r;
}

DocumentView Workflow::view(const std::string& document) {
  DocumentView v;
  v.document = require_document(document);
  auto bytes = m_store.get_blob(v.document.source_sha256);
  if (!bytes) throw Error(ErrorCategory::store, v.document.id, "source bytes are missing from the store");
  v.source_bytes = std::move(*bytes);
  v.paragraphs = m_store.list_paragraphs(v.document.seq);
  v.recommendations = parse_recommendations(Json::parse(v.document.recommend_json, nullptr, false));
  v.decisions = m_store.list_decisions(v.document.seq);
  v.approvals = m_store.list_approvals(v.document.seq);
  v.releases = m_store.list_releases(v.document.seq);
  v.effective = effective_decisions(v.paragraphs, v.recommendations, v.decisions);
  return v;
}

Json Workflow::audit_excerpt(const std::string& document) {
  DocumentView v = view(document);
  auto c = m_store.find_case(v.document.case_id);
  Json j;
  j["schema"] = "declass.release-audit/1";
  j["case"] = c ? Json{{"id", c->id}, {"requester", c->requester}, {"received", c->received}, {"due", c->due},
                       {"policy_sha256", json_or_null(c->policy_sha256)}}
                : Json(nullptr);
  j["document"] = {{"id", v.document.id},
                   {"doc_no", v.document.doc_no},
                   {"source_name", v.document.source_name},
                   {"source_sha256", v.document.source_sha256},
                   {"source_size", v.document.source_size},
                   {"status", v.document.status}};
  Json events = Json::array();
  for (const auto& e : m_store.list_events(v.document.case_id))
    if (e.subject == "document:" + v.document.id)
      events.push_back({{"seq", e.seq},          {"at", e.at},
                        {"actor", e.actor},      {"role", e.role},
                        {"action", e.action},    {"case", e.case_id},
                        {"subject", e.subject},  {"payload_sha256", crypto::sha256_hex(e.payload)},
                        {"prev", e.prev_hash},   {"hash", e.hash}});
  Json decisions = Json::array();
  for (const auto& d : v.decisions) decisions.push_back(to_json(d, false));
  Json approvals = Json::array();
  for (const auto& a : v.approvals) {
    Json ja = to_json(a);
    ja.erase("comment");  // comments may quote withheld text too
    ja["comment_sha256"] = a.comment ? Json(crypto::sha256_hex(*a.comment)) : Json(nullptr);
    approvals.push_back(std::move(ja));
  }
  Json effective = Json::array();
  for (const auto& e : v.effective) effective.push_back(to_json(e, false));
  j["decisions"] = std::move(decisions);
  j["approvals"] = std::move(approvals);
  j["effective"] = std::move(effective);
  j["events"] = std::move(events);
  return j;
}

std::vector<std::string> Workflow::check_excerpt(const Json& x) {
  std::vector<std::string> problems;
  if (!x.is_object() || x.value("schema", std::string()) != "declass.release-audit/1") {
    problems.push_back("not a declass.release-audit/1 document");
    return problems;
  }
  const Json& jd = x.contains("document") ? x["document"] : Json();
  std::string id = json_str(jd, "id");
  auto doc = m_store.find_document(id);
  if (!doc) {
    problems.push_back("document " + id + " is not in this store");
    return problems;
  }
  if (json_str(jd, "source_sha256") != doc->source_sha256)
    problems.push_back("source SHA-256 differs from the store's for " + id);
  auto check = [&](const Json& item, const char* seq_key, const char* hash_key, const std::string& what) {
    std::int64_t seq = json_int(item, seq_key, -1);
    std::string hash = json_str(item, hash_key);
    auto ev = seq > 0 ? m_store.find_event(seq) : std::nullopt;
    if (!ev)
      problems.push_back(what + ": audit event #" + std::to_string(seq) + " is not in the store");
    else if (ev->hash != hash)
      problems.push_back(what + ": audit event #" + std::to_string(seq) + " has hash " + ev->hash.substr(0, 12) +
                         "…, the excerpt says " + hash.substr(0, 12) + "…");
    else if (ev->subject != "document:" + id)
      problems.push_back(what + ": audit event #" + std::to_string(seq) + " is about " + ev->subject);
  };
  for (const char* list : {"decisions", "approvals"})
    if (auto it = x.find(list); it != x.end() && it->is_array())
      for (const auto& item : *it) check(item, "audit_seq", "audit_hash", std::string(list) + " entry");
  if (auto it = x.find("events"); it != x.end() && it->is_array())
    for (const auto& item : *it) check(item, "seq", "hash", "event");
  std::size_t decisions = m_store.list_decisions(doc->seq).size();
  if (auto it = x.find("decisions"); it == x.end() || !it->is_array() || it->size() != decisions)
    problems.push_back("the store holds " + std::to_string(decisions) + " decisions for " + id +
                       ", the excerpt lists " + std::to_string(it != x.end() && it->is_array() ? it->size() : 0));
  return problems;
}

// ---- JSON renderings ----

Json to_json(const store::DecisionRecord& d, bool with_text) {
  Json j;
  j["id"] = d.id;
  j["paragraph"] = d.paragraph;
  if (d.span_begin && d.span_end) {
    j["span"] = {{"begin", *d.span_begin}, {"end", *d.span_end}};
    if (with_text) j["span"]["text"] = d.span_text.value_or("");
  } else {
    j["span"] = nullptr;
  }
  j["action"] = d.action;
  j["exemptions"] = d.exemptions;
  // Justifications may quote withheld text (policy explanations do): the excerpt carries only their hash.
  if (with_text)
    j["justification"] = d.justification;
  else
    j["justification_sha256"] = crypto::sha256_hex(d.justification);
  j["refer_to"] = json_or_null(d.refer_to);
  j["reviewer"] = d.reviewer;
  j["decided_at"] = d.decided_at;
  j["basis"] = d.basis;
  j["follows_recommendation"] = d.follows_recommendation;
  j["audit_seq"] = d.audit_seq;
  j["audit_hash"] = d.audit_hash;
  return j;
}

Json to_json(const store::ApprovalRecord& a) {
  return Json{{"authority", a.authority}, {"outcome", a.outcome},    {"comment", json_or_null(a.comment)},
              {"decided_at", a.decided_at}, {"audit_seq", a.audit_seq}, {"audit_hash", a.audit_hash}};
}

Json to_json(const store::ReleaseRecord& r) {
  return Json{{"output_sha256", r.output_sha256}, {"signer", r.signer},           {"released_by", r.released_by},
              {"output_name", json_or_null(r.output_name)}, {"released_at", r.released_at}, {"audit_seq", r.audit_seq},
              {"audit_hash", r.audit_hash}};
}

Json to_json(const EffectiveParagraph& p, bool with_text) {
  Json spans = Json::array();
  for (const auto& s : p.spans) {
    Json js{{"begin", s.begin}, {"end", s.end}, {"exemptions", s.exemptions}, {"decision", s.decision_id}};
    if (with_text) js["text"] = s.text;
    spans.push_back(std::move(js));
  }
  return Json{{"paragraph", p.index},     {"number", p.number},    {"action", p.action},
              {"exemptions", p.exemptions}, {"spans", std::move(spans)}, {"refer_to", json_or_null(p.refer_to)},
              {"implicit", p.implicit},    {"decisions", p.decision_ids}};
}

Json to_json(const store::AuditEvent& e) {
  Json payload = Json::parse(e.payload, nullptr, false);
  if (payload.is_discarded()) payload = e.payload;
  return Json{{"seq", e.seq},         {"at", e.at},           {"actor", e.actor},         {"role", e.role},
              {"action", e.action},   {"case", e.case_id},    {"subject", e.subject},     {"payload", std::move(payload)},
              {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

Json document_summary_json(const store::DocumentRecord& d) {
  return Json{{"id", d.id},
              {"case", d.case_id},
              {"doc_no", d.doc_no},
              {"source_name", d.source_name},
              {"source_sha256", d.source_sha256},
              {"source_size", d.source_size},
              {"status", d.status},
              {"imported_at", d.imported_at},
              {"imported_by", d.imported_by}};
}

Json case_json(const store::CaseRecord& c) {
  return Json{{"id", c.id},       {"requester", c.requester},       {"received", c.received},
              {"due", c.due},     {"policy_path", json_or_null(c.policy_path)}, {"policy_sha256", json_or_null(c.policy_sha256)},
              {"status", c.status}, {"created_at", c.created_at}};
}

Json user_json(const store::UserRecord& u) {
  return Json{{"name", u.name},
              {"role", u.role},
              {"certificate_sha256", json_or_null(u.certificate_sha256)},
              {"created_at", u.created_at}};
}

}  // namespace declass::review
