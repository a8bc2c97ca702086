// Static font data tables (generated into base14_metrics.cpp by scripts/gen_base14_metrics.py):
// standard-14 widths, ascent/descent and built-in encodings, the PDF base encodings, and the Adobe
// Glyph List. Internal to src/pdf; nothing reads font files at run time.
#pragma once
#include <cstddef>

namespace declass::pdf::fontdata {

struct GlyphWidth {
  const char* name;
  int width;  // thousandths of text space
};

struct Base14Font {
  const char* name;            // e.g. "Helvetica-BoldOblique"
  int ascent, descent;         // 0/0 = unknown (Symbol, ZapfDingbats)
  const GlyphWidth* widths;    // sorted by name (strcmp)
  std::size_t width_count;
  const char* const* builtin;  // [256] the font's built-in encoding (glyph names, nullptr = none)
};

struct AglEntry {
  const char* name;
  const char* utf8;
};

extern const char* const k_enc_standard[256];
extern const char* const k_enc_winansi[256];
extern const char* const k_enc_macroman[256];
extern const char* const k_enc_macexpert[256];
extern const char* const k_enc_symbol[256];
extern const char* const k_enc_zapfdingbats[256];
extern const char* const k_enc_pdfdoc[256];
extern const Base14Font k_base14[14];
extern const AglEntry k_agl[];        // sorted by name (strcmp)
extern const std::size_t k_agl_count;

}  // namespace declass::pdf::fontdata
