// Writes a new PDF from scratch (no input PDF involved): pages described as drawing operations
// (text runs in subset-embedded DejaVu fonts, filled boxes, lines), our own Info, XMP and file
// attachments. PoDoFo lays out pages and embeds font subsets; libqpdf then rewrites the file through
// an allow-list (catalog/page/Info keys), keeping only reachable objects, with a deterministic /ID.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace declass::pdf {

enum class Font { mono, sans, sans_bold };

// Advance width of one character of `font` at `size` pt, measured from the font program
// (characters outside WinAnsi are measured as '?', which is what gets drawn).
double char_advance(Font font, char32_t c, double size);
double text_width(Font font, std::string_view utf8, double size);
// Ascent/descent (descent negative) of the font at `size` pt.
double font_ascent(Font font, double size);
double font_descent(Font font, double size);

// UTF-8 → code points (invalid bytes become U+FFFD) and code points → WinAnsi (CP1252) bytes
// ('?' for characters WinAnsi cannot encode). One code point always becomes one byte.
std::u32string utf8_to_u32(std::string_view utf8);
char to_winansi(char32_t c);
char32_t from_winansi(unsigned char b);

struct DrawOp {
  enum class Kind { text, fill_rect, line };
  Kind kind = Kind::text;
  double x = 0, y = 0;    // text: baseline origin; rect: lower-left; line: start
  double w = 0, h = 0;    // rect: size; line: end = (x+w, y+h)
  double gray = 0;        // fill (text, rect) or stroke (line) gray level, 0 = black, 1 = white
  double size = 10;       // text size in pt
  double line_width = 1;  // line
  Font font = Font::mono;
  std::string text;       // UTF-8
};

struct PageSpec {
  double width = 612, height = 792;
  std::vector<DrawOp> ops;  // painted in order
};

struct AttachmentSpec {
  std::string name;         // e.g. "release-audit.json"
  std::string mime;         // e.g. "application/json"
  std::string description;
  std::string data;
};

struct DocumentSpec {
  std::vector<PageSpec> pages;
  std::string title;
  std::string producer = "declass";
  std::int64_t creation_time = 0;  // unix seconds (CreationDate and ModDate)
  std::string xmp;                 // complete XMP packet, or "" for none
  std::vector<AttachmentSpec> attachments;
};

// Builds the PDF and returns its bytes. Same spec → same bytes. Throws Error(pdf) on failure.
std::string write_document(const DocumentSpec& spec);

// PDF date string "D:YYYYMMDDHHmmSSZ" for a unix time.
std::string pdf_date(std::int64_t unix_seconds);

}  // namespace declass::pdf
