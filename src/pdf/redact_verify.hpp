// Internal to the pdf module (and its tests): the fail-closed verifier that redact_pdf runs on the
// bytes it wrote. It re-reads the output with the same interpreter, checks that no glyph (except our
// own overlay labels/stamps) touches an area, that every kept input glyph is at its original origin
// with the same text, and that the release lint checklist passes. Throws Error(verification).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/inspect.hpp"

namespace declass::pdf {

// The geometry rule shared by redaction and verification: the glyph box shrunk by 10 % on each side
// intersects the area. A degenerate (zero width or height) glyph box is tested as the segment/point
// it is, edges included, so a zero-advance glyph inside an area is never kept.
bool glyph_hits(const Box& glyph_box, const Box& area);

struct ExpectedGlyph {
  double x = 0, y = 0;   // origin in page user space
  std::uint32_t text_begin = 0, text_size = 0;  // its text in VerifyPage::kept_text (no string per glyph)
};

struct VerifyPage {
  std::vector<Box> areas;             // areas as used for removal (margin included)
  std::vector<ExpectedGlyph> kept;    // kept input glyphs in content order (empty for rasterized pages)
  std::string kept_text;              // the texts of `kept`, back to back
  void keep(std::string_view text, double x, double y) {
    kept.push_back(ExpectedGlyph{x, y, static_cast<std::uint32_t>(kept_text.size()), static_cast<std::uint32_t>(text.size())});
    kept_text.append(text);
  }
  std::string_view text_of(const ExpectedGlyph& g) const { return std::string_view(kept_text).substr(g.text_begin, g.text_size); }
  bool rasterized = false;
  std::string overlay_name;           // XObject name of our overlay form in the page content ("" = none)
  std::size_t input_glyphs = 0;       // glyphs of the input page
  std::size_t removed = 0;            // glyphs the redaction removed from it
};

struct VerifyPlan {
  std::vector<VerifyPage> pages;      // one per page of the document
  LintOptions lint;                   // terms, allowed attachments (signed_release must be false)
  bool input_had_invisible_text = false;  // kept Tr 3 (OCR) glyphs are then allowed: checked glyph by glyph
  double tolerance = 0.01;            // points
};

struct VerifyOutcome {
  std::vector<LintCheck> checks;      // all ok when returned
  std::size_t kept_glyphs_checked = 0;
  double max_position_deviation = 0;
};

// Throws Error(verification, "page N: <check> ...") on the first failing check; never names document text.
VerifyOutcome verify_redacted_output(std::string_view output, const VerifyPlan& plan);

}  // namespace declass::pdf
