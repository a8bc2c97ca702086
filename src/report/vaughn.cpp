// The Vaughn index of a case (see reports.hpp): one entry per withholding of the effective decisions
// (a withheld or referred paragraph, or a redacted span), located by page, paragraph and source bytes
// through the ingest model the release uses, with codes and their meanings, the justification in
// effect (withheld quotes masked), reviewer, approving authority and dates; totals per code.
#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "ingest/text_reader.hpp"
#include "report/exemption_meanings.hpp"
#include "report/reports.hpp"

namespace declass::report {

namespace {

std::int64_t code_points(std::string_view s) {
  std::int64_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string date_part(const std::string& iso) { return iso.size() >= 10 ? iso.substr(0, 10) : iso; }

std::string pages_text(const std::vector<int>& pages) {
  std::string out;
  for (int p : pages) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out.empty() ? "-" : out;
}

// The parsed source, when it still yields exactly the stored paragraphs (as the release requires).
std::optional<ingest::Document> parse_source(store::ReportReader& reader, const DocumentData& d) {
  try {
    std::string bytes = reader.blob(d.doc.source_sha256);
    ingest::Document doc = ingest::parse_text(bytes, d.doc.source_name);
    if (doc.paragraphs.size() != d.paragraphs.size()) return std::nullopt;
    for (std::size_t i = 0; i < doc.paragraphs.size(); ++i)
      if (doc.paragraphs[i].text != d.paragraphs[i].text) return std::nullopt;
    return doc;
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

VaughnIndex build_vaughn(store::Store& store, const std::string& case_id, const Clock& clock) {
  store::ReportReader reader(store);
  VaughnIndex v;
  auto cases = reader.cases(case_id);
  if (case_id.empty() || cases.empty())
    throw Error(ErrorCategory::usage, case_id.empty() ? "vaughn" : case_id,
                "no such case; name a case of the store (see 'declass case list')");
  v.case_record = cases.front();
  v.generated_at = clock.now_iso();
  Snapshot snap = load_snapshot(reader, case_id);
  for (const auto& d : snap.documents) {
    VaughnDocument vd;
    vd.id = d.doc.id;
    vd.doc_no = d.doc.doc_no;
    vd.source_name = d.doc.source_name;
    vd.source_sha256 = d.doc.source_sha256;
    vd.status = d.doc.status;
    vd.disposition = stamp_disposition(d.effective);
    for (auto it = d.approvals.rbegin(); it != d.approvals.rend(); ++it)
      if (it->outcome == "approve") {
        vd.approving_authority = it->authority;
        vd.approved_at = it->decided_at;
        break;
      }
    if (!d.releases.empty()) {
      vd.released_at = d.releases.back().released_at;
      vd.release_sha256 = d.releases.back().output_sha256;
    }
    std::optional<ingest::Document> src = parse_source(reader, d);
    vd.source_mapped = src.has_value();
    std::map<std::int64_t, const store::DecisionRecord*> by_id;
    for (const auto& x : d.decisions) by_id[x.id] = &x;

    // Every withheld text of the document, to mask quotes of it in justifications.
    std::vector<std::string> withheld_texts;
    for (const auto& e : d.effective) {
      if (e.index < 1 || e.index > static_cast<int>(d.paragraphs.size())) continue;
      const std::string& text = d.paragraphs[static_cast<std::size_t>(e.index - 1)].text;
      if (e.action == "withhold" || e.action == "refer") withheld_texts.push_back(text);
      if (e.action == "redact")
        for (const auto& s : e.spans)
          if (s.begin >= 0 && s.end <= static_cast<std::int64_t>(text.size()) && s.begin < s.end)
            withheld_texts.push_back(text.substr(static_cast<std::size_t>(s.begin), static_cast<std::size_t>(s.end - s.begin)));
    }

    auto add_entry = [&](const review::EffectiveParagraph& e, const std::string& text, std::int64_t b, std::int64_t en,
                         std::vector<std::string> codes, std::int64_t decision_id, bool span) {
      VaughnEntry x;
      x.document_id = d.doc.id;
      x.doc_no = d.doc.doc_no;
      x.paragraph = e.index;
      x.paragraph_number = e.number;
      x.scope = span ? "span" : "paragraph";
      x.action = span ? "redact" : e.action;
      if (span) x.span = std::make_pair(b, en);
      x.withheld_chars = code_points(std::string_view(text).substr(static_cast<std::size_t>(b), static_cast<std::size_t>(en - b)));
      for (auto& c : codes) c = canonical_code(c);
      x.codes = std::move(codes);
      if (e.action == "refer" && !span) x.refer_to = e.refer_to;
      if (src) {
        const ingest::Paragraph& p = src->paragraphs[static_cast<std::size_t>(e.index - 1)];
        for (const auto& [sb, se] : p.source_ranges(static_cast<std::size_t>(b), static_cast<std::size_t>(en)))
          if (se > sb) x.source_ranges.emplace_back(sb, se);
        std::set<int> pages;
        for (const auto& seg : p.segments) {
          std::size_t s0 = seg.text_begin, s1 = seg.text_begin + seg.length;
          if (s0 < static_cast<std::size_t>(en) && s1 > static_cast<std::size_t>(b))
            if (const ingest::Line* l = src->line_at(seg.line)) pages.insert(l->page);
        }
        x.pages.assign(pages.begin(), pages.end());
      }
      if (auto it = by_id.find(decision_id); it != by_id.end()) {
        const store::DecisionRecord& dr = *it->second;
        x.decision_id = dr.id;
        x.decision_audit_hash = dr.audit_hash;
        x.basis = dr.basis;
        x.reviewer = dr.reviewer;
        x.decided_at = dr.decided_at;
        x.justification = mask_withheld_quotes(dr.justification, withheld_texts);
      }
      x.approving_authority = vd.approving_authority;
      x.approved_at = vd.approved_at;
      x.released_at = vd.released_at;
      vd.entries.push_back(static_cast<int>(v.entries.size()));
      x.number = static_cast<int>(v.entries.size()) + 1;
      for (const auto& c : x.codes) ++v.totals[c];
      if (x.codes.empty()) ++v.totals["(referral, no code)"];
      v.entries.push_back(std::move(x));
    };

    for (const auto& e : d.effective) {
      if (e.index < 1 || e.index > static_cast<int>(d.paragraphs.size())) continue;
      const std::string& text = d.paragraphs[static_cast<std::size_t>(e.index - 1)].text;
      if (e.action == "withhold" || e.action == "refer") {
        // The paragraph-level decision in effect is the last one without a span.
        std::int64_t did = 0;
        for (std::int64_t id : e.decision_ids)
          if (auto it = by_id.find(id); it != by_id.end() && !it->second->span_begin) did = id;
        add_entry(e, text, 0, static_cast<std::int64_t>(text.size()), e.exemptions, did, false);
      } else if (e.action == "redact") {
        for (const auto& s : e.spans) {
          if (s.begin < 0 || s.end > static_cast<std::int64_t>(text.size()) || s.begin >= s.end) continue;
          add_entry(e, text, s.begin, s.end, s.exemptions, s.decision_id, true);
        }
      }
    }
    if (!vd.entries.empty()) ++v.documents_with_withholdings;
    v.documents.push_back(std::move(vd));
  }
  return v;
}

Json to_json(const VaughnIndex& v) {
  Json j;
  j["schema"] = "declass.report.vaughn/1";
  j["generated_at"] = v.generated_at;
  const auto& c = v.case_record;
  j["case"] = {{"id", c.id}, {"requester", c.requester}, {"received", c.received}, {"due", c.due}, {"status", c.status}};
  Json totals = Json::array();
  for (const auto& [code, n] : v.totals) totals.push_back({{"code", code}, {"meaning", exemption_meaning(code)}, {"withholdings", n}});
  j["summary"] = {{"documents", v.documents.size()},
                  {"documents_with_withholdings", v.documents_with_withholdings},
                  {"entries", v.entries.size()},
                  {"totals", std::move(totals)}};
  Json docs = Json::array();
  for (const auto& d : v.documents) {
    Json entries = Json::array();
    for (int i : d.entries) {
      const VaughnEntry& x = v.entries[static_cast<std::size_t>(i)];
      Json codes = Json::array();
      for (const auto& code : x.codes) codes.push_back({{"code", code}, {"meaning", exemption_meaning(code)}});
      Json ranges = Json::array();
      for (const auto& [b, e] : x.source_ranges) ranges.push_back(Json::array({b, e}));
      entries.push_back({{"number", x.number},
                         {"paragraph", x.paragraph},
                         {"paragraph_number", x.paragraph_number},
                         {"pages", x.pages},
                         {"scope", x.scope},
                         {"action", x.action},
                         {"span", x.span ? Json{{"begin", x.span->first}, {"end", x.span->second}} : Json(nullptr)},
                         {"withheld_chars", x.withheld_chars},
                         {"source_ranges", std::move(ranges)},
                         {"codes", std::move(codes)},
                         {"refer_to", json_or_null(x.refer_to)},
                         {"justification", x.justification},
                         {"decision", {{"id", x.decision_id}, {"basis", x.basis}, {"audit_hash", x.decision_audit_hash}}},
                         {"reviewer", x.reviewer},
                         {"decided_at", x.decided_at},
                         {"approving_authority", x.approving_authority.empty() ? Json(nullptr) : Json(x.approving_authority)},
                         {"approved_at", x.approved_at.empty() ? Json(nullptr) : Json(x.approved_at)},
                         {"released_at", x.released_at.empty() ? Json(nullptr) : Json(x.released_at)}});
    }
    docs.push_back({{"id", d.id},
                    {"doc_no", d.doc_no},
                    {"source_name", d.source_name},
                    {"source_sha256", d.source_sha256},
                    {"status", d.status},
                    {"disposition", d.disposition},
                    {"approving_authority", d.approving_authority.empty() ? Json(nullptr) : Json(d.approving_authority)},
                    {"approved_at", d.approved_at.empty() ? Json(nullptr) : Json(d.approved_at)},
                    {"released_at", d.released_at.empty() ? Json(nullptr) : Json(d.released_at)},
                    {"release_sha256", d.release_sha256.empty() ? Json(nullptr) : Json(d.release_sha256)},
                    {"source_mapped", d.source_mapped},
                    {"entries", std::move(entries)}});
  }
  j["documents"] = std::move(docs);
  return j;
}

namespace {

std::string extent(const VaughnEntry& x) {
  std::string s = x.scope == "span" ? "part of paragraph (" + std::to_string(x.withheld_chars) + " characters)"
                                    : "whole paragraph (" + std::to_string(x.withheld_chars) + " characters)";
  if (x.action == "refer") s += "; referred to " + x.refer_to.value_or("another agency");
  return s;
}

std::string meanings(const VaughnEntry& x) {
  std::string out;
  for (const auto& c : x.codes) out += (out.empty() ? "" : "\n") + c + ": " + exemption_meaning(c);
  if (x.codes.empty() && x.refer_to) out = "Referred to " + *x.refer_to + " for its own review and direct response.";
  return out;
}

std::string para_label(const VaughnEntry& x) {
  return std::to_string(x.paragraph) + (x.paragraph_number.empty() || x.paragraph_number == std::to_string(x.paragraph)
                                            ? ""
                                            : " (no. " + x.paragraph_number + ")");
}

}  // namespace

Table vaughn_table(const VaughnIndex& v) {
  Table t;
  t.columns = {"entry", "document", "doc_no", "pages", "paragraph", "scope", "action", "withheld_chars", "codes", "meanings",
               "refer_to", "justification", "reviewer", "decided_at", "approving_authority", "approved_at", "released_at",
               "decision_id"};
  for (const auto& x : v.entries)
    t.rows.push_back({std::to_string(x.number), x.document_id, x.doc_no, pages_text(x.pages), std::to_string(x.paragraph),
                      x.scope, x.action, std::to_string(x.withheld_chars), join(x.codes, " "), meanings(x),
                      x.refer_to.value_or(""), x.justification, x.reviewer, x.decided_at, x.approving_authority, x.approved_at,
                      x.released_at, std::to_string(x.decision_id)});
  return t;
}

ReportDoc to_doc(const VaughnIndex& v) {
  ReportDoc r;
  r.schema = "declass.report.vaughn/1";
  r.title = "Vaughn index - case " + v.case_record.id;
  r.facts = {{"Case", v.case_record.id},
             {"Requester", v.case_record.requester},
             {"Received", v.case_record.received},
             {"Due (20 working days)", v.case_record.due},
             {"Documents", std::to_string(v.documents.size()) + " (" + std::to_string(v.documents_with_withholdings) +
                               " with withholdings)"},
             {"Withholdings", std::to_string(v.entries.size())},
             {"Generated", v.generated_at}};
  r.notes = {"One entry per withholding: a withheld or referred paragraph, or a redacted passage within a paragraph. "
             "Entries are generated from the same recorded decisions that produce the redaction boxes and stamps of the "
             "release, so the index and the released documents cannot disagree. Pages are pages of the document as "
             "imported; the withheld text itself is never shown, and any quotation of it in a justification is "
             "replaced by [withheld]."};
  for (const auto& d : v.documents) {
    Section s;
    s.heading = d.id + "  " + d.doc_no + "  -  " + d.disposition;
    std::string line = "Source " + d.source_name + ", status " + d.status + ".";
    if (!d.approving_authority.empty()) line += " Approved by " + d.approving_authority + " on " + date_part(d.approved_at) + ".";
    if (!d.released_at.empty()) line += " Released on " + date_part(d.released_at) + ".";
    if (!d.source_mapped) line += " Page numbers unavailable: the stored source no longer yields the stored paragraphs.";
    s.notes.push_back(line);
    if (d.entries.empty()) {
      s.notes.push_back("Released in full: no withholdings.");
    } else {
      Table t;
      t.columns = {"No.", "Page", "Para.", "Extent", "Codes", "What the codes mean", "Justification", "Reviewer, decided",
                   "Approved by"};
      for (int i : d.entries) {
        const VaughnEntry& x = v.entries[static_cast<std::size_t>(i)];
        t.rows.push_back({std::to_string(x.number), pages_text(x.pages), para_label(x), extent(x), join(x.codes, " "),
                          meanings(x), x.justification, x.reviewer + ", " + date_part(x.decided_at),
                          x.approving_authority.empty() ? "(not approved)" : x.approving_authority + ", " + date_part(x.approved_at)});
      }
      s.tables.push_back(std::move(t));
    }
    r.sections.push_back(std::move(s));
  }
  Section tot;
  tot.heading = "Totals per exemption";
  Table t;
  t.columns = {"Code", "Withholdings", "Meaning"};
  for (const auto& [code, n] : v.totals) t.rows.push_back({code, std::to_string(n), exemption_meaning(code)});
  tot.tables.push_back(std::move(t));
  r.sections.push_back(std::move(tot));
  return r;
}

}  // namespace declass::report
