// The Document model every later stage works on: the decoded source text, its lines with
// zones and pages, and paragraphs rebuilt across page breaks. Every character of a paragraph's
// text maps back to a byte offset of the source, so a redaction decided on text lands exactly.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "markings/types.hpp"
#include "markings/validate.hpp"

namespace declass::ingest {

enum class Zone {
  blank,          // empty line
  cover,          // archive cover page (Citation:, Summary:, Credits: ...)
  page_banner,    // "SECRET" alone at the top/bottom of a page
  page_header,    // "PAGE 02 STATE 244337 291915Z", print headers
  page_footer,    // FOIA footer "UNCLASSIFIED U.S. Department of State Case No. ..."
  cable_header,   // routing, DRAFTED BY, FM/TO, DTG, class line
  caption,        // NODIS, EXDIS, SIPDIS ...
  eo_tags_subject,// E.O. / TAGS / SUBJECT / REF lines
  authority,      // Classified By / Reason / Declassify On lines
  body,           // paragraph text
  release_stamp,  // RELEASE IN FULL/PART, REVIEW AUTHORITY, margin code lines
  editorial,      // FRUS editorial brackets, "<< END OF DOCUMENT >>"
};
const char* to_string(Zone z);

struct Line {
  int number = 0;            // 1-based
  std::size_t offset = 0;    // byte offset of the first character in Document::text
  std::size_t length = 0;    // bytes, without the line terminator
  int page = 1;              // 1-based page of the source (form feeds, PAGE nn headers)
  Zone zone = Zone::body;
  // Right-hand margin cell of layout text (release stamp, margin codes, post-hoc "Classified by"
  // block) split off at a gutter of >= 6 spaces; margin_length == 0 when there is none. The
  // cell is never part of a paragraph. When the whole line is such a cell, zone says so and
  // margin_length stays 0.
  std::size_t margin_offset = 0;   // byte offset in Document::text
  std::size_t margin_length = 0;
  Zone margin_zone = Zone::blank;  // release_stamp or authority when margin_length > 0
};

// text[text_begin, text_begin+length) == source[source_begin, source_begin+length).
struct TextSegment {
  std::size_t text_begin = 0;
  std::size_t source_begin = 0;
  std::size_t length = 0;
  int line = 0;              // 1-based source line
};

struct Paragraph {
  int index = 0;                     // 1-based among the document's paragraphs
  std::string number;                // "3", "A", or "" when unnumbered
  Zone zone = Zone::body;
  std::string text;                  // joined text; line breaks become one space; page furniture removed
  std::vector<TextSegment> segments; // ordered; characters between segments are inserted joins (spaces)
  int first_line = 0;
  int last_line = 0;
  std::vector<int> pages;            // distinct pages, ascending
  std::optional<markings::PortionHit> portion;   // offsets into text
  std::vector<markings::ExemptionHit> exemptions;  // in-text codes, offsets into text
  bool heading = false;              // short unnumbered all-caps heading or signature ("SUMMARY", "TALBOTT")
  // Lined-through (cancelled) original portion mark residue after the paragraph number
  // ("-(75-3", "4at", "(5.)-"), offsets into text; never read as a current mark (MARKINGS.md §10.1).
  std::optional<std::pair<std::size_t, std::size_t>> cancelled_mark;
  // Canonical codes of standalone margin-code lines ("1.4(B)", "B1") printed next to this paragraph.
  std::vector<std::string> margin_codes;

  // Source byte offset of text[pos], or nullopt for an inserted join character.
  std::optional<std::size_t> source_offset(std::size_t pos) const;
  // Source byte ranges [begin, end) covering text[begin, end), one per segment touched.
  std::vector<std::pair<std::size_t, std::size_t>> source_ranges(std::size_t begin, std::size_t end) const;
};

// A rectangle on a PDF page (user space, points, lower-left origin); used for glyph boxes and redaction areas.
struct PageRect {
  int page = 0;   // 1-based
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct Document {
  std::string path;
  std::string format = "text";       // "text" or "pdf"
  std::string encoding = "utf-8";    // of the input bytes
  std::string text;                  // decoded source (UTF-8), line terminators kept
  std::vector<Line> lines;
  std::vector<Paragraph> paragraphs;
  int pages = 1;
  markings::DocumentMarkings markings;
  // PDF inputs only: text is the glyphs in reading order (lines joined by '\n', pages by '\f');
  // glyph_at_byte[i] indexes glyph_boxes for text[i], or -1 for an inserted space/line break.
  std::vector<PageRect> glyph_boxes;
  std::vector<int> glyph_at_byte;
  // Boxes of exact duplicate glyphs dropped from the text (fake bold, double OCR layers): (index into
  // glyph_boxes of the kept glyph, box of the dropped copy), sorted by index; redaction covers both.
  std::vector<std::pair<int, PageRect>> glyph_duplicates;
  // Reader warnings (PDF: Type3 or unmapped fonts, repaired structure); never document text.
  std::vector<std::string> warnings;

  std::string_view line_text(const Line& l) const { return std::string_view(text).substr(l.offset, l.length); }
  const Line* line_at(int number) const {
    return number >= 1 && number <= static_cast<int>(lines.size()) ? &lines[number - 1] : nullptr;
  }
};

// What markings::validate needs per paragraph (is_body false for headings and non-body zones).
std::vector<markings::ParagraphMarks> paragraph_marks(const Document& doc);

}  // namespace declass::ingest
