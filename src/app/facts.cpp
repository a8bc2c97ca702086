// ingest::Document → rules::DocumentFacts (see facts.hpp). Levels become codes ("S"), zones
// their names ("body"), exemption codes stay canonical ("(b)(6)", "1.4(d)", "25X1").
#include "app/facts.hpp"

#include "markings/types.hpp"

namespace declass::app {

rules::DocumentFacts document_facts(const ingest::Document& doc, const Date& review_date) {
  const auto& m = doc.markings;
  rules::DocumentFacts f;
  f.path = doc.path;
  if (m.banner && m.banner->classification) f.banner = markings::code(*m.banner->classification);
  if (m.banner) f.banner_controls = m.banner->controls;
  f.captions = m.captions;
  f.tags = m.tags;
  f.order = m.authority.order;
  f.reasons = m.authority.reasons;
  f.declassify_on = m.authority.declassify_on;
  f.declassify_on_date = m.authority.declassify_on_date;
  f.document_date = m.document_date;
  if (m.release) {
    f.release_status = m.release->status;
    f.release_exemptions = m.release->exemptions;
  }
  f.review_date = review_date;
  f.paragraphs.reserve(doc.paragraphs.size());
  for (const auto& p : doc.paragraphs) {
    rules::ParagraphFacts pf;
    pf.index = p.index;
    pf.number = p.number;
    pf.zone = ingest::to_string(p.zone);
    pf.text = p.text;
    if (p.portion) {
      if (p.portion->marking.classification) pf.classification = markings::code(*p.portion->marking.classification);
      pf.controls = p.portion->marking.controls;
    }
    for (const auto& e : p.exemptions) pf.exemptions.push_back(e.code);
    f.paragraphs.push_back(std::move(pf));
  }
  return f;
}

}  // namespace declass::app
