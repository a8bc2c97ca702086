// Implementation of the inspect library call and its two renderings (see inspect.hpp).
#include "app/inspect.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "ingest/pdf_reader.hpp"
#include "markings/grammar.hpp"
#include "markings/validate.hpp"

namespace declass::app {

bool Inspection::has_errors() const {
  return std::any_of(findings.begin(), findings.end(), [](const auto& f) { return f.severity == "error"; });
}

Inspection inspect_bytes(const std::string& bytes, const std::string& path, const Date& review_date,
                         const ingest::PdfReadOptions& pdf) {
  Inspection in;
  in.sha256 = crypto::sha256_hex(bytes);
  in.document = ingest::parse_document(bytes, path, pdf);

  std::vector<markings::Marking> portions;
  for (const auto& p : in.document.paragraphs)
    if (p.portion) portions.push_back(p.portion->marking);
  const std::vector<markings::ParagraphMarks> marks = ingest::paragraph_marks(in.document);
  in.findings = markings::validate(in.document.markings, marks, review_date);
  std::stable_sort(in.findings.begin(), in.findings.end(),
                   [](const auto& a, const auto& b) { return a.paragraph < b.paragraph; });
  in.computed_banner = markings::roll_up(portions);
  return in;
}

Inspection inspect_file(const std::string& path, const Date& review_date, const ingest::PdfReadOptions& pdf) {
  return inspect_bytes(io::read_file(path, ingest::max_document_bytes), path, review_date, pdf);
}

Json marking_json(const markings::Marking& m) {
  Json j;
  j["marking"] = m.text.empty() ? m.canonical() : m.text;
  j["classification"] = m.classification ? Json(markings::code(*m.classification)) : Json(nullptr);
  j["controls"] = m.controls;
  if (m.low_confidence) j["low_confidence"] = true;
  return j;
}

static Json string_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json inspect_json(const Inspection& in, const Date& review_date) {
  const auto& doc = in.document;
  const auto& mk = doc.markings;
  Json j;
  j["schema"] = "declass.inspect/1";
  j["source"] = {{"path", doc.path},
                 {"sha256", in.sha256},
                 {"format", doc.format},
                 {"encoding", doc.encoding},
                 {"pages", doc.pages},
                 {"lines", doc.lines.size()}};
  j["review_date"] = review_date.iso();
  j["identifiers"] = {{"case_number", string_or_null(mk.identifiers.case_number)},
                      {"doc_number", string_or_null(mk.identifiers.doc_number)},
                      {"message_ref", string_or_null(mk.identifiers.message_ref)},
                      {"dtg", string_or_null(mk.identifiers.dtg)}};
  j["document_date"] = mk.document_date ? Json(mk.document_date->iso()) : Json(nullptr);
  j["banner"] = mk.banner ? marking_json(*mk.banner) : Json(nullptr);
  bool any_portion = std::any_of(doc.paragraphs.begin(), doc.paragraphs.end(), [](const auto& p) { return p.portion.has_value(); });
  j["computed_banner"] = any_portion ? marking_json(in.computed_banner) : Json(nullptr);
  j["captions"] = mk.captions;
  j["tags"] = mk.tags;
  j["subject"] = string_or_null(mk.subject);
  if (mk.authority.line || !mk.authority.order.empty()) {
    j["authority"] = {{"order", string_or_null(mk.authority.order)},
                      {"classified_by", string_or_null(mk.authority.classified_by)},
                      {"derived_from", string_or_null(mk.authority.derived_from)},
                      {"reasons", mk.authority.reasons},
                      {"declassify_on", string_or_null(mk.authority.declassify_on)}};
  } else {
    j["authority"] = nullptr;
  }
  if (mk.release) {
    j["release"] = {{"status", mk.release->status},
                    {"exemptions", mk.release->exemptions},
                    {"review_authority", string_or_null(mk.review_authority)},
                    {"date", mk.release_date ? Json(mk.release_date->iso()) : Json(nullptr)}};
  } else {
    j["release"] = nullptr;
  }
  j["lined_through_original"] = mk.lined_through_original;
  Json paras = Json::array();
  for (const auto& p : doc.paragraphs) {
    Json pj;
    pj["index"] = p.index;
    pj["number"] = string_or_null(p.number);
    pj["zone"] = ingest::to_string(p.zone);
    pj["portion"] = p.portion ? marking_json(p.portion->marking) : Json(nullptr);
    Json ex = Json::array();
    for (const auto& e : p.exemptions) ex.push_back(e.code);
    pj["exemptions"] = ex;
    pj["pages"] = p.pages;
    pj["text"] = p.text;
    pj["source_lines"] = {p.first_line, p.last_line};
    paras.push_back(std::move(pj));
  }
  j["paragraphs"] = std::move(paras);
  Json fj = Json::array();
  for (const auto& f : in.findings) {
    fj.push_back({{"code", f.code},
                  {"severity", f.severity},
                  {"message", f.message},
                  {"paragraph", f.paragraph ? Json(f.paragraph) : Json(nullptr)},
                  {"line", f.line ? Json(f.line) : Json(nullptr)}});
  }
  j["findings"] = std::move(fj);
  if (!doc.warnings.empty()) j["warnings"] = doc.warnings;  // reader warnings (PDF fonts, repairs); no text
  return j;
}

static std::string first_words(const std::string& text, size_t max_chars) {
  std::string s;
  for (char c : text) {
    if (s.size() >= max_chars) {
      s += "...";
      break;
    }
    s += c;
  }
  return s;
}

static std::string banner_text(const std::optional<markings::Marking>& m) {
  return m ? m->canonical() : std::string("(none)");
}

std::string inspect_text(const Inspection& in) {
  const auto& doc = in.document;
  const auto& mk = doc.markings;
  std::ostringstream o;
  o << doc.path << "  (" << doc.format << ", " << doc.pages << " page" << (doc.pages == 1 ? "" : "s") << ", "
    << doc.paragraphs.size() << " paragraphs, sha256 " << in.sha256.substr(0, 16) << "...)\n";
  auto field = [&](const char* name, const std::string& v) {
    if (!v.empty()) o << "  " << name << ": " << v << "\n";
  };
  field("case", mk.identifiers.case_number);
  field("doc", mk.identifiers.doc_number);
  field("message", mk.identifiers.message_ref);
  field("dtg", mk.identifiers.dtg);
  if (mk.document_date) field("date", mk.document_date->iso());
  bool any_portion = std::any_of(doc.paragraphs.begin(), doc.paragraphs.end(), [](const auto& p) { return p.portion.has_value(); });
  o << "  banner: " << banner_text(mk.banner);
  if (any_portion) o << "   computed from portions: " << in.computed_banner.canonical();
  o << "\n";
  if (!mk.captions.empty()) {
    o << "  captions:";
    for (const auto& c : mk.captions) o << " " << c;
    o << "\n";
  }
  if (!mk.tags.empty()) {
    o << "  tags:";
    for (const auto& t : mk.tags) o << " " << t;
    o << "\n";
  }
  if (!mk.authority.order.empty() || !mk.authority.classified_by.empty()) {
    o << "  authority: E.O. " << (mk.authority.order.empty() ? "?" : mk.authority.order);
    if (!mk.authority.classified_by.empty()) o << "; classified by " << mk.authority.classified_by;
    if (!mk.authority.reasons.empty()) {
      o << "; reasons";
      for (const auto& r : mk.authority.reasons) o << " " << r;
    }
    if (!mk.authority.declassify_on.empty()) o << "; declassify on " << mk.authority.declassify_on;
    o << "\n";
  }
  if (mk.release) {
    o << "  release: " << mk.release->status;
    if (!mk.release->exemptions.empty()) o << " " << markings::stamp_code_list(mk.release->exemptions);
    if (!mk.review_authority.empty()) o << "; review authority " << mk.review_authority;
    if (mk.release_date) o << "; " << mk.release_date->iso();
    o << "\n";
  }
  o << "\n  para  num  portion        text\n";
  for (const auto& p : doc.paragraphs) {
    char head[64];
    std::snprintf(head, sizeof head, "  %4d  %-4s %-14s ", p.index, p.number.empty() ? "-" : p.number.c_str(),
                  p.portion ? p.portion->marking.text.c_str() : "-");
    o << head << first_words(p.text, 60) << "\n";
  }
  for (const auto& w : doc.warnings) o << "  warning: " << w << "\n";
  if (in.findings.empty()) {
    o << "\n  no findings\n";
  } else {
    o << "\n  findings:\n";
    for (const auto& f : in.findings) {
      o << "    " << f.severity << " " << f.code;
      if (f.paragraph) o << " (paragraph " << f.paragraph << ")";
      if (f.line) o << " line " << f.line;
      o << ": " << f.message << "\n";
    }
  }
  return o.str();
}

}  // namespace declass::app
