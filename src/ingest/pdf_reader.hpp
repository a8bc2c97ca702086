// Reads PDF records into the same Document model as text records: glyphs from our own content
// interpreter (run in an isolated worker process), put in reading order as lines and pages, then
// zoned, paragraphed and marked by the text pipeline. Every byte of Document::text that came from a
// glyph keeps that glyph's page box, so a redaction decided on paragraph text maps to exact boxes.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.hpp"
#include "pdf/page_geometry.hpp"

namespace declass::ingest {

struct PdfReadOptions {
  std::string password;   // for encrypted PDFs; "" = refuse them with a clear message
  bool isolate = true;    // run the interpreter in a forked worker with limits (core/isolate.hpp)
  // When set, receives each page's box and /Rotate as the interpreter read them (what redaction uses),
  // so a caller placing stamps need not parse the file again.
  std::vector<pdf::PageGeometry>* geometry = nullptr;
  // When set, the glyphs come from here (pdf::glyphs.hpp's encoding, in pieces, to the consumer given)
  // instead of a reading worker of our own: a pdf::PdfWorker the caller keeps to redact the same file.
  std::function<void(const std::function<void(std::string_view)>&)> glyph_source;
};

// Largest input read_document_file accepts (PDFs; text records stay limited to io::max_text_input).
inline constexpr std::size_t max_document_bytes = std::size_t{1} << 30;  // 1 GiB

bool looks_like_pdf(std::string_view bytes);  // starts with "%PDF-" (after optional whitespace/BOM junk ≤ 1 KiB)

// Parses PDF bytes in memory; `path` only for messages and Document::path. Document::format = "pdf".
// Throws Error(input) for unreadable / encrypted (no or wrong password) / text-less files (message
// says the PDF has no text layer and needs OCR).
Document parse_pdf(std::string_view bytes, const std::string& path, const PdfReadOptions& options = {});

// Text byte ranges [begin, end) of Document::text → page rectangles covering exactly the glyphs of those
// bytes: one rectangle per run of glyphs on the same line (so a span across a line break or a hyphenated
// line end gives one rectangle per line fragment). Bytes without a glyph (inserted spaces/newlines) add nothing.
std::vector<PageRect> rects_for_text_ranges(const Document& doc,
                                            const std::vector<std::pair<std::size_t, std::size_t>>& ranges);

// Reads a file and dispatches on its content: PDF → parse_pdf, otherwise parse_text.
Document read_document_file(const std::string& path, const PdfReadOptions& options = {});
Document parse_document(std::string_view bytes, const std::string& path, const PdfReadOptions& options = {});

}  // namespace declass::ingest
