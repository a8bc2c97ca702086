// True redaction of an existing PDF: glyphs whose box touches a redaction area are removed from the
// content streams (every other glyph keeps its exact position), forms used elsewhere are copied
// before editing, images under an area are blanked or removed, paths under an area removed, and the
// document is rebuilt from an allow-list (no annotations, forms, outlines, attachments, JavaScript,
// metadata, structure tree, optional content, thumbnails, page labels), fully rewritten, then
// verified fail-closed by re-extraction and the lint checklist. Labels and stamps drawn on top.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/inspect.hpp"

namespace declass::pdf {

struct RedactionArea {
  int page = 0;                   // 1-based
  Box box;                        // page user space
  std::string label;              // printed inside the filled box, e.g. "B6" or "B1 1.4(D)"; "" = none
};

// A line of stamp text drawn on a page (Helvetica / Helvetica-Bold, base-14, WinAnsi).
struct StampText {
  int page = 0;                   // 1-based; 0 = every page
  // Baseline start in the page as displayed: the frame of display_box(page box, /Rotate) from
  // page_geometry.hpp, so the text reads upright on a rotated page; plain user space when unrotated.
  double x = 0, y = 0;
  double size = 9;
  bool bold = false;
  std::string text;               // UTF-8; characters outside WinAnsi become '?'
};

// A line drawn through kept text, as a release draws through cancelled classification markings: from
// (x0, y) to (x1, y) in page user space.
struct StrikeLine {
  int page = 0;  // 1-based
  double x0 = 0, x1 = 0, y = 0;
  double width = 0.9;
};

// Every field crosses to the redaction worker in redact_isolated.cpp (encode_job_head / redact_job):
// a field added here must be added there.
struct RedactOptions {
  std::string password;                  // for an encrypted input
  bool rasterize_unsafe_pages = false;   // rebuild unsafe pages as images instead of refusing
  double area_margin = 0;                // points added around each area for the geometry test
  std::vector<StampText> stamps;
  std::vector<StrikeLine> strikes;       // drawn in the overlay, over the kept content
  std::string title;                     // Info /Title ("" = none); must not contain withheld text
  std::string producer = "declass";
  std::int64_t creation_time = 0;        // unix seconds for CreationDate/ModDate
  std::string xmp;                       // our own XMP packet ("" = none)
  std::vector<Attachment> attachments;   // e.g. release-audit.json (only these survive)
  std::vector<std::string> withheld_terms;  // text that must be absent afterwards (verification only)
};

struct PageRedactionReport {
  int page = 0;
  std::size_t areas = 0;
  std::size_t glyphs_removed = 0;
  std::size_t images_blanked = 0;
  std::size_t images_removed = 0;
  std::size_t inline_images_removed = 0;
  std::size_t paths_removed = 0;
  std::size_t forms_instanced = 0;
  bool rasterized = false;
  std::string rasterize_reason;
};

struct RedactReport {
  int pages = 0;
  std::vector<PageRedactionReport> page_reports;   // pages with areas or changes only
  std::size_t glyphs_removed = 0;
  std::size_t objects_dropped = 0;                 // objects of the input not carried into the output
  std::vector<std::string> dropped_features;       // "annotations", "outline", "JavaScript", "Info", ...
  std::vector<int> rasterized_pages;
  std::vector<LintCheck> checks;                   // the post-write verification, all ok
  std::size_t kept_glyphs_checked = 0;             // kept glyphs found at their original position
  double max_position_deviation = 0;               // points
};

struct RedactResult {
  std::string pdf;                // unsigned, sanitized, labelled, verified
  RedactReport report;
};

// Throws Error(input) for an unreadable/encrypted input or a page that cannot be redacted safely
// (message names the page and the reason) unless rasterize_unsafe_pages is set; Error(verification)
// when the written file fails re-extraction or the checklist — then no bytes are returned.
RedactResult redact_pdf(std::string_view input, const std::vector<RedactionArea>& areas, const RedactOptions& options);

}  // namespace declass::pdf

namespace declass::pdf {

// redact_pdf in a forked worker with memory/CPU/time limits (core/isolate.hpp): a malformed input that
// crashes or hangs the PDF libraries becomes Error(input) instead of taking the caller down. Errors
// thrown by redact_pdf keep their category and message. Use this for every untrusted input.
RedactResult redact_pdf_isolated(std::string_view input, const std::vector<RedactionArea>& areas,
                                 const RedactOptions& options);

}  // namespace declass::pdf
