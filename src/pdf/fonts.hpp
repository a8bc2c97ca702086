// Internal to the pdf module: font models for the content interpreter, built from a qpdf font
// dictionary without reading font programs: code splitting (simple / Type0 CMaps), glyph widths,
// Unicode (ToUnicode first, then encodings + Adobe Glyph List), ascent/descent, and a problem string
// when the font cannot be decoded safely (never document text).
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDFObjectHandle.hh>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace declass::pdf {

// Code → Unicode map parsed from a CMap (ToUnicode) or code → CID map (embedded encoding CMap).
class CodeMap {
 public:
  struct Codespace {
    int bytes = 1;
    std::array<std::uint8_t, 4> lo{}, hi{};
  };
  // Parses CMap text. Unknown syntax is skipped; sizes are capped.
  void parse(std::string_view cmap_text, bool unicode_destinations);
  // ToUnicode: UTF-8 of `code`, false when unmapped.
  bool unicode(std::uint32_t code, std::string& utf8) const;
  // Encoding CMap: CID of `code`, false when unmapped.
  bool cid(std::uint32_t code, std::uint32_t& cid) const;
  const std::vector<Codespace>& codespaces() const { return m_codespaces; }
  const std::string& use_cmap() const { return m_use_cmap; }
  int wmode() const { return m_wmode; }
  bool empty() const { return m_chars.empty() && m_ranges.empty(); }

 private:
  struct Char {
    std::uint32_t code;
    std::u32string text;  // unicode destination
    std::uint32_t value;  // CID destination
  };
  struct Range {
    std::uint32_t lo, hi;
    std::u32string base;  // unicode destination: last code point increments
    std::uint32_t value;  // CID destination: base CID
  };
  std::vector<Codespace> m_codespaces;
  std::vector<Char> m_chars;    // sorted by code after parse
  std::vector<Range> m_ranges;  // sorted by lo after parse
  std::string m_use_cmap;
  int m_wmode = 0;
  bool m_overlap = false;  // some ranges overlap: look-ups scan all ranges (last definition wins)
  const Range* find_range(std::uint32_t code) const;
};

class FontModel {
 public:
  enum class Kind { simple, type0, type3 };

  // Builds the model of a font dictionary (never throws; problems go to problem()).
  static std::shared_ptr<const FontModel> load(QPDFObjectHandle font);

  Kind kind() const { return m_kind; }
  // Why the font cannot be decoded safely ("Type3 font", "no ToUnicode for CID font" ...); "" = fine.
  const std::string& problem() const { return m_problem; }
  bool vertical() const { return m_vertical; }
  double ascent() const { return m_ascent; }    // text space per unit font size (e.g. 0.718)
  double descent() const { return m_descent; }  // negative below the baseline

  // Reads one character code from s at pos (pos < s.size()); returns its length in bytes (1–4).
  std::size_t next_code(std::string_view s, std::size_t pos, std::uint32_t& code) const;
  // Horizontal displacement w0 in text space per unit font size (/Widths ÷ 1000, Type3 via FontMatrix).
  double width(std::uint32_t code) const;
  // UTF-8 text of a code; false (out empty) when unknown.
  bool unicode(std::uint32_t code, std::string& out) const;

 private:
  Kind m_kind = Kind::simple;
  std::string m_problem;
  bool m_vertical = false;
  double m_ascent = 0.8, m_descent = -0.2;
  // simple / Type3
  std::array<double, 256> m_widths{};
  std::array<std::string, 256> m_text{};
  std::array<bool, 256> m_text_known{};
  // Type0
  bool m_identity = true;
  bool m_two_byte_fallback = false;
  CodeMap m_encoding;
  struct WidthRange {
    std::uint32_t first, last;
    double width;  // per unit font size
  };
  std::vector<WidthRange> m_cid_widths;  // sorted by first
  bool m_widths_overlap = false;
  double m_default_width = 1.0;
  // ToUnicode (both kinds)
  CodeMap m_to_unicode;
  bool m_has_to_unicode = false;

  void load_simple(QPDFObjectHandle font, bool type3);
  void load_type0(QPDFObjectHandle font);
  void load_to_unicode(QPDFObjectHandle font);
};

// Glyph name → UTF-8 via the Adobe Glyph List, uniXXXX / uXXXX[XX] and ligature "a_b" names. "" when unknown.
std::string glyph_name_to_utf8(std::string_view name);
// Appends code point `cp` as UTF-8 (invalid code points → U+FFFD).
void append_utf8(std::string& out, char32_t cp);

}  // namespace declass::pdf
