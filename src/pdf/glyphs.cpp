// Public glyph extraction (see glyphs.hpp): opens a PDF with libqpdf (recovery on, passwords), runs the
// content interpreter on every page and returns value types; plus a compact, bounds-checked binary
// encoding so an isolated worker process can hand the result to its parent.
#define POINTERHOLDER_TRANSITION 4
#include "pdf/glyphs.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "core/wire.hpp"
#include "pdf/interpreter.hpp"
#include "pdf/loaded_pdf.hpp"

namespace declass::pdf {

bool intersects(const Box& a, const Box& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

void put_box(WireWriter& o, const Box& b) {
  o.f64(b.x0);
  o.f64(b.y0);
  o.f64(b.x1);
  o.f64(b.y1);
}

Box read_box(WireReader& r) {
  Box b;
  b.x0 = r.f64();
  b.y0 = r.f64();
  b.x1 = r.f64();
  b.y1 = r.f64();
  return b;
}

Box shrunk(const Box& b, double fraction) {
  double dx = (b.x1 - b.x0) * fraction, dy = (b.y1 - b.y0) * fraction;
  return Box{b.x0 + dx, b.y0 + dy, b.x1 - dx, b.y1 - dy};
}

namespace {

const std::string k_extract_where = "PDF input";

std::unique_ptr<QPDF> open_pdf(std::string_view pdf, const ExtractOptions& options) {
  const std::string& where = k_extract_where;
  auto q = std::make_unique<QPDF>();
  q->setSuppressWarnings(true);
  q->setAttemptRecovery(true);
  try {
    q->processMemoryFile("input.pdf", pdf.data(), pdf.size(),
                         options.password.empty() ? nullptr : options.password.c_str());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      if (options.password.empty())
        throw Error(ErrorCategory::input, where, "the PDF is encrypted; give --password");
      throw Error(ErrorCategory::input, where, "the PDF is encrypted and the password is wrong; give the right --password");
    }
    throw Error(ErrorCategory::input, where, "unreadable PDF: " + e.getMessageDetail());
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::input, where, std::string("unreadable PDF: ") + e.what());
  }
  return q;
}

// Interprets page after page of a loaded file: `begin(encrypted, page_count)` once the page tree is
// read, then `on_page` with each page's analysis (it may take the glyphs only when keep_glyphs is 0).
// Analyses are kept in doc.analyses while their glyphs total at most `keep_glyphs`. Returns the
// warnings and flags.
ExtractedPdf extract_pages(LoadedPdf& doc, const ExtractOptions& options, std::size_t keep_glyphs,
                           const std::function<void(bool, std::size_t)>& begin, const std::function<void(PageAnalysis&)>& on_page) {
  const std::string& where = k_extract_where;
  QPDF& q = *doc.q;
  ExtractedPdf out;
  try {
    out.was_encrypted = q.isEncrypted();
    if (doc.pages.empty()) doc.pages = QPDFPageDocumentHelper(q).getAllPages();
    const std::vector<QPDFPageObjectHelper>& pages = doc.pages;
    if (pages.size() > static_cast<std::size_t>(std::max(options.max_pages, 0)))
      throw Error(ErrorCategory::input, where,
                  "the PDF has " + std::to_string(pages.size()) + " pages, more than the limit of " +
                      std::to_string(options.max_pages));
    doc.analyses.assign(pages.size(), std::nullopt);
    std::size_t kept = 0;
    begin(out.was_encrypted, pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) {
      PageAnalysis pa = analyze_page(pages[i], static_cast<int>(i + 1));
      for (const auto& p : pa.problems)
        if (out.warnings.size() < 200) out.warnings.push_back("page " + std::to_string(pa.page_number) + ": " + p);
      on_page(pa);
      if (kept + pa.glyphs.size() <= keep_glyphs) {
        kept += pa.glyphs.size();
        doc.analyses[i] = std::move(pa);
      }
    }
    std::size_t n = 0;
    for (const auto& w : q.getWarnings()) {
      if (n++ >= 50) break;
      out.warnings.push_back("qpdf: " + w.getMessageDetail());
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::input, where, std::string("unreadable PDF page tree: ") + e.what());
  }
  return out;
}

// The analysis's public part (its glyphs taken).
PageGlyphs take_page_glyphs(PageAnalysis& pa) {
  PageGlyphs pg;
  pg.number = pa.page_number;
  pg.media_box = pa.media_box;
  pg.rotate = pa.rotate;
  pg.glyphs.reserve(pa.glyphs.size());
  for (auto& g : pa.glyphs) pg.glyphs.push_back(std::move(g.info));
  pg.problems = std::move(pa.problems);
  return pg;
}

}  // namespace

ExtractedPdf extract_glyphs(std::string_view pdf, const ExtractOptions& options) {
  std::vector<PageGlyphs> pages;
  LoadedPdf doc = load_pdf(pdf, options);
  ExtractedPdf out = extract_pages(doc, options, 0, [&](bool, std::size_t n) { pages.reserve(n); },
                                   [&](PageAnalysis& pa) { pages.push_back(take_page_glyphs(pa)); });
  out.pages = std::move(pages);
  return out;
}

// ---- binary encoding ----------------------------------------------------------------------------

namespace {

constexpr char k_magic[4] = {'D', 'X', 'G', '3'};

constexpr const char* k_wire_what = "glyph transfer";

[[noreturn]] void fail_glyph_transfer() { throw Error(ErrorCategory::internal, k_wire_what, "malformed extracted-glyph data"); }


// Layout: magic "DXG3", encrypted flag, page count, the pages, then the warnings (known only at
// the end). The header, each page and the warnings are written as separate pieces (their
// concatenation is the whole encoding), so a worker can send pages as it reads them.
void put_header(WireWriter& o, bool was_encrypted, std::size_t pages) {
  o.put(k_magic, 4);
  o.u8(was_encrypted ? 1 : 0);
  o.u32(static_cast<std::uint32_t>(pages));
}

// A glyph is written against the previous glyph of its page: a flags byte says which fields repeat
// (exactly, bit for bit) or follow from others, and only the rest is written. A one-byte glyph on a
// line of text then takes 18 bytes instead of 79. Both ends start each page from GlyphDelta{}.
struct GlyphDelta {
  double font_size = 0, angle = 0, origin_y = 0, y0 = 0, y1 = 0;
  int render_mode = 0, form_depth = 0;
  bool unicode_known = true;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

enum GlyphFlag : unsigned char {
  k_same_size = 1, k_same_angle = 2, k_same_state = 4, k_same_origin_y = 8,
  k_same_y0 = 16, k_same_y1 = 32, k_x0_is_origin = 64, k_one_byte_text = 128,
};

void put_glyph(WireWriter& o, const GlyphInfo& g, GlyphDelta& prev) {
  unsigned char f = 0;
  if (same_bits(g.font_size, prev.font_size)) f |= k_same_size;
  if (same_bits(g.angle, prev.angle)) f |= k_same_angle;
  if (g.render_mode == prev.render_mode && g.form_depth == prev.form_depth && g.unicode_known == prev.unicode_known)
    f |= k_same_state;
  if (same_bits(g.origin_y, prev.origin_y)) f |= k_same_origin_y;
  if (same_bits(g.box.y0, prev.y0)) f |= k_same_y0;
  if (same_bits(g.box.y1, prev.y1)) f |= k_same_y1;
  if (same_bits(g.box.x0, g.origin_x)) f |= k_x0_is_origin;
  if (g.text.size() == 1) f |= k_one_byte_text;
  o.u8(f);
  if (f & k_one_byte_text) o.u8(static_cast<unsigned char>(g.text[0]));
  else o.str(g.text);
  o.f64(g.origin_x);
  if (!(f & k_same_origin_y)) o.f64(g.origin_y);
  if (!(f & k_x0_is_origin)) o.f64(g.box.x0);
  if (!(f & k_same_y0)) o.f64(g.box.y0);
  o.f64(g.box.x1);
  if (!(f & k_same_y1)) o.f64(g.box.y1);
  if (!(f & k_same_size)) o.f64(g.font_size);
  if (!(f & k_same_angle)) o.f64(g.angle);
  if (!(f & k_same_state)) {
    o.i32(g.render_mode);
    o.i32(g.form_depth);
    o.u8(g.unicode_known ? 1 : 0);
  }
  prev = GlyphDelta{g.font_size, g.angle, g.origin_y, g.box.y0, g.box.y1, g.render_mode, g.form_depth, g.unicode_known};
}

void read_glyph(WireReader& r, GlyphInfo& g, GlyphDelta& prev) {
  const auto f = static_cast<unsigned char>(r.u8());
  if (f & k_one_byte_text) g.text.assign(1, static_cast<char>(r.u8()));
  else g.text = r.str();
  g.origin_x = r.f64();
  g.origin_y = (f & k_same_origin_y) ? prev.origin_y : r.f64();
  g.box.x0 = (f & k_x0_is_origin) ? g.origin_x : r.f64();
  g.box.y0 = (f & k_same_y0) ? prev.y0 : r.f64();
  g.box.x1 = r.f64();
  g.box.y1 = (f & k_same_y1) ? prev.y1 : r.f64();
  g.font_size = (f & k_same_size) ? prev.font_size : r.f64();
  g.angle = (f & k_same_angle) ? prev.angle : r.f64();
  if (f & k_same_state) {
    g.render_mode = prev.render_mode;
    g.form_depth = prev.form_depth;
    g.unicode_known = prev.unicode_known;
  } else {
    g.render_mode = r.i32();
    g.form_depth = r.i32();
    g.unicode_known = r.u8() != 0;
  }
  prev = GlyphDelta{g.font_size, g.angle, g.origin_y, g.box.y0, g.box.y1, g.render_mode, g.form_depth, g.unicode_known};
}

// One page: its fields, then each glyph's GlyphInfo as `info_of(glyph)` gives it (so that a page's
// analysis is written without first copying its glyphs into a PageGlyphs).
template <class Glyph, class InfoOf>
void put_page(WireWriter& o, int number, const Box& media_box, int rotate, const std::vector<std::string>& problems,
              const std::vector<Glyph>& glyphs, InfoOf info_of) {
  o.i32(number);
  put_box(o, media_box);
  o.i32(rotate);
  o.strings(problems);
  o.u32(static_cast<std::uint32_t>(glyphs.size()));
  GlyphDelta prev;
  for (const Glyph& glyph : glyphs) put_glyph(o, info_of(glyph), prev);
}

void put_page(WireWriter& o, const PageGlyphs& p) {
  put_page(o, p.number, p.media_box, p.rotate, p.problems, p.glyphs, [](const GlyphInfo& g) -> const GlyphInfo& { return g; });
}

void put_page(WireWriter& o, const PageAnalysis& pa) {
  put_page(o, pa.page_number, pa.media_box, pa.rotate, pa.problems, pa.glyphs,
           [](const GlyphRecord& g) -> const GlyphInfo& { return g.info; });
}

// At most the bytes put_page writes for `p` (a glyph with every field written: 78 + its text).
std::size_t page_size_estimate(const PageGlyphs& p) {
  std::size_t size = 64;
  for (const auto& pr : p.problems) size += 4 + pr.size();
  for (const GlyphInfo& g : p.glyphs) size += 78 + g.text.size();
  return size;
}

PageGlyphs read_page(WireReader& r) {
  PageGlyphs p;
  p.number = r.i32();
  p.media_box = read_box(r);
  p.rotate = r.i32();
  p.problems = r.strings();
  constexpr std::size_t min_glyph_size = 1 + 1 + 8 + 8;  // flags, one text byte, origin x, box x1
  std::uint32_t ng = r.count(min_glyph_size);
  p.glyphs.resize(ng);
  GlyphDelta prev;
  for (GlyphInfo& g : p.glyphs) read_glyph(r, g, prev);
  return p;
}

}  // namespace

std::string encode_extracted(const ExtractedPdf& e) {
  std::size_t size = 64;
  for (const auto& w : e.warnings) size += 4 + w.size();
  for (const auto& p : e.pages) size += page_size_estimate(p);
  WireWriter o;
  o.reserve(size);
  put_header(o, e.was_encrypted, e.pages.size());
  for (const auto& p : e.pages) put_page(o, p);
  o.strings(e.warnings);
  return o.take();
}

LoadedPdf load_pdf(std::string_view pdf, const ExtractOptions& options) {
  LoadedPdf doc;
  doc.q = open_pdf(pdf, options);
  return doc;
}

void extract_glyphs_pieces(LoadedPdf& doc, const ExtractOptions& options, const std::function<void(std::string_view)>& emit,
                           std::size_t keep_glyphs) {
  WireWriter o;  // reused for every piece
  bool began = false;
  ExtractedPdf meta = extract_pages(doc, options, keep_glyphs, [&](bool encrypted, std::size_t pages) {
    o.clear();
    o.reserve(64);
    put_header(o, encrypted, pages);
    emit(o.view());
    began = true;
  }, [&](PageAnalysis& page) {
    o.clear();  // the buffer is reused page after page and grows by doubling: no estimate pass per page
    put_page(o, page);
    emit(o.view());
  });
  o.clear();
  if (!began) {
    put_header(o, meta.was_encrypted, 0);
    emit(o.view());
    o.clear();
  }
  o.strings(meta.warnings);
  emit(o.view());
}

void extract_glyphs_pieces(std::string_view pdf, const ExtractOptions& options, const std::function<void(std::string_view)>& emit) {
  LoadedPdf doc = load_pdf(pdf, options);
  extract_glyphs_pieces(doc, options, emit, 0);
}

std::string extract_glyphs_encoded(std::string_view pdf, const ExtractOptions& options) {
  std::string out;
  extract_glyphs_pieces(pdf, options, [&](std::string_view piece) { out.append(piece); });
  return out;
}

ExtractedPieceDecoder::ExtractedPieceDecoder(std::function<void(PageGlyphs&)> on_page) : m_on_page(std::move(on_page)) {}

void ExtractedPieceDecoder::feed(std::string_view piece) {
  if (m_state == State::header) {
    if (piece.size() != 9 || std::memcmp(piece.data(), k_magic, 4) != 0) fail_glyph_transfer();
    WireReader r(piece.substr(5), k_wire_what);
    m_meta.was_encrypted = piece[4] != 0;
    m_pages_left = r.u32();
    m_state = m_pages_left > 0 ? State::pages : State::warnings;
    return;
  }
  WireReader r(piece, k_wire_what);
  if (m_state == State::pages) {
    PageGlyphs p = read_page(r);
    if (!r.done()) fail_glyph_transfer();
    m_on_page(p);
    if (--m_pages_left == 0) m_state = State::warnings;
    return;
  }
  if (m_state == State::warnings) {
    m_meta.warnings = r.strings();
    if (!r.done()) fail_glyph_transfer();
    m_state = State::complete;
    return;
  }
  fail_glyph_transfer();  // a piece after the end
}

ExtractedPdf decode_extracted(std::string_view bytes) {
  ExtractedPdf e;
  decode_extracted_pages(bytes, e, [&](PageGlyphs& p) { e.pages.push_back(std::move(p)); });
  return e;
}

void decode_extracted_pages(std::string_view bytes, ExtractedPdf& e, const std::function<void(PageGlyphs&)>& on_page) {
  if (bytes.size() < 5 || std::memcmp(bytes.data(), k_magic, 4) != 0) fail_glyph_transfer();
  WireReader r(bytes.substr(5), k_wire_what);
  e.was_encrypted = bytes[4] != 0;
  std::uint32_t np = r.count(4 + 32 + 4 + 4 + 4);
  for (std::uint32_t i = 0; i < np; ++i) {
    PageGlyphs p = read_page(r);
    on_page(p);
  }
  e.warnings = r.strings();
  if (!r.done()) fail_glyph_transfer();
}

}  // namespace declass::pdf
