// JSON summaries of a Document (see summary.hpp).
#include "ingest/summary.hpp"

namespace declass::ingest {

namespace {
Json marking_json(const std::optional<markings::Marking>& m) {
  if (!m) return nullptr;
  Json j;
  j["text"] = m->text;
  j["level"] = m->classification ? Json(markings::code(*m->classification)) : Json(nullptr);
  j["canonical"] = m->canonical();
  j["controls"] = m->controls;
  j["low_confidence"] = m->low_confidence;
  return j;
}
Json date_json(const std::optional<Date>& d) { return d ? Json(d->iso()) : Json(nullptr); }
}  // namespace

Json summary_json(const Document& doc) {
  const auto& mk = doc.markings;
  Json j;
  j["path"] = doc.path;
  j["format"] = doc.format;
  j["encoding"] = doc.encoding;
  j["pages"] = doc.pages;
  j["lines"] = doc.lines.size();
  int numbered = 0;
  for (const auto& p : doc.paragraphs)
    if (!p.number.empty()) ++numbered;
  j["paragraphs"] = doc.paragraphs.size();
  j["numbered_paragraphs"] = numbered;
  j["banner"] = marking_json(mk.banner);
  j["banner_line"] = mk.banner_line;
  j["captions"] = mk.captions;
  j["tags"] = mk.tags;
  j["subject"] = mk.subject;
  j["subject_portion"] = marking_json(mk.subject_portion);
  Json a;
  a["order"] = mk.authority.order;
  a["classified_by"] = mk.authority.classified_by;
  a["derived_from"] = mk.authority.derived_from;
  a["reasons"] = mk.authority.reasons;
  a["declassify_on"] = mk.authority.declassify_on;
  a["declassify_on_date"] = date_json(mk.authority.declassify_on_date);
  a["line"] = mk.authority.line;
  j["authority"] = a;
  if (mk.release) {
    Json r;
    r["status"] = mk.release->status;
    r["exemptions"] = mk.release->exemptions;
    r["line"] = mk.release->line;
    j["release"] = r;
  } else {
    j["release"] = nullptr;
  }
  j["review_authority"] = mk.review_authority;
  j["release_date"] = date_json(mk.release_date);
  j["document_date"] = date_json(mk.document_date);
  j["case_number"] = mk.identifiers.case_number;
  j["doc_number"] = mk.identifiers.doc_number;
  j["message_ref"] = mk.identifiers.message_ref;
  j["dtg"] = mk.identifiers.dtg;
  j["portion_marked"] = mk.portion_marked;
  j["lined_through_original"] = mk.lined_through_original;
  return j;
}

Json paragraphs_json(const Document& doc) {
  Json arr = Json::array();
  for (const auto& p : doc.paragraphs) {
    Json j;
    j["index"] = p.index;
    j["number"] = p.number;
    j["zone"] = to_string(p.zone);
    j["heading"] = p.heading;
    j["first_line"] = p.first_line;
    j["last_line"] = p.last_line;
    j["pages"] = p.pages;
    j["length"] = p.text.size();
    j["portion"] = p.portion && p.portion->marking.classification ? Json(markings::code(*p.portion->marking.classification))
                                                                    : Json(nullptr);
    j["cancelled_mark"] = p.cancelled_mark.has_value();
    Json ex = Json::array();
    for (const auto& e : p.exemptions) ex.push_back(e.code);
    j["exemptions"] = ex;
    j["margin_codes"] = p.margin_codes;
    arr.push_back(j);
  }
  return arr;
}

}  // namespace declass::ingest
