// Font models for the content interpreter (see fonts.hpp): simple fonts (base encodings, /Differences,
// /Widths, standard-14 metrics), Type0 (Identity and embedded CMaps, /W, /DW), Type3 (flagged), own
// ToUnicode / CMap parser with bounded sizes. Never throws: problems are recorded on the model.
#include "pdf/fonts.hpp"

#include <qpdf/QPDFExc.hh>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "pdf/base14_metrics.hpp"
#include "pdf/content_lexer.hpp"

namespace declass::pdf {

namespace {

constexpr std::size_t k_max_map_entries = 200'000;
constexpr std::size_t k_max_cmap_bytes = 16u << 20;

QPDFObjectHandle key(QPDFObjectHandle h, const char* k) {
  if (!h.isDictionary()) return QPDFObjectHandle::newNull();
  return h.getKey(k);
}

bool number(QPDFObjectHandle h, double& v) {
  if (!h.isNumber()) return false;
  v = h.getNumericValue();
  return std::isfinite(v);
}

std::string name_of(QPDFObjectHandle h) {
  if (!h.isName()) return {};
  std::string n = h.getName();
  if (!n.empty() && n[0] == '/') n.erase(0, 1);
  return n;
}

std::string stream_bytes(QPDFObjectHandle h) {
  if (!h.isStream()) return {};
  try {
    auto buf = h.getStreamData(qpdf_dl_generalized);
    if (!buf || buf->getSize() > k_max_cmap_bytes) return {};
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
  } catch (const std::exception&) {
    return {};
  }
}

long long to_ll(double v) { return static_cast<long long>(std::clamp(v, -1e15, 1e15)); }

bool code_of(const std::string& bytes, std::uint32_t& code) {
  if (bytes.empty() || bytes.size() > 4) return false;
  code = 0;
  for (unsigned char c : bytes) code = (code << 8) | c;
  return true;
}

std::u32string utf16_to_u32(const std::string& b) {
  std::u32string out;
  if (b.size() == 1) {
    out += static_cast<char32_t>(static_cast<unsigned char>(b[0]));
    return out;
  }
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
    char32_t u = (static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
      char32_t l = (static_cast<unsigned char>(b[i + 2]) << 8) | static_cast<unsigned char>(b[i + 3]);
      if (l >= 0xDC00 && l <= 0xDFFF) {
        out += 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
    out += u;
  }
  return out;
}

bool to_utf8(const std::u32string& s, std::string& out) {
  out.clear();
  bool any = false;
  for (char32_t c : s) {
    if (c == 0) continue;
    append_utf8(out, c);
    any = true;
  }
  return any;
}

std::u32string utf8_to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out += cp;
    i += static_cast<std::size_t>(n);
  }
  return out;
}

const fontdata::Base14Font* base14_by_exact(const std::string& n) {
  for (const auto& f : fontdata::k_base14)
    if (n == f.name) return &f;
  return nullptr;
}

// Standard-14 font for a /BaseFont, with the usual aliases (Arial → Helvetica, TimesNewRoman → Times,
// CourierNew → Courier; ",Bold", "-BoldMT", "PSMT" variants). nullptr when not a standard font.
const fontdata::Base14Font* find_base14(std::string base) {
  if (base.size() > 7 && base[6] == '+') base.erase(0, 7);  // subset tag ABCDEF+
  if (const auto* f = base14_by_exact(base)) return f;
  std::string low;
  for (char c : base)
    if (c != ' ') low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t cut = low.find_first_of(",-");
  std::string family = low.substr(0, cut);
  std::string style = cut == std::string::npos ? "" : low.substr(cut + 1);
  if (family.size() > 2 && family.compare(family.size() - 2, 2, "mt") == 0) family.resize(family.size() - 2);
  if (family.size() > 2 && family.compare(family.size() - 2, 2, "ps") == 0) family.resize(family.size() - 2);
  bool bold = style.find("bold") != std::string::npos || family.find("bold") != std::string::npos;
  bool italic = style.find("italic") != std::string::npos || style.find("oblique") != std::string::npos ||
                family.find("italic") != std::string::npos;
  auto strip = [&](const char* s) {
    auto p = family.find(s);
    if (p != std::string::npos) family.erase(p, std::strlen(s));
  };
  strip("bold");
  strip("italic");
  std::string name;
  if (family == "courier" || family == "couriernew") {
    name = bold && italic ? "Courier-BoldOblique" : bold ? "Courier-Bold" : italic ? "Courier-Oblique" : "Courier";
  } else if (family == "helvetica" || family == "arial") {
    name = bold && italic ? "Helvetica-BoldOblique"
           : bold         ? "Helvetica-Bold"
           : italic       ? "Helvetica-Oblique"
                          : "Helvetica";
  } else if (family == "times" || family == "timesroman" || family == "timesnewroman") {
    name = bold && italic ? "Times-BoldItalic" : bold ? "Times-Bold" : italic ? "Times-Italic" : "Times-Roman";
  } else if (family == "symbol") {
    name = "Symbol";
  } else if (family == "zapfdingbats") {
    name = "ZapfDingbats";
  } else {
    return nullptr;
  }
  return base14_by_exact(name);
}

int base14_width(const fontdata::Base14Font& f, const char* glyph) {
  const auto* b = f.widths;
  const auto* e = f.widths + f.width_count;
  const auto* it = std::lower_bound(b, e, glyph, [](const fontdata::GlyphWidth& g, const char* n) {
    return std::strcmp(g.name, n) < 0;
  });
  if (it != e && std::strcmp(it->name, glyph) == 0) return it->width;
  return -1;
}

const char* const* named_encoding(const std::string& n) {
  if (n == "WinAnsiEncoding") return fontdata::k_enc_winansi;
  if (n == "MacRomanEncoding") return fontdata::k_enc_macroman;
  if (n == "StandardEncoding") return fontdata::k_enc_standard;
  if (n == "MacExpertEncoding") return fontdata::k_enc_macexpert;
  if (n == "PDFDocEncoding") return fontdata::k_enc_pdfdoc;
  return nullptr;
}

bool parse_hex_cp(std::string_view h, char32_t& cp) {
  if (h.empty() || h.size() > 6) return false;
  cp = 0;
  for (char c : h) {
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (v < 0) return false;  // AGL: upper-case hex only
    cp = cp * 16 + static_cast<char32_t>(v);
  }
  return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

std::string component_to_utf8(std::string_view name) {
  if (name.empty()) return {};
  std::string key(name);
  const auto* b = fontdata::k_agl;
  const auto* e = fontdata::k_agl + fontdata::k_agl_count;
  const auto* it = std::lower_bound(b, e, key.c_str(), [](const fontdata::AglEntry& a, const char* n) {
    return std::strcmp(a.name, n) < 0;
  });
  if (it != e && key == it->name) return it->utf8;
  std::string out;
  if (name.size() >= 7 && name.substr(0, 3) == "uni" && (name.size() - 3) % 4 == 0) {
    for (std::size_t i = 3; i < name.size(); i += 4) {
      char32_t cp;
      if (!parse_hex_cp(name.substr(i, 4), cp)) return {};
      append_utf8(out, cp);
    }
    return out;
  }
  if (name.size() >= 5 && name.size() <= 7 && name[0] == 'u') {
    char32_t cp;
    if (parse_hex_cp(name.substr(1), cp)) {
      append_utf8(out, cp);
      return out;
    }
  }
  return {};
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string glyph_name_to_utf8(std::string_view name) {
  auto dot = name.find('.');
  if (dot != std::string_view::npos) name = name.substr(0, dot);
  if (name.find('_') == std::string_view::npos) return component_to_utf8(name);
  std::string out;
  while (!name.empty()) {
    auto us = name.find('_');
    std::string part = component_to_utf8(name.substr(0, us));
    if (part.empty()) return {};
    out += part;
    if (us == std::string_view::npos) break;
    name.remove_prefix(us + 1);
  }
  return out;
}

// ---- CodeMap ------------------------------------------------------------------------------------

void CodeMap::parse(std::string_view text, bool unicode_destinations) {
  ContentParse p = parse_content(text);
  for (const auto& op : p.ops) {
    const auto& a = op.operands;
    if (op.op == "usecmap") {
      if (!a.empty() && a.back().kind == Operand::Kind::name) m_use_cmap = a.back().bytes;
    } else if (op.op == "def") {
      if (a.size() >= 2 && a[a.size() - 2].kind == Operand::Kind::name && a[a.size() - 2].bytes == "WMode" &&
          a.back().kind == Operand::Kind::number)
        m_wmode = a.back().number == 1 ? 1 : 0;
    } else if (op.op == "endcodespacerange") {
      for (std::size_t i = 0; i + 1 < a.size() && m_codespaces.size() < 64; i += 2) {
        const auto& lo = a[i].bytes;
        const auto& hi = a[i + 1].bytes;
        if (a[i].kind != Operand::Kind::string || lo.empty() || lo.size() > 4 || lo.size() != hi.size()) continue;
        Codespace cs;
        cs.bytes = static_cast<int>(lo.size());
        for (std::size_t k = 0; k < lo.size(); ++k) {
          cs.lo[k] = static_cast<std::uint8_t>(lo[k]);
          cs.hi[k] = static_cast<std::uint8_t>(hi[k]);
        }
        m_codespaces.push_back(cs);
      }
    } else if (op.op == "endbfchar" || op.op == "endcidchar") {
      bool cidc = op.op == "endcidchar";
      for (std::size_t i = 0; i + 1 < a.size(); i += 2) {
        if (m_chars.size() >= k_max_map_entries) break;
        std::uint32_t code;
        if (a[i].kind != Operand::Kind::string || !code_of(a[i].bytes, code)) continue;
        Char c{code, {}, 0};
        if (cidc || !unicode_destinations) {
          if (a[i + 1].kind != Operand::Kind::number || a[i + 1].number < 0) continue;
          c.value = static_cast<std::uint32_t>(std::min(a[i + 1].number, 4294967295.0));
        } else if (a[i + 1].kind == Operand::Kind::string) {
          c.text = utf16_to_u32(a[i + 1].bytes);
        } else if (a[i + 1].kind == Operand::Kind::name) {
          c.text = utf8_to_u32(glyph_name_to_utf8(a[i + 1].bytes));
        } else {
          continue;
        }
        m_chars.push_back(std::move(c));
      }
    } else if (op.op == "endbfrange" || op.op == "endcidrange") {
      bool cidr = op.op == "endcidrange";
      for (std::size_t i = 0; i + 2 < a.size(); i += 3) {
        if (m_ranges.size() >= k_max_map_entries || m_chars.size() >= k_max_map_entries) break;
        std::uint32_t lo, hi;
        if (a[i].kind != Operand::Kind::string || a[i + 1].kind != Operand::Kind::string || !code_of(a[i].bytes, lo) ||
            !code_of(a[i + 1].bytes, hi) || hi < lo)
          continue;
        const Operand& d = a[i + 2];
        if (cidr || !unicode_destinations) {
          if (d.kind != Operand::Kind::number || d.number < 0) continue;
          m_ranges.push_back({lo, hi, {}, static_cast<std::uint32_t>(std::min(d.number, 4294967295.0))});
        } else if (d.kind == Operand::Kind::string) {
          m_ranges.push_back({lo, hi, utf16_to_u32(d.bytes), 0});
        } else if (d.kind == Operand::Kind::array) {
          // Array form: one destination per code, capped.
          std::uint64_t n = static_cast<std::uint64_t>(hi) - lo + 1;
          for (std::uint64_t k = 0; k < n && k < d.items.size() && m_chars.size() < k_max_map_entries; ++k) {
            if (d.items[k].kind != Operand::Kind::string) continue;
            m_chars.push_back({static_cast<std::uint32_t>(lo + k), utf16_to_u32(d.items[k].bytes), 0});
          }
        }
      }
    }
  }
  std::stable_sort(m_chars.begin(), m_chars.end(), [](const Char& x, const Char& y) { return x.code < y.code; });
  std::stable_sort(m_ranges.begin(), m_ranges.end(), [](const Range& x, const Range& y) { return x.lo < y.lo; });
  std::uint32_t max_hi = 0;
  for (std::size_t i = 0; i < m_ranges.size(); ++i) {
    if (i > 0 && m_ranges[i].lo <= max_hi) m_overlap = true;
    max_hi = std::max(max_hi, m_ranges[i].hi);
  }
}

const CodeMap::Range* CodeMap::find_range(std::uint32_t code) const {
  if (m_overlap) {
    for (auto it = m_ranges.rbegin(); it != m_ranges.rend(); ++it)
      if (code >= it->lo && code <= it->hi) return &*it;
    return nullptr;
  }
  auto r = std::upper_bound(m_ranges.begin(), m_ranges.end(), code,
                            [](std::uint32_t c, const Range& x) { return c < x.lo; });
  if (r == m_ranges.begin()) return nullptr;
  --r;
  return code <= r->hi ? &*r : nullptr;
}

bool CodeMap::unicode(std::uint32_t code, std::string& utf8) const {
  auto it = std::upper_bound(m_chars.begin(), m_chars.end(), code,
                             [](std::uint32_t c, const Char& x) { return c < x.code; });
  if (it != m_chars.begin() && std::prev(it)->code == code) return to_utf8(std::prev(it)->text, utf8);
  if (const Range* r = find_range(code)) {
    if (!r->base.empty()) {
      std::u32string t = r->base;
      t.back() += code - r->lo;
      return to_utf8(t, utf8);
    }
  }
  utf8.clear();
  return false;
}

bool CodeMap::cid(std::uint32_t code, std::uint32_t& cid) const {
  auto it = std::upper_bound(m_chars.begin(), m_chars.end(), code,
                             [](std::uint32_t c, const Char& x) { return c < x.code; });
  if (it != m_chars.begin() && std::prev(it)->code == code) {
    cid = std::prev(it)->value;
    return true;
  }
  if (const Range* r = find_range(code)) {
    cid = r->value + (code - r->lo);
    return true;
  }
  return false;
}

// ---- FontModel ----------------------------------------------------------------------------------

std::shared_ptr<const FontModel> FontModel::load(QPDFObjectHandle font) {
  auto m = std::make_shared<FontModel>();
  try {
    std::string subtype = name_of(key(font, "/Subtype"));
    if (!font.isDictionary()) {
      m->m_problem = "font is not a dictionary";
      m->m_widths.fill(0.5);
    } else if (subtype == "Type0") {
      m->m_kind = Kind::type0;
      m->load_type0(font);
    } else if (subtype == "Type3") {
      m->m_kind = Kind::type3;
      m->load_simple(font, true);
      m->m_problem = "Type3 font";
    } else {
      m->load_simple(font, false);
      if (subtype != "Type1" && subtype != "TrueType" && subtype != "MMType1" && m->m_problem.empty())
        m->m_problem = "unknown font type";
    }
  } catch (const std::exception&) {
    m->m_problem = "unreadable font";
  }
  return m;
}

void FontModel::load_to_unicode(QPDFObjectHandle font) {
  QPDFObjectHandle tu = key(font, "/ToUnicode");
  if (!tu.isStream()) return;
  std::string data = stream_bytes(tu);
  if (data.empty()) return;
  m_to_unicode.parse(data, true);
  m_has_to_unicode = !m_to_unicode.empty();
}

void FontModel::load_simple(QPDFObjectHandle font, bool type3) {
  load_to_unicode(font);
  QPDFObjectHandle desc = key(font, "/FontDescriptor");
  std::string base_font = name_of(key(font, "/BaseFont"));
  const fontdata::Base14Font* std14 = type3 ? nullptr : find_base14(base_font);
  double flags = 0;
  number(key(desc, "/Flags"), flags);
  bool symbolic = (to_ll(flags) & 4) != 0;

  // Encoding: base table + /Differences.
  const char* const* base = nullptr;
  std::array<std::string, 256> names{};
  QPDFObjectHandle enc = key(font, "/Encoding");
  std::string enc_name = name_of(enc);
  if (!enc_name.empty()) base = named_encoding(enc_name);
  else if (enc.isDictionary()) base = named_encoding(name_of(key(enc, "/BaseEncoding")));
  if (!base) {
    if (std14 && (std::strcmp(std14->name, "Symbol") == 0 || std::strcmp(std14->name, "ZapfDingbats") == 0))
      base = std14->builtin;
    else if (!type3)
      base = fontdata::k_enc_standard;  // font built-in encoding approximated by Standard (names for widths)
  }
  if (base)
    for (int c = 0; c < 256; ++c)
      if (base[c]) names[static_cast<std::size_t>(c)] = base[c];
  QPDFObjectHandle diffs = key(enc, "/Differences");
  if (diffs.isArray()) {
    int n = diffs.getArrayNItems();
    long long code = 0;
    for (int i = 0; i < n && i < 4096; ++i) {
      QPDFObjectHandle it = diffs.getArrayItem(i);
      double v;
      if (number(it, v)) code = to_ll(v);
      else if (it.isName()) {
        if (code >= 0 && code < 256) names[static_cast<std::size_t>(code)] = name_of(it);
        ++code;
      }
    }
  }
  // A symbolic embedded font without /Encoding uses its program's built-in encoding, which we do not
  // read: its glyph names (and so its text) are unknown unless ToUnicode says otherwise.
  const bool names_unknown = symbolic && !std14 && !type3 && enc.isNull();
  // Unicode per code: ToUnicode first, then the glyph name.
  for (std::uint32_t c = 0; c < 256; ++c) {
    std::string t;
    if (m_has_to_unicode && m_to_unicode.unicode(c, t)) {
      m_text[c] = t;
      m_text_known[c] = true;
    } else if (!names[c].empty() && !names_unknown) {
      m_text[c] = glyph_name_to_utf8(names[c]);
      m_text_known[c] = !m_text[c].empty();
    }
  }

  // Widths.
  double scale = 0.001;
  if (type3) {
    QPDFObjectHandle fm = key(font, "/FontMatrix");
    double a = 0.001;
    if (fm.isArray() && fm.getArrayNItems() == 6 && number(fm.getArrayItem(0), a)) scale = a;
  }
  double missing = 0;
  bool has_missing = number(key(desc, "/MissingWidth"), missing);
  QPDFObjectHandle widths = key(font, "/Widths");
  double first_d = 0;
  number(key(font, "/FirstChar"), first_d);
  long long first = to_ll(first_d);
  bool have_widths = widths.isArray();
  for (int c = 0; c < 256; ++c) {
    double w = -1;
    if (have_widths) {
      long long idx = c - first;
      if (idx >= 0 && idx < widths.getArrayNItems()) {
        double v;
        if (number(widths.getArrayItem(static_cast<int>(idx)), v)) w = v;
      }
    }
    if (w < 0 && has_missing) w = missing;
    if (w < 0 && std14 && !names[static_cast<std::size_t>(c)].empty()) {
      int aw = base14_width(*std14, names[static_cast<std::size_t>(c)].c_str());
      if (aw >= 0) w = aw;
    }
    if (w < 0) w = 0;
    m_widths[static_cast<std::size_t>(c)] = w * scale;
  }
  if (!have_widths && !std14 && !type3) m_problem = "font without widths";

  // Ascent / descent.
  double asc = 0, dsc = 0;
  bool from_desc = number(key(desc, "/Ascent"), asc) & number(key(desc, "/Descent"), dsc);
  if (type3) {
    QPDFObjectHandle bb = key(font, "/FontBBox");
    QPDFObjectHandle fm = key(font, "/FontMatrix");
    double y0 = 0, y1 = 0, d = 0.001;
    if (bb.isArray() && bb.getArrayNItems() == 4 && number(bb.getArrayItem(1), y0) && number(bb.getArrayItem(3), y1)) {
      if (fm.isArray() && fm.getArrayNItems() == 6) number(fm.getArrayItem(3), d);
      double a = std::max(y0, y1) * d, b = std::min(y0, y1) * d;
      if (a > b && a - b < 100) {
        m_ascent = a;
        m_descent = b;
      }
    }
    return;
  }
  if (from_desc && asc > dsc && asc != 0) {
    m_ascent = asc / 1000;
    m_descent = (dsc > 0 ? -dsc : dsc) / 1000;
  } else if (std14 && std14->ascent > std14->descent) {
    m_ascent = std14->ascent / 1000.0;
    m_descent = std14->descent / 1000.0;
  }
}

void FontModel::load_type0(QPDFObjectHandle font) {
  load_to_unicode(font);
  QPDFObjectHandle df = key(font, "/DescendantFonts");
  QPDFObjectHandle cidfont = df.isArray() && df.getArrayNItems() > 0 ? df.getArrayItem(0) : df;
  if (!cidfont.isDictionary()) m_problem = "Type0 font without a descendant font";
  // Encoding.
  QPDFObjectHandle enc = key(font, "/Encoding");
  std::string enc_name = name_of(enc);
  if (enc_name == "Identity-H") {
    m_identity = true;
  } else if (enc_name == "Identity-V") {
    m_identity = true;
    m_vertical = true;
  } else if (enc.isStream()) {
    m_encoding.parse(stream_bytes(enc), false);
    m_identity = false;
    double wm = 0;
    if (number(key(enc.getDict(), "/WMode"), wm) && wm == 1) m_vertical = true;
    if (m_encoding.wmode() == 1) m_vertical = true;
    const std::string& use = m_encoding.use_cmap();
    std::string use_name = use.empty() ? name_of(key(enc.getDict(), "/UseCMap")) : use;
    if (!use_name.empty()) {
      if (use_name == "Identity-H" || use_name == "Identity-V") {
        if (use_name == "Identity-V") m_vertical = true;
        if (m_encoding.codespaces().empty()) m_identity = true;
      } else if (m_problem.empty()) {
        m_problem = "unsupported CMap " + use_name.substr(0, 64);
      }
    }
    if (!m_identity && m_encoding.codespaces().empty()) m_two_byte_fallback = true;
  } else {
    m_identity = true;
    if (m_problem.empty()) m_problem = "unsupported CMap " + (enc_name.empty() ? std::string("(missing)") : enc_name.substr(0, 64));
  }
  if (m_vertical && m_problem.empty()) m_problem = "vertical writing";

  // Widths.
  double dw = 1000;
  number(key(cidfont, "/DW"), dw);
  m_default_width = dw / 1000;
  QPDFObjectHandle w = key(cidfont, "/W");
  if (w.isArray()) {
    int n = w.getArrayNItems();
    std::size_t budget = k_max_map_entries;
    for (int i = 0; i < n && budget > 0;) {
      double c0;
      if (!number(w.getArrayItem(i), c0) || c0 < 0) break;
      QPDFObjectHandle next = i + 1 < n ? w.getArrayItem(i + 1) : QPDFObjectHandle::newNull();
      if (next.isArray()) {
        int m = next.getArrayNItems();
        for (int k = 0; k < m && budget > 0; ++k, --budget) {
          double v;
          if (number(next.getArrayItem(k), v)) {
            auto cid = static_cast<std::uint32_t>(std::min(c0 + k, 4294967295.0));
            m_cid_widths.push_back({cid, cid, v / 1000});
          }
        }
        i += 2;
      } else {
        double c1, v;
        if (i + 2 >= n || !number(next, c1) || !number(w.getArrayItem(i + 2), v) || c1 < c0) break;
        m_cid_widths.push_back({static_cast<std::uint32_t>(std::min(c0, 4294967295.0)),
                                static_cast<std::uint32_t>(std::min(c1, 4294967295.0)), v / 1000});
        --budget;
        i += 3;
      }
    }
    std::stable_sort(m_cid_widths.begin(), m_cid_widths.end(),
                     [](const WidthRange& a, const WidthRange& b) { return a.first < b.first; });
    std::uint32_t max_last = 0;
    for (std::size_t i = 0; i < m_cid_widths.size(); ++i) {
      if (i > 0 && m_cid_widths[i].first <= max_last) m_widths_overlap = true;
      max_last = std::max(max_last, m_cid_widths[i].last);
    }
  }

  if (!m_has_to_unicode && m_problem.empty()) m_problem = "no ToUnicode for CID font";

  QPDFObjectHandle desc = key(cidfont, "/FontDescriptor");
  double asc = 0, dsc = 0;
  bool ok = number(key(desc, "/Ascent"), asc) & number(key(desc, "/Descent"), dsc);
  if (ok && asc > dsc && asc != 0) {
    m_ascent = asc / 1000;
    m_descent = (dsc > 0 ? -dsc : dsc) / 1000;
  }
}

std::size_t FontModel::next_code(std::string_view s, std::size_t pos, std::uint32_t& code) const {
  const std::size_t left = s.size() - pos;
  if (m_kind != Kind::type0) {
    code = static_cast<unsigned char>(s[pos]);
    return 1;
  }
  if (m_identity || m_two_byte_fallback) {
    if (left >= 2) {
      code = (static_cast<std::uint32_t>(static_cast<unsigned char>(s[pos])) << 8) |
             static_cast<unsigned char>(s[pos + 1]);
      return 2;
    }
    code = static_cast<unsigned char>(s[pos]);
    return 1;
  }
  const auto& spaces = m_encoding.codespaces();
  int shortest = 4;
  for (int n = 1; n <= 4; ++n) {
    if (static_cast<std::size_t>(n) > left) break;
    for (const auto& cs : spaces) {
      if (cs.bytes != n) continue;
      shortest = std::min(shortest, n);
      bool in = true;
      for (int k = 0; k < n && in; ++k) {
        auto b = static_cast<unsigned char>(s[pos + static_cast<std::size_t>(k)]);
        in = b >= cs.lo[static_cast<std::size_t>(k)] && b <= cs.hi[static_cast<std::size_t>(k)];
      }
      if (in) {
        code = 0;
        for (int k = 0; k < n; ++k) code = (code << 8) | static_cast<unsigned char>(s[pos + static_cast<std::size_t>(k)]);
        return static_cast<std::size_t>(n);
      }
    }
  }
  for (const auto& cs : spaces) shortest = std::min(shortest, cs.bytes);
  std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(shortest, 1)), left);
  code = 0;
  for (std::size_t k = 0; k < n; ++k) code = (code << 8) | static_cast<unsigned char>(s[pos + k]);
  return n;
}

double FontModel::width(std::uint32_t code) const {
  if (m_kind != Kind::type0) return code < 256 ? m_widths[code] : 0;
  std::uint32_t cid = code;
  if (!m_identity && !m_two_byte_fallback && !m_encoding.cid(code, cid)) cid = 0;
  if (m_widths_overlap) {
    // Overlapping /W entries (hostile or sloppy): the one starting last wins; scan everything.
    for (auto r = m_cid_widths.rbegin(); r != m_cid_widths.rend(); ++r)
      if (cid >= r->first && cid <= r->last) return r->width;
    return m_default_width;
  }
  auto it = std::upper_bound(m_cid_widths.begin(), m_cid_widths.end(), cid,
                             [](std::uint32_t c, const WidthRange& r) { return c < r.first; });
  if (it != m_cid_widths.begin() && cid <= std::prev(it)->last) return std::prev(it)->width;
  return m_default_width;
}

bool FontModel::unicode(std::uint32_t code, std::string& out) const {
  if (m_kind != Kind::type0) {
    if (code < 256 && m_text_known[code]) {
      out = m_text[code];
      return true;
    }
    out.clear();
    return false;
  }
  if (m_has_to_unicode) return m_to_unicode.unicode(code, out);
  out.clear();
  return false;
}

}  // namespace declass::pdf
