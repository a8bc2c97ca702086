// Internal pieces of the text reader shared between its translation units (line splitting,
// zoning, paragraph building, marking extraction). Not part of the ingest API.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.hpp"

namespace declass::ingest::detail {

struct RawLine {
  std::size_t offset = 0;
  std::size_t length = 0;
  bool form_feed_before = false;  // a form feed preceded this line: it starts a new page
};

std::vector<RawLine> split_lines(std::string_view text);

// Per-line facts the zoner leaves for the paragraph builder.
struct LineInfo {
  std::size_t content_begin = 0;  // trimmed content of the left cell (absolute offsets)
  std::size_t content_end = 0;
  bool subject = false;           // SUBJECT: line or its continuation
  bool authority_start = false;   // first line of an authority block (numbered or not)
  std::vector<std::string> margin_codes;  // canonical codes of a margin-code line or cell
};

// Zone classification, pages and marking extraction (zoner.cpp). Fills doc.lines' zone/page/
// margin fields, info, and doc.markings except paragraph-derived facts.
void zone_lines(Document& doc, std::vector<LineInfo>& info);

// Paragraph reconstruction (paragraphs.cpp): fills doc.paragraphs, per-paragraph portion marks,
// exemption codes, cancelled-mark residue; may re-zone continuation lines of authority paragraphs.
void build_paragraphs(Document& doc, const std::vector<LineInfo>& info);

// The pipeline shared by the text and PDF readers, run on doc.text: zone_lines, then build_paragraphs.
// pages_from_form_feeds: every line gets the page given by the form feeds before it (PDF pages are
// physical) instead of the zoner's page count from headers; doc.pages is then the number of pages.
void analyse_text(Document& doc, bool pages_from_form_feeds = false);

// ASCII whitespace trim on [b, e) of s; returns new bounds.
inline void trim_bounds(std::string_view s, std::size_t& b, std::size_t& e) {
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\v' || s[b] == '\f' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\v' || s[e - 1] == '\f' || s[e - 1] == '\r')) --e;
}

}  // namespace declass::ingest::detail
