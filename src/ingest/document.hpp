// The Document model every later stage works on: the decoded source text, its lines with
// zones and pages, and paragraphs rebuilt across page breaks. Every character of a paragraph's
// text maps back to a byte offset of the source, so a redaction decided on text lands exactly.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "markings/types.hpp"

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

  // Source byte offset of text[pos], or nullopt for an inserted join character.
  std::optional<std::size_t> source_offset(std::size_t pos) const;
  // Source byte ranges [begin, end) covering text[begin, end), one per segment touched.
  std::vector<std::pair<std::size_t, std::size_t>> source_ranges(std::size_t begin, std::size_t end) const;
};

struct Document {
  std::string path;
  std::string format = "text";       // "text" (later: "pdf")
  std::string encoding = "utf-8";    // of the input bytes
  std::string text;                  // decoded source (UTF-8), line terminators kept
  std::vector<Line> lines;
  std::vector<Paragraph> paragraphs;
  int pages = 1;
  markings::DocumentMarkings markings;

  std::string_view line_text(const Line& l) const { return std::string_view(text).substr(l.offset, l.length); }
  const Line* line_at(int number) const {
    return number >= 1 && number <= static_cast<int>(lines.size()) ? &lines[number - 1] : nullptr;
  }
};

}  // namespace declass::ingest
