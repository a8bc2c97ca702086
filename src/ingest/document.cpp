// Document model helpers: zone names, paragraph offset maps (text position → source byte
// offset, text range → source byte ranges) and the per-paragraph marking facts that
// markings::validate consumes.
#include "ingest/document.hpp"

#include <algorithm>

namespace declass::ingest {

const char* to_string(Zone z) {
  switch (z) {
    case Zone::blank: return "blank";
    case Zone::cover: return "cover";
    case Zone::page_banner: return "page_banner";
    case Zone::page_header: return "page_header";
    case Zone::page_footer: return "page_footer";
    case Zone::cable_header: return "cable_header";
    case Zone::caption: return "caption";
    case Zone::eo_tags_subject: return "eo_tags_subject";
    case Zone::authority: return "authority";
    case Zone::body: return "body";
    case Zone::release_stamp: return "release_stamp";
    case Zone::editorial: return "editorial";
  }
  return "unknown";
}

namespace {
// Index of the segment whose text range contains pos, or segments.size().
std::size_t segment_index(const std::vector<TextSegment>& segs, std::size_t pos) {
  auto it = std::upper_bound(segs.begin(), segs.end(), pos,
                             [](std::size_t p, const TextSegment& s) { return p < s.text_begin; });
  if (it == segs.begin()) return segs.size();
  --it;
  if (pos < it->text_begin + it->length) return static_cast<std::size_t>(it - segs.begin());
  return segs.size();
}
}  // namespace

std::optional<std::size_t> Paragraph::source_offset(std::size_t pos) const {
  if (pos >= text.size()) return std::nullopt;
  std::size_t i = segment_index(segments, pos);
  if (i >= segments.size()) return std::nullopt;
  return segments[i].source_begin + (pos - segments[i].text_begin);
}

std::vector<std::pair<std::size_t, std::size_t>> Paragraph::source_ranges(std::size_t begin, std::size_t end) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (end > text.size()) end = text.size();
  if (begin >= end) return out;
  for (const TextSegment& s : segments) {
    std::size_t sb = s.text_begin, se = s.text_begin + s.length;
    if (se <= begin) continue;
    if (sb >= end) break;
    std::size_t b = std::max(begin, sb), e = std::min(end, se);
    if (b < e) out.emplace_back(s.source_begin + (b - sb), s.source_begin + (e - sb));
  }
  return out;
}

std::vector<markings::ParagraphMarks> paragraph_marks(const Document& doc) {
  std::vector<markings::ParagraphMarks> out;
  out.reserve(doc.paragraphs.size());
  for (const Paragraph& p : doc.paragraphs) {
    markings::ParagraphMarks m;
    m.index = p.index;
    m.line = p.first_line;
    if (p.portion) m.portion = p.portion->marking;
    for (const auto& e : p.exemptions) m.exemptions.push_back(e.code);
    m.is_body = p.zone == Zone::body && !p.heading;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace declass::ingest
