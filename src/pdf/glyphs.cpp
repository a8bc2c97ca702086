// Public glyph extraction (see glyphs.hpp): opens a PDF with libqpdf (recovery on, passwords), runs the
// content interpreter on every page and returns value types; plus a compact, bounds-checked binary
// encoding so an isolated worker process can hand the result to its parent.
#define POINTERHOLDER_TRANSITION 4
#include "pdf/glyphs.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "pdf/interpreter.hpp"

namespace declass::pdf {

bool intersects(const Box& a, const Box& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

Box shrunk(const Box& b, double fraction) {
  double dx = (b.x1 - b.x0) * fraction, dy = (b.y1 - b.y0) * fraction;
  return Box{b.x0 + dx, b.y0 + dy, b.x1 - dx, b.y1 - dy};
}

namespace {

// Reads the file and interprets page after page: `begin(encrypted, page_count)` once the page tree is
// read, then `on_page` for each page (which may consume it). Returns the warnings and flags.
ExtractedPdf extract_pages(std::string_view pdf, const ExtractOptions& options,
                           const std::function<void(bool, std::size_t)>& begin, const std::function<void(PageGlyphs&)>& on_page) {
  const std::string where = "PDF input";
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
  ExtractedPdf out;
  try {
    out.was_encrypted = q->isEncrypted();
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(*q).getAllPages();
    if (pages.size() > static_cast<std::size_t>(std::max(options.max_pages, 0)))
      throw Error(ErrorCategory::input, where,
                  "the PDF has " + std::to_string(pages.size()) + " pages, more than the limit of " +
                      std::to_string(options.max_pages));
    begin(out.was_encrypted, pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) {
      PageAnalysis pa = analyze_page(pages[i], static_cast<int>(i + 1));
      PageGlyphs pg;
      pg.number = static_cast<int>(i + 1);
      pg.media_box = pa.media_box;
      pg.rotate = pa.rotate;
      pg.glyphs.reserve(pa.glyphs.size());
      for (auto& g : pa.glyphs) pg.glyphs.push_back(std::move(g.info));
      pg.problems = std::move(pa.problems);
      for (const auto& p : pg.problems)
        if (out.warnings.size() < 200) out.warnings.push_back("page " + std::to_string(pg.number) + ": " + p);
      on_page(pg);
    }
    std::size_t n = 0;
    for (const auto& w : q->getWarnings()) {
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

}  // namespace

ExtractedPdf extract_glyphs(std::string_view pdf, const ExtractOptions& options) {
  std::vector<PageGlyphs> pages;
  ExtractedPdf out = extract_pages(pdf, options, [&](bool, std::size_t n) { pages.reserve(n); },
                                   [&](PageGlyphs& p) { pages.push_back(std::move(p)); });
  out.pages = std::move(pages);
  return out;
}

// ---- binary encoding ----------------------------------------------------------------------------

namespace {

constexpr char k_magic[4] = {'D', 'X', 'G', '2'};

// Output buffer written through a position (sized once from an estimate, grown if it falls short):
// a std::string append per field cost half the worker's time on a 100-page file.
struct Out {
  std::string buf;
  std::size_t pos = 0;
  [[gnu::always_inline]] void put(const void* data, std::size_t n) {
    if (n > buf.size() - pos) buf.resize(std::max(buf.size() * 2, pos + n));
    if (n) std::memcpy(buf.data() + pos, data, n);
    pos += n;
  }
  void byte(unsigned char c) { put(&c, 1); }
};

// Little-endian fixed-width fields.
void put_u32(Out& o, std::uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) return o.put(&v, 4);
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  o.put(b, 4);
}
void put_i32(Out& o, int v) { put_u32(o, static_cast<std::uint32_t>(v)); }
void put_f64(Out& o, double v) {
  if constexpr (std::endian::native == std::endian::little) return o.put(&v, 8);
  std::uint64_t u;
  std::memcpy(&u, &v, 8);
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xFF);
  o.put(b, 8);
}
void put_str(Out& o, const std::string& s) {
  put_u32(o, static_cast<std::uint32_t>(s.size()));
  o.put(s.data(), s.size());
}
void put_box(Out& o, const Box& b) {
  put_f64(o, b.x0);
  put_f64(o, b.y0);
  put_f64(o, b.x1);
  put_f64(o, b.y1);
}
void put_strings(Out& o, const std::vector<std::string>& v) {
  put_u32(o, static_cast<std::uint32_t>(v.size()));
  for (const auto& s : v) put_str(o, s);
}

class Reader {
 public:
  explicit Reader(std::string_view d) : m_d(d) {}
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, m_d.data() + m_p, 4);
    } else {
      for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(m_d[m_p + i])) << (8 * i);
    }
    m_p += 4;
    return v;
  }
  int i32() { return static_cast<int>(u32()); }
  unsigned u8() {
    need(1);
    return static_cast<unsigned char>(m_d[m_p++]);
  }
  double f64() {
    need(8);
    std::uint64_t u = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&u, m_d.data() + m_p, 8);
    } else {
      for (int i = 0; i < 8; ++i) u |= static_cast<std::uint64_t>(static_cast<unsigned char>(m_d[m_p + i])) << (8 * i);
    }
    m_p += 8;
    double v;
    std::memcpy(&v, &u, 8);
    return v;
  }
  std::string str() {
    std::uint32_t n = u32();
    need(n);
    std::string s(m_d.substr(m_p, n));
    m_p += n;
    return s;
  }
  Box box() {
    Box b;
    b.x0 = f64();
    b.y0 = f64();
    b.x1 = f64();
    b.y1 = f64();
    return b;
  }
  // A count of items each at least `min_size` bytes long: must fit in what is left.
  std::uint32_t count(std::size_t min_size) {
    std::uint32_t n = u32();
    if (static_cast<std::uint64_t>(n) * min_size > m_d.size() - m_p) fail();
    return n;
  }
  std::vector<std::string> strings() {
    std::uint32_t n = count(4);
    std::vector<std::string> v;
    v.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }
  void need(std::size_t n) {
    if (n > m_d.size() - m_p) fail();
  }
  bool done() const { return m_p == m_d.size(); }
  [[noreturn]] static void fail() {
    throw Error(ErrorCategory::internal, "glyph transfer", "malformed extracted-glyph data");
  }

 private:
  std::string_view m_d;
  std::size_t m_p = 0;
};

// Layout: magic "DXG2", encrypted flag, page count, the pages, then the warnings (known only at
// the end). The header, each page and the warnings are written as separate pieces (their
// concatenation is the whole encoding), so a worker can send pages as it reads them.
void put_header(Out& o, bool was_encrypted, std::size_t pages) {
  o.put(k_magic, 4);
  o.byte(was_encrypted ? 1 : 0);
  put_u32(o, static_cast<std::uint32_t>(pages));
}

void put_page(Out& o, const PageGlyphs& p) {
  put_i32(o, p.number);
  put_box(o, p.media_box);
  put_i32(o, p.rotate);
  put_strings(o, p.problems);
  put_u32(o, static_cast<std::uint32_t>(p.glyphs.size()));
  for (const auto& g : p.glyphs) {
    put_str(o, g.text);
    put_box(o, g.box);
    put_f64(o, g.origin_x);
    put_f64(o, g.origin_y);
    put_f64(o, g.font_size);
    put_f64(o, g.angle);
    put_i32(o, g.render_mode);
    put_i32(o, g.form_depth);
    o.byte(g.unicode_known ? 1 : 0);
  }
}

std::size_t page_size_estimate(const PageGlyphs& p) {
  std::size_t size = 64;
  for (const auto& pr : p.problems) size += 4 + pr.size();
  for (const auto& g : p.glyphs) size += 4 + g.text.size() + 32 + 32 + 8 + 1;
  return size;
}

std::string_view finish(Out& o) { return std::string_view(o.buf.data(), o.pos); }

PageGlyphs read_page(Reader& r) {
  PageGlyphs p;
  p.number = r.i32();
  p.media_box = r.box();
  p.rotate = r.i32();
  p.problems = r.strings();
  constexpr std::size_t glyph_size = 4 + 32 + 32 + 8 + 1;
  std::uint32_t ng = r.count(glyph_size);
  p.glyphs.reserve(ng);
  for (std::uint32_t k = 0; k < ng; ++k) {
    GlyphInfo g;
    g.text = r.str();
    g.box = r.box();
    g.origin_x = r.f64();
    g.origin_y = r.f64();
    g.font_size = r.f64();
    g.angle = r.f64();
    g.render_mode = r.i32();
    g.form_depth = r.i32();
    g.unicode_known = r.u8() != 0;
    p.glyphs.push_back(std::move(g));
  }
  return p;
}

}  // namespace

std::string encode_extracted(const ExtractedPdf& e) {
  std::size_t size = 64;
  for (const auto& w : e.warnings) size += 4 + w.size();
  for (const auto& p : e.pages) size += page_size_estimate(p);
  Out o;
  o.buf.resize(size);
  put_header(o, e.was_encrypted, e.pages.size());
  for (const auto& p : e.pages) put_page(o, p);
  put_strings(o, e.warnings);
  o.buf.resize(o.pos);
  return std::move(o.buf);
}

void extract_glyphs_pieces(std::string_view pdf, const ExtractOptions& options, const std::function<void(std::string_view)>& emit) {
  Out o;  // reused for every piece
  bool began = false;
  ExtractedPdf meta = extract_pages(pdf, options, [&](bool encrypted, std::size_t pages) {
    o.buf.resize(64);
    o.pos = 0;
    put_header(o, encrypted, pages);
    emit(finish(o));
    began = true;
  }, [&](PageGlyphs& page) {
    o.pos = 0;
    const std::size_t need = page_size_estimate(page);
    if (o.buf.size() < need) o.buf.resize(need);
    put_page(o, page);
    emit(finish(o));
  });
  o.pos = 0;
  if (!began) {
    put_header(o, meta.was_encrypted, 0);
    emit(finish(o));
    o.pos = 0;
  }
  put_strings(o, meta.warnings);
  emit(finish(o));
}

std::string extract_glyphs_encoded(std::string_view pdf, const ExtractOptions& options) {
  std::string out;
  extract_glyphs_pieces(pdf, options, [&](std::string_view piece) { out.append(piece); });
  return out;
}

ExtractedPieceDecoder::ExtractedPieceDecoder(std::function<void(PageGlyphs&)> on_page) : m_on_page(std::move(on_page)) {}

void ExtractedPieceDecoder::feed(std::string_view piece) {
  if (m_state == State::header) {
    if (piece.size() != 9 || std::memcmp(piece.data(), k_magic, 4) != 0) Reader::fail();
    Reader r(piece.substr(5));
    m_meta.was_encrypted = piece[4] != 0;
    m_pages_left = r.u32();
    m_state = m_pages_left > 0 ? State::pages : State::warnings;
    return;
  }
  Reader r(piece);
  if (m_state == State::pages) {
    PageGlyphs p = read_page(r);
    if (!r.done()) Reader::fail();
    m_on_page(p);
    if (--m_pages_left == 0) m_state = State::warnings;
    return;
  }
  if (m_state == State::warnings) {
    m_meta.warnings = r.strings();
    if (!r.done()) Reader::fail();
    m_state = State::complete;
    return;
  }
  Reader::fail();  // a piece after the end
}

ExtractedPdf decode_extracted(std::string_view bytes) {
  ExtractedPdf e;
  decode_extracted_pages(bytes, e, [&](PageGlyphs& p) { e.pages.push_back(std::move(p)); });
  return e;
}

void decode_extracted_pages(std::string_view bytes, ExtractedPdf& e, const std::function<void(PageGlyphs&)>& on_page) {
  if (bytes.size() < 5 || std::memcmp(bytes.data(), k_magic, 4) != 0) Reader::fail();
  Reader r(bytes.substr(5));
  e.was_encrypted = bytes[4] != 0;
  std::uint32_t np = r.count(4 + 32 + 4 + 4 + 4);
  for (std::uint32_t i = 0; i < np; ++i) {
    PageGlyphs p = read_page(r);
    on_page(p);
  }
  e.warnings = r.strings();
  if (!r.done()) Reader::fail();
}

}  // namespace declass::pdf
