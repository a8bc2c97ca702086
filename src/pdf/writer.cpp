// PDF writer (see writer.hpp): PoDoFo builds pages, content streams (written by hand as literal
// WinAnsi strings) and subset fonts; libqpdf rewrites the result through an allow-list, adds Info,
// XMP and the attachments, and writes only reachable objects with a deterministic /ID.
#include "pdf/writer.hpp"

#include <podofo/podofo.h>

#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <array>
#include <charconv>
#include <ctime>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "pdf/font_files.hpp"
#include "pdf/qpdf_finalize.hpp"

namespace declass::pdf {

// ---- encoding ---------------------------------------------------------------------------------

namespace {
// CP1252 0x80..0x9F → Unicode (0 = undefined).
constexpr std::array<char32_t, 32> k_cp1252_high = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
}  // namespace

std::u32string utf8_to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += c;
      ++i;
      continue;
    }
    std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) {
      out += 0xFFFD;
      ++i;
      continue;
    }
    char32_t cp = c & (0xFFu >> (len + 1));
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (!ok) {
      out += 0xFFFD;
      ++i;
      continue;
    }
    out += cp;
    i += len;
  }
  return out;
}

char to_winansi(char32_t c) {
  if (c == '\t') return ' ';
  if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF)) return static_cast<char>(c);
  for (std::size_t i = 0; i < k_cp1252_high.size(); ++i)
    if (k_cp1252_high[i] == c && c != 0) return static_cast<char>(0x80 + i);
  return '?';
}

char32_t from_winansi(unsigned char b) {
  if (b >= 0x80 && b < 0xA0) {
    char32_t u = k_cp1252_high[b - 0x80];
    return u ? u : U'?';
  }
  return b;
}

// ---- fonts --------------------------------------------------------------------------------------

const char* font_file(Font f) {
  switch (f) {
    case Font::mono: return k_font_mono;
    case Font::sans: return k_font_sans;
    case Font::sans_bold: return k_font_sans_bold;
  }
  return k_font_mono;
}

namespace {

struct Metrics {
  std::array<double, 256> width{};  // per WinAnsi byte, at 1 pt
  double ascent = 0.8, descent = -0.2;
};

const Metrics& metrics(Font f) {
  static std::once_flag once;
  static std::array<Metrics, 3> all;
  std::call_once(once, [] {
    try {
      PoDoFo::PdfMemDocument doc;
      for (int i = 0; i < 3; ++i) {
        auto font = static_cast<Font>(i);
        PoDoFo::PdfFont* pf = doc.CreateFontSubset(i == 0 ? "DejaVu Sans Mono" : i == 1 ? "DejaVu Sans" : "DejaVu Sans Bold",
                                                   i == 2, false, false,
                                                   PoDoFo::PdfEncodingFactory::GlobalWinAnsiEncodingInstance(), font_file(font));
        if (!pf) throw Error(ErrorCategory::pdf, font_file(font), "cannot load font");
        pf->SetFontSize(1000.0f);
        const PoDoFo::PdfFontMetrics* m = pf->GetFontMetrics();
        Metrics& mm = all[static_cast<std::size_t>(i)];
        for (int b = 0; b < 256; ++b) {
          char32_t u = from_winansi(static_cast<unsigned char>(b));
          mm.width[static_cast<std::size_t>(b)] = m->UnicodeCharWidth(static_cast<unsigned short>(u)) / 1000.0;
        }
        mm.ascent = m->GetAscent() / 1000.0;
        mm.descent = m->GetDescent() / 1000.0;
      }
    } catch (const PoDoFo::PdfError& e) {
      throw Error(ErrorCategory::pdf, "fonts", std::string("cannot load the DejaVu fonts (install fonts-dejavu-core): ") +
                                                   PoDoFo::PdfError::ErrorMessage(e.GetError()));
    }
  });
  return all[static_cast<std::size_t>(f)];
}

}  // namespace

double char_advance(Font font, char32_t c, double size) {
  return metrics(font).width[static_cast<unsigned char>(to_winansi(c))] * size;
}

double text_width(Font font, std::string_view utf8, double size) {
  double w = 0;
  for (char32_t c : utf8_to_u32(utf8)) w += char_advance(font, c, size);
  return w;
}

double font_ascent(Font font, double size) { return metrics(font).ascent * size; }
double font_descent(Font font, double size) { return metrics(font).descent * size; }

std::string pdf_date(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
  return buf;
}

// ---- content streams ------------------------------------------------------------------------------

namespace {

void put_num(std::string& out, double v) {
  char buf[32];
  long long scaled = static_cast<long long>(v * 1000.0 + (v >= 0 ? 0.5 : -0.5));
  bool neg = scaled < 0;
  if (neg) scaled = -scaled;
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, scaled / 1000);
  (void)ec;
  std::string s(buf, p);
  long long frac = scaled % 1000;
  if (frac) {
    char f[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10), 0};
    std::string fs(f);
    while (!fs.empty() && fs.back() == '0') fs.pop_back();
    s += "." + fs;
  }
  if (neg && s != "0") out += '-';
  out += s;
  out += ' ';
}

void put_string(std::string& out, const std::string& winansi) {
  out += '(';
  for (unsigned char c : winansi) {
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 32 || c > 126) {
      char b[5] = {'\\', static_cast<char>('0' + (c >> 6)), static_cast<char>('0' + ((c >> 3) & 7)), static_cast<char>('0' + (c & 7)), 0};
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += ')';
}

const char* font_res_name(Font f) {
  switch (f) {
    case Font::mono: return "F1";
    case Font::sans: return "F2";
    case Font::sans_bold: return "F3";
  }
  return "F1";
}

std::string encode(const std::string& utf8) {
  std::string out;
  for (char32_t c : utf8_to_u32(utf8)) out += to_winansi(c);
  return out;
}

std::string content_stream(const PageSpec& page, std::array<bool, 3>& used, std::array<std::set<unsigned char>, 3>& glyphs) {
  std::string out;
  out.reserve(page.ops.size() * 64);
  for (const auto& op : page.ops) {
    switch (op.kind) {
      case DrawOp::Kind::text: {
        if (op.text.empty()) break;
        std::string bytes = encode(op.text);
        auto fi = static_cast<std::size_t>(op.font);
        used[fi] = true;
        for (unsigned char c : bytes) glyphs[fi].insert(c);
        put_num(out, op.gray);
        out += "g BT /";
        out += font_res_name(op.font);
        out += ' ';
        put_num(out, op.size);
        out += "Tf 1 0 0 1 ";
        put_num(out, op.x);
        put_num(out, op.y);
        out += "Tm ";
        put_string(out, bytes);
        out += " Tj ET\n";
        break;
      }
      case DrawOp::Kind::fill_rect:
        put_num(out, op.gray);
        out += "g ";
        put_num(out, op.x);
        put_num(out, op.y);
        put_num(out, op.w);
        put_num(out, op.h);
        out += "re f\n";
        break;
      case DrawOp::Kind::line:
        put_num(out, op.gray);
        out += "G ";
        put_num(out, op.line_width);
        out += "w ";
        put_num(out, op.x);
        put_num(out, op.y);
        out += "m ";
        put_num(out, op.x + op.w);
        put_num(out, op.y + op.h);
        out += "l S\n";
        break;
    }
  }
  return out;
}

// PoDoFo stage: pages, contents, fonts. Returns the bytes PoDoFo writes.
std::string podofo_stage(const DocumentSpec& spec) {
  using namespace PoDoFo;
  PdfMemDocument doc;
  std::array<bool, 3> any_used{};
  std::array<std::set<unsigned char>, 3> glyphs;
  std::vector<std::string> contents;
  std::vector<std::array<bool, 3>> page_used;
  contents.reserve(spec.pages.size());
  for (const auto& p : spec.pages) {
    std::array<bool, 3> used{};
    contents.push_back(content_stream(p, used, glyphs));
    page_used.push_back(used);
    for (int i = 0; i < 3; ++i) any_used[i] = any_used[i] || used[i];
  }
  std::array<PdfFont*, 3> fonts{};
  for (int i = 0; i < 3; ++i) {
    if (!any_used[i]) continue;
    auto f = static_cast<Font>(i);
    fonts[i] = doc.CreateFontSubset(i == 0 ? "DejaVu Sans Mono" : i == 1 ? "DejaVu Sans" : "DejaVu Sans Bold", i == 2, false, false,
                                    PdfEncodingFactory::GlobalWinAnsiEncodingInstance(), font_file(f));
    if (!fonts[i]) throw Error(ErrorCategory::pdf, font_file(f), "cannot load font");
    // Register the used glyphs (space first, so the string never starts with a BOM).
    std::string used = " ";
    for (unsigned char c : glyphs[i])
      if (c != ' ') used += static_cast<char>(c);
    PdfString s(used.data(), static_cast<pdf_long>(used.size()));
    fonts[i]->AddUsedSubsettingGlyphs(s, static_cast<long>(used.size()));
  }
  for (std::size_t pi = 0; pi < spec.pages.size(); ++pi) {
    const auto& p = spec.pages[pi];
    PdfPage* page = doc.CreatePage(PdfRect(0, 0, p.width, p.height));
    PdfObject* cobj = page->GetContents();
    const std::string& c = contents[pi];
    cobj->GetStream()->Set(c.data(), static_cast<pdf_long>(c.size()), TVecFilters());
    PdfObject* res = page->GetResources();
    PdfDictionary fdict;
    for (int i = 0; i < 3; ++i)
      if (page_used[pi][i] && fonts[i]) fdict.AddKey(PdfName(font_res_name(static_cast<Font>(i))), fonts[i]->GetObject()->Reference());
    res->GetDictionary().AddKey(PdfName("Font"), fdict);
  }
  PdfRefCountedBuffer buf;
  PdfOutputDevice dev(&buf);
  doc.Write(&dev);
  return std::string(buf.GetBuffer(), dev.GetLength());
}

// qpdf stage: allow-list of page keys and resources, then the shared final stage (qpdf_finalize.hpp).
std::string qpdf_stage(const std::string& in, const DocumentSpec& spec) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("podofo", in.data(), in.size());
  QPDFObjectHandle root = q.getRoot();
  QPDFObjectHandle pages = root.getKey("/Pages");
  static const std::set<std::string> page_keys = {"/Type", "/Parent", "/MediaBox", "/Contents", "/Resources", "/Kids", "/Count"};
  for (auto& ph : QPDFPageDocumentHelper(q).getAllPages()) {
    QPDFObjectHandle po = ph.getObjectHandle();
    for (const auto& k : po.getKeys())
      if (!page_keys.count(k)) po.removeKey(k);
    QPDFObjectHandle res = po.getKey("/Resources");
    if (res.isDictionary())
      for (const auto& k : res.getKeys())
        if (k != "/Font") res.removeKey(k);
  }
  FinalizeSpec fin;
  fin.title = spec.title;
  fin.producer = spec.producer;
  fin.creation_time = spec.creation_time;
  fin.xmp = spec.xmp;
  fin.attachments = spec.attachments;
  return finalize_and_write(q, pages, fin);
}

}  // namespace

std::string write_document(const DocumentSpec& spec) {
  if (spec.pages.empty()) throw Error(ErrorCategory::pdf, "writer", "a document needs at least one page");
  std::string stage1;
  try {
    stage1 = podofo_stage(spec);
  } catch (const PoDoFo::PdfError& e) {
    throw Error(ErrorCategory::pdf, "writer", std::string("PoDoFo: ") + PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
  try {
    return qpdf_stage(stage1, spec);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::pdf, "writer", std::string("qpdf rewrite failed: ") + e.what());
  }
}

}  // namespace declass::pdf
