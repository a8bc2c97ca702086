// Internal to the pdf module: the content-stream interpreter over libqpdf objects. For one page it
// parses the page content and every Form XObject use (one StreamUse per use, so a form drawn twice
// appears twice), and records each glyph, image, inline image, path and form placement with the
// exact op that drew it. The same analysis serves extraction, redaction and post-write verification.
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/content_lexer.hpp"
#include "pdf/glyphs.hpp"

namespace declass::pdf {

// a b c d e f, as in the PDF "cm" operator.
using Matrix = std::array<double, 6>;
Matrix multiply(const Matrix& first, const Matrix& then);  // first × then (apply first, then `then`)
Box transform_box(const Box& b, const Matrix& m);         // bounding box of the transformed rectangle

// One parsed content stream as it is used on the page: the page's own content (index 0) or one use
// of a Form XObject (drawn by op `parent_op` of stream `parent`, via resource name `name`).
struct StreamUse {
  int parent = -1;               // index into PageAnalysis::streams; -1 for the page content
  int parent_op = -1;            // index of the "Do" op in the parent stream
  std::string name;              // resource name of the form, without '/'
  QPDFObjectHandle object;       // the form XObject stream (null for the page content)
  QPDFObjectHandle resources;    // resources in effect for this stream
  Matrix ctm_at_use{1, 0, 0, 1, 0, 0};  // CTM at the Do, with the form /Matrix applied
  Box bbox;                      // the form /BBox in page user space (page: media box)
  int depth = 0;
  ContentParse parse;            // the ops of this stream
};

// One per shown glyph, kept for every page of a file while it is redacted: the fields are packed
// (144 bytes) because their first touch is a large part of a small file's cost in a fresh worker.
struct GlyphRecord {
  GlyphInfo info;
  double advance_tj = 0;         // the glyph's horizontal displacement in TJ units (thousandths of text space)
  int stream = 0;                // StreamUse index
  int op = 0;                    // op index within that stream (Tj, TJ, ', ")
  int element = 0;               // TJ: index of the string in the array; otherwise 0
  std::uint32_t code_begin = 0;  // byte offset of this glyph's code within that string's bytes (streams < 4 GiB)
  std::uint8_t code_length = 1;  // bytes of the code (1 for simple fonts, 1–4 for CID fonts)
  bool word_space = false;       // single-byte code 32: Tw applied
  std::int32_t font_problem = -1;  // ≥ 0: index in PageAnalysis::font_problems (Type3, unknown encoding ...)
};
static_assert(sizeof(void*) != 8 || sizeof(GlyphRecord) <= 144, "GlyphRecord grew: see the comment above it");

struct Placement {
  enum class Kind { image, inline_image, path, form, shading };
  Kind kind = Kind::image;
  int stream = 0;
  int op = 0;                    // the Do / BI / painting op / sh
  int first_op = 0;              // path: the first construction op (m, re ...); otherwise == op
  Box box;                       // in page user space
  Matrix ctm{1, 0, 0, 1, 0, 0};  // image: CTM at the Do (unit square → page)
  QPDFObjectHandle object;       // image / form XObject (null for inline images and paths)
  std::string name;              // resource name without '/'
  bool clip = false;             // path used as a clipping path (W / W n)
};

struct PageAnalysis {
  int page_number = 0;
  Box media_box;
  int rotate = 0;
  std::vector<StreamUse> streams;
  std::vector<GlyphRecord> glyphs;
  std::vector<Placement> placements;
  std::vector<std::string> problems;   // content syntax problems, font problems (no document text)
  std::vector<std::string> font_problems;  // why a glyph's font cannot be decoded safely (GlyphRecord::font_problem)
};

// The reason a glyph's font cannot be decoded safely, or "" when it can.
inline std::string_view font_problem_of(const PageAnalysis& pa, const GlyphRecord& g) {
  if (g.font_problem < 0 || static_cast<std::size_t>(g.font_problem) >= pa.font_problems.size()) return {};
  return pa.font_problems[static_cast<std::size_t>(g.font_problem)];
}

struct AnalyzeLimits {
  int max_form_depth = 12;
  std::size_t max_ops = 5'000'000;       // per page, all streams together
  std::size_t max_stream_bytes = 256u << 20;  // decoded content per stream
};

// Interprets one page. Never throws for bad content: problems go to PageAnalysis::problems.
PageAnalysis analyze_page(QPDFPageObjectHelper page, int page_number, const AnalyzeLimits& limits = {});

}  // namespace declass::pdf
