// Public result of reading a PDF's text with our own content interpreter: every glyph with its
// Unicode text and exact box in page user space (text state, CTM, Form XObjects, Type0/CID and
// simple fonts, ToUnicode, render mode 3 included). Value types only: callers never see qpdf.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace declass {
class WireWriter;
class WireReader;
}  // namespace declass

namespace declass::pdf {

// Axis-aligned rectangle in default user space of the page (points, origin lower-left of MediaBox space).
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return !(x1 > x0 && y1 > y0); }
};
bool intersects(const Box& a, const Box& b);
// A box's four fields in the binary encodings that cross to and from workers (glyphs, redaction areas).
void put_box(WireWriter& w, const Box& b);
Box read_box(WireReader& r);
// The box shrunk by `fraction` of its width/height on each side (MuPDF's 10 % rule: fraction 0.1).
Box shrunk(const Box& b, double fraction);

struct GlyphInfo {
  std::string text;            // UTF-8 of this glyph (ligatures may give several characters); "" when unknown
  Box box;                     // glyph box: [0, descent]–[advance, ascent] through Trm × CTM, bounding box
  double origin_x = 0, origin_y = 0;  // user-space position of the glyph origin
  double font_size = 0;        // effective size (Tfs scaled by the matrices, vertical extent)
  double angle = 0;            // baseline direction in degrees (0 = left to right)
  int render_mode = 0;         // Tr; 3 = invisible (OCR layers)
  bool unicode_known = true;   // false: no ToUnicode / encoding gave no character
  int form_depth = 0;          // 0 = page content, >0 inside Form XObjects
};

struct PageGlyphs {
  int number = 0;               // 1-based
  Box media_box;                // effective MediaBox (CropBox if smaller), before /Rotate
  int rotate = 0;               // /Rotate, normalised to 0/90/180/270
  std::vector<GlyphInfo> glyphs;  // in content-stream order
  std::vector<std::string> problems;  // e.g. "Type3 font /F3", "no ToUnicode for CID font /F1" (no text content)
};

struct ExtractOptions {
  std::string password;         // for encrypted files; "" = refuse encrypted input
  int max_pages = 20000;        // more pages → Error(input)
};

struct ExtractedPdf {
  std::vector<PageGlyphs> pages;
  std::vector<std::string> warnings;  // qpdf repair warnings, font problems (never document text)
  bool was_encrypted = false;
};

// Reads `pdf` with libqpdf and interprets every page. Throws Error(input) for an unreadable file,
// an encrypted file without (or with a wrong) password, or too many pages. Never crashes on
// malformed content: problems are reported per page. Call it inside run_isolated() for untrusted files.
ExtractedPdf extract_glyphs(std::string_view pdf, const ExtractOptions& options = {});

// Compact binary encoding of ExtractedPdf, to pass it from an isolated worker process to the parent.
std::string encode_extracted(const ExtractedPdf& extracted);
// extract_glyphs followed by encode_extracted, a page at a time: the same bytes, handed out in pieces
// (header, each page, warnings) as the pages are read, so nothing holds every page's glyphs at once
// (what the isolated reading worker runs). extract_glyphs_encoded joins the pieces.
void extract_glyphs_pieces(std::string_view pdf, const ExtractOptions& options, const std::function<void(std::string_view)>& emit);
std::string extract_glyphs_encoded(std::string_view pdf, const ExtractOptions& options = {});

// Decodes those pieces one at a time as they arrive: each page goes to `on_page` (which may consume it).
// feed() throws Error(internal) for a malformed piece or one after the end.
class ExtractedPieceDecoder {
 public:
  explicit ExtractedPieceDecoder(std::function<void(PageGlyphs&)> on_page);
  void feed(std::string_view piece);
  bool complete() const { return m_state == State::complete; }
  const ExtractedPdf& meta() const { return m_meta; }  // warnings and the encryption flag; no pages

 private:
  enum class State { header, pages, warnings, complete };
  std::function<void(PageGlyphs&)> m_on_page;
  ExtractedPdf m_meta;
  State m_state = State::header;
  std::uint32_t m_pages_left = 0;
};
ExtractedPdf decode_extracted(std::string_view bytes);  // throws Error(internal) when malformed
// The same, a page at a time: `on_page` gets each page as soon as it is decoded (and may consume it),
// so a long document is never held twice; `meta` receives the warnings and the encryption flag.
// Throws Error(internal) when malformed — possibly after some pages were delivered.
void decode_extracted_pages(std::string_view bytes, ExtractedPdf& meta, const std::function<void(PageGlyphs&)>& on_page);

}  // namespace declass::pdf
