// True redaction of an existing PDF (see redact.hpp): glyphs under areas are cut out of the content
// streams with TJ spacing so every kept glyph stays put, forms are instanced per use, images blanked
// or dropped, inline images and covered paths removed, resources pruned, labels drawn in an overlay
// form, the document rebuilt from an allow-list and the written bytes verified fail-closed.
#include "core/multi_search.hpp"
#include "pdf/redact.hpp"

#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "pdf/base14_metrics.hpp"
#include "pdf/content_lexer.hpp"
#include "pdf/interpreter.hpp"
#include "pdf/loaded_pdf.hpp"
#include "pdf/page_geometry.hpp"
#include "pdf/rasterize.hpp"
#include "pdf/redact_images.hpp"
#include "pdf/redact_verify.hpp"
#include "pdf/sanitize.hpp"
#include "pdf/writer.hpp"

namespace declass::pdf {

namespace {

constexpr const char* k_where = "redact";

// ---- small helpers ------------------------------------------------------------------------------

bool finite_box(const Box& b) {
  return std::isfinite(b.x0) && std::isfinite(b.y0) && std::isfinite(b.x1) && std::isfinite(b.y1);
}

Box grow(const Box& b, double m) { return Box{b.x0 - m, b.y0 - m, b.x1 + m, b.y1 + m}; }

Box unite(const Box& a, const Box& b) {
  return Box{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

bool contains(const Box& outer, const Box& inner) {
  return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

bool boxes_touch(const Box& a, const Box& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

std::string num(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s(buf, n > 0 && n < static_cast<int>(sizeof buf) ? static_cast<std::size_t>(n) : 0);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s.empty() || s == "-0") s = "0";
  return s;
}

// Appends the decoded bytes of every string in a content-stream operand (arrays included), one per line.
void append_string_operands(const Operand& o, std::string& out, int depth) {
  if (depth > 64) return;
  if (o.kind == Operand::Kind::string) {
    out += o.bytes;
    out += '\n';
  } else if (o.kind == Operand::Kind::array || o.kind == Operand::Kind::dict) {
    for (const auto& item : o.items) append_string_operands(item, out, depth + 1);
  }
}

std::string hex_string(std::string_view bytes) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "<";
  for (unsigned char c : bytes) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  out += '>';
  return out;
}

// Areas of one page sorted by their lower edge, so a glyph is tested only against the few areas
// whose vertical extent can reach it (a page has ~12 areas and ~3,000 glyphs).
class AreaIndex {
 public:
  explicit AreaIndex(const std::vector<Box>& areas) {
    for (std::size_t i = 0; i < areas.size(); ++i) {
      m_items.push_back({areas[i], i});
      m_max_h = std::max(m_max_h, areas[i].y1 - areas[i].y0);
    }
    std::sort(m_items.begin(), m_items.end(), [](const Item& a, const Item& b) { return a.box.y0 < b.box.y0; });
  }
  bool empty() const { return m_items.empty(); }
  // Index (in the original list) of an area the glyph hits, or -1. Non-finite boxes hit area 0.
  long hit(const Box& g) const;

 private:
  struct Item {
    Box box;
    std::size_t index;
  };
  std::vector<Item> m_items;
  double m_max_h = 0;
};

// Advance of WinAnsi text in Helvetica / Helvetica-Bold at 1 pt, from the standard-14 metrics.
double helvetica_width(std::string_view winansi, bool bold) {
  const fontdata::Base14Font* font = nullptr;
  for (const auto& f : fontdata::k_base14)
    if (std::strcmp(f.name, bold ? "Helvetica-Bold" : "Helvetica") == 0) font = &f;
  double w = 0;
  for (unsigned char c : winansi) {
    int width = 556;
    const char* glyph = fontdata::k_enc_winansi[c];
    if (font && glyph) {
      const fontdata::GlyphWidth* b = font->widths;
      const fontdata::GlyphWidth* e = font->widths + font->width_count;
      const fontdata::GlyphWidth* it =
          std::lower_bound(b, e, glyph, [](const fontdata::GlyphWidth& gw, const char* n) { return std::strcmp(gw.name, n) < 0; });
      if (it != e && std::strcmp(it->name, glyph) == 0) width = it->width;
    }
    w += width;
  }
  return w / 1000.0;
}

std::string to_winansi_bytes(std::string_view utf8) {
  std::string out;
  for (char32_t c : utf8_to_u32(utf8)) out += to_winansi(c);
  return out;
}

// Type tests that are safe on a default-constructed (uninitialized) handle.
bool is_dict(QPDFObjectHandle h) { return h.isInitialized() && h.isDictionary(); }
bool is_stream(QPDFObjectHandle h) { return h.isInitialized() && h.isStream(); }

// ---- resource names -----------------------------------------------------------------------------

enum ResCat { rc_font, rc_xobject, rc_extgstate, rc_colorspace, rc_pattern, rc_shading, rc_properties, rc_count };
constexpr std::array<const char*, rc_count> k_cat_keys = {"/Font",    "/XObject", "/ExtGState", "/ColorSpace",
                                                          "/Pattern", "/Shading", "/Properties"};

struct NameSets {
  std::array<std::set<std::string>, rc_count> names;
  void merge(const NameSets& o) {
    for (int c = 0; c < rc_count; ++c) names[c].insert(o.names[c].begin(), o.names[c].end());
  }
};

const std::string* name_operand(const ContentOp& op, std::size_t i) {
  if (i < op.operands.size() && op.operands[i].kind == Operand::Kind::name) return &op.operands[i].bytes;
  return nullptr;
}

void collect_names(const ContentOp& op, NameSets& u) {
  const std::string& o = op.op;
  auto add = [&](ResCat c, const std::string* n) {
    if (n) u.names[c].insert(*n);
  };
  if (o == "Tf") add(rc_font, name_operand(op, 0));
  else if (o == "Do") add(rc_xobject, name_operand(op, 0));
  else if (o == "gs") add(rc_extgstate, name_operand(op, 0));
  else if (o == "cs" || o == "CS") add(rc_colorspace, name_operand(op, 0));
  else if ((o == "scn" || o == "SCN") && !op.operands.empty()) add(rc_pattern, name_operand(op, op.operands.size() - 1));
  else if (o == "sh") add(rc_shading, name_operand(op, 0));
  else if (o == "BDC" || o == "DP") add(rc_properties, name_operand(op, 1));
  else if (o == "BI") {
    for (std::size_t i = 0; i + 1 < op.operands.size(); i += 2) {
      const Operand& k = op.operands[i];
      if (k.kind == Operand::Kind::name && (k.bytes == "CS" || k.bytes == "ColorSpace"))
        add(rc_colorspace, name_operand(op, i + 1));
    }
  }
}

// A copy of `in_effect` holding only the used names (plus `added` XObjects). Values are shared.
QPDFObjectHandle pruned_resources(QPDFObjectHandle in_effect, const NameSets& used,
                                  const std::map<std::string, QPDFObjectHandle>& added) {
  QPDFObjectHandle out = QPDFObjectHandle::newDictionary();
  for (int c = 0; c < rc_count; ++c) {
    QPDFObjectHandle src = is_dict(in_effect) ? in_effect.getKey(k_cat_keys[c]) : QPDFObjectHandle::newNull();
    QPDFObjectHandle sub = QPDFObjectHandle::newDictionary();
    bool any = false;
    for (const auto& n : used.names[c]) {
      std::string key = "/" + n;
      if (c == rc_xobject && added.count(n)) continue;
      if (src.isDictionary() && src.hasKey(key)) {
        sub.replaceKey(key, src.getKey(key));
        any = true;
      }
    }
    if (c == rc_xobject)
      for (const auto& [n, obj] : added)
        if (used.names[c].count(n)) {
          sub.replaceKey("/" + n, obj);
          any = true;
        }
    if (any) out.replaceKey(k_cat_keys[c], sub);
  }
  return out;
}

bool has_key(QPDFObjectHandle res, const char* cat, const std::string& name) {
  if (!is_dict(res)) return false;
  QPDFObjectHandle d = res.getKey(cat);
  return d.isDictionary() && d.hasKey("/" + name);
}

// ---- content edits ------------------------------------------------------------------------------

struct OpEdit {
  bool drop = false;
  bool replace = false;
  std::vector<ContentOp> ops;   // replace
  std::string rename;           // Do: new XObject name
};

bool is_path_construction(const std::string& o) {
  return o == "m" || o == "l" || o == "c" || o == "v" || o == "y" || o == "h" || o == "re";
}
bool is_path_painting(const std::string& o) {
  return o == "S" || o == "s" || o == "f" || o == "F" || o == "f*" || o == "B" || o == "B*" || o == "b" || o == "b*" ||
         o == "n";
}

// Rewrites one show op (Tj, ', ", TJ) without the removed glyphs: each removed code becomes a TJ number
// of minus its displacement (adjacent numbers merged), kept codes keep their bytes. Returns false when
// the glyph records do not fit the op (then the page is unsafe).
bool rewrite_show(const ContentOp& op, std::vector<const GlyphRecord*> removed, std::vector<ContentOp>& out) {
  std::sort(removed.begin(), removed.end(), [](const GlyphRecord* a, const GlyphRecord* b) {
    return a->element != b->element ? a->element < b->element : a->code_begin < b->code_begin;
  });
  std::vector<Operand> single;
  const std::vector<Operand>* items = nullptr;
  bool is_tj = op.op == "TJ";
  if (op.operands.empty()) return false;
  if (is_tj) {
    if (op.operands.back().kind != Operand::Kind::array) return false;
    items = &op.operands.back().items;
  } else {
    if (op.operands.back().kind != Operand::Kind::string) return false;
    single.push_back(op.operands.back());
    items = &single;
  }
  std::vector<Operand> res;
  double pending = 0;
  int pending_count = 0;
  const Operand* pending_orig = nullptr;
  auto push_num = [&](double v, const Operand* orig) {
    pending += v;
    ++pending_count;
    pending_orig = orig;
  };
  auto flush_num = [&] {
    if (pending_count == 1 && pending_orig) res.push_back(*pending_orig);
    else if (pending_count > 0 && pending != 0) res.push_back(make_number(pending));
    pending = 0;
    pending_count = 0;
    pending_orig = nullptr;
  };
  auto push_str = [&](std::string_view bytes) {
    if (bytes.empty()) return;
    flush_num();
    res.push_back(make_string(bytes));
  };
  std::size_t ri = 0;
  for (std::size_t e = 0; e < items->size(); ++e) {
    const Operand& it = (*items)[e];
    if (it.kind == Operand::Kind::number) {
      push_num(it.number, &it);
      continue;
    }
    if (it.kind != Operand::Kind::string) {
      flush_num();
      res.push_back(it);
      continue;
    }
    const std::string& bytes = it.bytes;
    std::size_t run_start = 0;
    while (ri < removed.size() && removed[ri]->element == static_cast<int>(e)) {
      const GlyphRecord* g = removed[ri++];
      if (g->code_begin < run_start || g->code_length == 0 || g->code_begin + g->code_length > bytes.size()) return false;
      if (!std::isfinite(g->advance_tj)) return false;
      push_str(std::string_view(bytes).substr(run_start, g->code_begin - run_start));
      push_num(-g->advance_tj, nullptr);
      run_start = g->code_begin + g->code_length;
    }
    push_str(std::string_view(bytes).substr(run_start));
  }
  if (ri != removed.size()) return false;  // a record points at an element that is not a string
  flush_num();
  if (op.op == "'") {
    out.push_back(ContentOp{"T*", {}, 0, 0, {}});
  } else if (op.op == "\"") {
    if (op.operands.size() < 3) return false;
    out.push_back(ContentOp{"Tw", {op.operands[op.operands.size() - 3]}, 0, 0, {}});
    out.push_back(ContentOp{"Tc", {op.operands[op.operands.size() - 2]}, 0, 0, {}});
    out.push_back(ContentOp{"T*", {}, 0, 0, {}});
  } else if (op.op != "Tj" && !is_tj) {
    return false;
  }
  if (!res.empty()) {
    Operand arr;
    arr.kind = Operand::Kind::array;
    arr.items = std::move(res);
    out.push_back(ContentOp{"TJ", {std::move(arr)}, 0, 0, {}});
  }
  return true;
}

// Marked-content properties can carry /ActualText, /Alt, /E or optional-content references:
// BDC → BMC and DP → MP keep only the tag.
bool strip_marked_content(ContentOp& op) {
  if ((op.op == "BDC" || op.op == "DP") && !op.operands.empty()) {
    Operand tag = op.operands.front();
    op.op = op.op == "BDC" ? "BMC" : "MP";
    op.operands.clear();
    // The tag /OC names optional content; the layer is gone from the output, and a surviving "/OC"
    // would read as optional content to checkers (lint_release.sh), so it becomes /Span too.
    if (tag.kind == Operand::Kind::name && tag.bytes != "OC") op.operands.push_back(tag);
    else op.operands.push_back(make_name("Span"));
    return true;
  }
  return false;
}

struct WrittenStream {
  std::string data;
  NameSets used;
};

// Applies the edits to a stream's ops; for the page stream (`balance`) surplus Q are dropped and
// an open text object, path or q level is closed so what follows starts in the page's initial state.
// Unchanged ops are copied byte for byte from `original` (the data that was parsed) when it is given.
WrittenStream write_stream(const ContentParse& parse, const std::unordered_map<int, OpEdit>& edits, bool balance,
                           std::string_view original) {
  WrittenStream w;
  std::string& out = w.data;
  out.reserve(original.empty() ? parse.ops.size() * 24 : original.size() + 64);
  int depth = 0;
  bool in_text = false, in_path = false;
  auto emit = [&](const ContentOp& op0, bool verbatim) {
    const ContentOp* op = &op0;
    ContentOp tmp;
    if (op0.op == "BDC" || op0.op == "DP") {
      tmp = op0;
      strip_marked_content(tmp);
      op = &tmp;
      verbatim = false;
    }
    if (balance) {
      const std::string& o = op->op;
      if (o == "q") ++depth;
      else if (o == "Q") {
        if (depth == 0) return;
        --depth;
      } else if (o == "BT") in_text = true;
      else if (o == "ET") in_text = false;
      else if (is_path_construction(o)) in_path = true;
      else if (is_path_painting(o)) in_path = false;
    }
    collect_names(*op, w.used);
    if (!out.empty()) out += '\n';
    if (verbatim && op->begin < op->end && op->end <= original.size()) out.append(original.substr(op->begin, op->end - op->begin));
    else out += serialize_op(*op);
  };
  for (std::size_t i = 0; i < parse.ops.size(); ++i) {
    auto it = edits.empty() ? edits.end() : edits.find(static_cast<int>(i));
    if (it == edits.end()) {
      emit(parse.ops[i], true);
      continue;
    }
    const OpEdit& e = it->second;
    if (e.drop) continue;
    if (e.replace) {
      for (const auto& r : e.ops) emit(r, false);
      continue;
    }
    if (!e.rename.empty()) {
      ContentOp op = parse.ops[i];
      if (!op.operands.empty()) op.operands[0] = make_name(e.rename);
      emit(op, false);
      continue;
    }
    emit(parse.ops[i], true);
  }
  if (balance) {
    if (in_text) out += "\nET";
    if (in_path) out += "\nn";
    for (; depth > 0; --depth) out += "\nQ";
  }
  return w;
}

// The decoded bytes the interpreter parsed for a stream use (page: the content streams joined by
// newlines, as analyze_page joins them). "" when they cannot be read again or do not match the parse.
std::string parsed_data(const StreamUse& u, QPDFPageObjectHelper& page) {
  std::string data;
  try {
    std::vector<QPDFObjectHandle> parts;
    if (u.parent < 0) {
      QPDFObjectHandle contents = page.getObjectHandle().getKey("/Contents");
      if (contents.isStream()) parts.push_back(contents);
      else if (contents.isArray())
        for (int i = 0, n = contents.getArrayNItems(); i < n; ++i) parts.push_back(contents.getArrayItem(i));
    } else {
      parts.push_back(u.object);
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i) data += '\n';
      if (!parts[i].isStream()) return {};
      auto buf = parts[i].getStreamData(qpdf_dl_generalized);
      if (!buf) return {};
      data.append(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
    }
  } catch (const std::exception&) {
    return {};
  }
  // The parse must fit these bytes: every op range inside, and the op keyword where it should be.
  for (const auto& op : u.parse.ops) {
    if (op.end > data.size() || op.begin > op.end) return {};
    if (op.op != "BI" && (op.end < op.op.size() || data.compare(op.end - op.op.size(), op.op.size(), op.op) != 0)) return {};
  }
  return data;
}

// ---- per-page work ------------------------------------------------------------------------------

struct Overlay {
  QPDFObjectHandle font_regular, font_bold;   // shared base-14 font dictionaries (created lazily)
};

QPDFObjectHandle base14_font(QPDF& q, const char* base) {
  QPDFObjectHandle d = QPDFObjectHandle::newDictionary();
  d.replaceKey("/Type", QPDFObjectHandle::newName("/Font"));
  d.replaceKey("/Subtype", QPDFObjectHandle::newName("/Type1"));
  d.replaceKey("/BaseFont", QPDFObjectHandle::newName(base));
  d.replaceKey("/Encoding", QPDFObjectHandle::newName("/WinAnsiEncoding"));
  return q.makeIndirectObject(d);
}

std::string text_matrix(const DisplayPlacement& p) {
  return num(p.a) + ' ' + num(p.b) + ' ' + num(p.c) + ' ' + num(p.d) + ' ' + num(p.x) + ' ' + num(p.y) + " Tm ";
}

// The overlay form: black boxes, white centred labels, then the stamps; labels and stamps upright for
// the viewer of a page with /Rotate `rotate`. Returns a null handle when there is nothing to draw.
// What the overlay of one page draws besides the boxes and their labels.
struct PageDrawings {
  std::vector<const StampText*> stamps;
  std::vector<const StrikeLine*> strikes;
  bool empty() const { return stamps.empty() && strikes.empty(); }
};

QPDFObjectHandle make_overlay(QPDF& q, Overlay& ov, const Box& media, int rotate, const std::vector<Box>& boxes,
                              const std::vector<std::string>& labels, const PageDrawings& drawn) {
  const std::vector<const StampText*>& stamps = drawn.stamps;
  if (boxes.empty() && stamps.empty() && drawn.strikes.empty()) return QPDFObjectHandle::newNull();
  std::string c;
  Box bbox = media;
  for (const StrikeLine* l : drawn.strikes) {  // under the boxes: a box is never crossed out
    if (!std::isfinite(l->x0) || !std::isfinite(l->x1) || !std::isfinite(l->y) || !(l->width > 0) || !std::isfinite(l->width))
      continue;
    c += "q 0 G " + num(l->width) + " w 0 J " + num(l->x0) + ' ' + num(l->y) + " m " + num(l->x1) + ' ' + num(l->y) + " l S Q\n";
  }
  if (!boxes.empty()) {
    c += "q 0 g\n";
    for (const auto& b : boxes) {
      c += num(b.x0) + ' ' + num(b.y0) + ' ' + num(b.x1 - b.x0) + ' ' + num(b.y1 - b.y0) + " re f\n";
      bbox = unite(bbox, b);
    }
    c += "Q\n";
  }
  bool used_bold = false, used_regular = false;
  for (std::size_t i = 0; i < boxes.size() && i < labels.size(); ++i) {
    if (labels[i].empty()) continue;
    std::string text = to_winansi_bytes(labels[i]);
    double w1 = helvetica_width(text, true);
    const Box& b = boxes[i];
    const bool turned = rotate == 90 || rotate == 270;  // the viewer sees the box turned
    double bw = turned ? b.y1 - b.y0 : b.x1 - b.x0, bh = turned ? b.x1 - b.x0 : b.y1 - b.y0;
    auto fit = [&](double along, double across) { return std::min({12.0, across * 0.75, w1 > 0 ? (along - 2) * 0.95 / w1 : 12.0}); };
    // Upright for the viewer; along a tall box (a line of text that runs down the displayed page)
    // the label reads bottom to top instead when that makes it much larger.
    double size = fit(bw, bh);
    DisplayPlacement t = place_upright(media, rotate, 0, 0);
    if (fit(bh, bw) > 1.5 * size) {
      size = fit(bh, bw);
      t = DisplayPlacement{t.c, t.d, -t.a, -t.b, 0, 0};
    }
    if (!(size >= 2)) continue;  // box too small for a readable label
    // From the centre, back half the text width along the baseline and 0.36 em down.
    const double half = w1 * size / 2, drop = 0.36 * size;
    t.x = (b.x0 + b.x1) / 2 - half * t.a - drop * t.c;
    t.y = (b.y0 + b.y1) / 2 - half * t.b - drop * t.d;
    c += "BT 1 g /DclFB " + num(size) + " Tf " + text_matrix(t) + hex_string(text) + " Tj ET\n";
    used_bold = true;
  }
  for (const StampText* s : stamps) {
    std::string text = to_winansi_bytes(s->text);
    if (text.empty() || !(s->size > 0) || !std::isfinite(s->size) || !std::isfinite(s->x) || !std::isfinite(s->y))
      continue;
    c += std::string("BT 0 g ") + (s->bold ? "/DclFB " : "/DclFR ") + num(s->size) + " Tf " +
         text_matrix(place_upright(media, rotate, s->x, s->y)) + hex_string(text) + " Tj ET\n";
    (s->bold ? used_bold : used_regular) = true;
  }
  QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
  if (used_bold) {
    if (!ov.font_bold.isInitialized()) ov.font_bold = base14_font(q, "/Helvetica-Bold");
    fonts.replaceKey("/DclFB", ov.font_bold);
  }
  if (used_regular) {
    if (!ov.font_regular.isInitialized()) ov.font_regular = base14_font(q, "/Helvetica");
    fonts.replaceKey("/DclFR", ov.font_regular);
  }
  QPDFObjectHandle res = QPDFObjectHandle::newDictionary();
  if (used_bold || used_regular) res.replaceKey("/Font", fonts);
  QPDFObjectHandle form = QPDFObjectHandle::newStream(&q, c);
  QPDFObjectHandle d = form.getDict();
  d.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  d.replaceKey("/Subtype", QPDFObjectHandle::newName("/Form"));
  d.replaceKey("/BBox", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{
                            QPDFObjectHandle::newReal(bbox.x0 - 1, 4), QPDFObjectHandle::newReal(bbox.y0 - 1, 4),
                            QPDFObjectHandle::newReal(bbox.x1 + 1, 4), QPDFObjectHandle::newReal(bbox.y1 + 1, 4)}));
  d.replaceKey("/Resources", res);
  return form;
}

std::string unique_name(QPDFObjectHandle res, const char* cat, const std::string& stem, int& counter,
                        const std::set<std::string>& taken) {
  for (;;) {
    std::string n = stem + std::to_string(++counter);
    if (!has_key(res, cat, n) && !taken.count(n)) return n;
  }
}

struct PageOutcome {
  PageRedactionReport rep;
  VerifyPage verify;
  bool changed = false;
};

class Redactor {
 public:
  explicit Redactor(QPDF& q) : m_q(q) {}

  // Returns "" when the page was handled, otherwise the reason it cannot be redacted safely
  // (nothing has been changed on the page then).
  // `analysis`: the page's analysis kept from reading it (used up), or null to interpret it now.
  std::string plan_page(QPDFPageObjectHelper& page, int number, const std::vector<Box>& areas, PageAnalysis* analysis = nullptr) {
    m_a = analysis ? std::move(*analysis) : analyze_page(page, number);
    m_areas = areas;
    std::size_t ns = m_a.streams.size();
    m_edits.assign(ns, {});
    m_changed.assign(ns, 0);
    m_added.assign(ns, {});
    m_removed.assign(m_a.glyphs.size(), 0);
    m_rep = PageRedactionReport{};
    m_rep.page = number;
    m_rep.areas = areas.size();
    m_name_counter = 0;
    m_taken.clear();
    if (ns == 0) return areas.empty() ? "" : "the page content could not be interpreted";
    // Names drawn by the content (even ones without a resource) are never reused for our objects.
    for (const auto& st : m_a.streams)
      for (const auto& op : st.parse.ops)
        if (op.op == "Do")
          if (const std::string* n = name_operand(op, 0)) m_taken.insert(*n);
    if (areas.empty()) return "";
    m_index = AreaIndex(areas);
    for (const auto& s : m_a.streams)
      if (!s.parse.problems.empty()) return "the content stream has syntax problems (" + s.parse.problems.front() + ")";
    // Interpretation problems other than a font's (those matter only for glyphs under an area, below).
    static const std::array<const char*, 11> k_content_problems = {
        "too many operators", "graphics state nesting", "missing font", "text shown without a font",
        "Form XObjects nested", "Form XObject /", "unreadable", "form /", "content stream larger", "content: ",
        "page could not be interpreted"};
    for (const auto& pr : m_a.problems)
      for (const char* prefix : k_content_problems)
        if (pr.rfind(prefix, 0) == 0) return "the page content cannot be interpreted safely (" + pr + ")";
    // Glyphs.
    std::map<std::pair<int, int>, std::vector<const GlyphRecord*>> by_op;
    for (std::size_t gi = 0; gi < m_a.glyphs.size(); ++gi) {
      const GlyphRecord& g = m_a.glyphs[gi];
      if (!hit(g.info.box)) continue;
      if (std::string_view why = font_problem_of(m_a, g); !why.empty())
        return "text under a redaction area uses a font that cannot be decoded safely (" + std::string(why) + ")";
      if (g.stream < 0 || static_cast<std::size_t>(g.stream) >= ns) return "internal: glyph record outside the page streams";
      m_removed[gi] = 1;
      by_op[{g.stream, g.op}].push_back(&g);
    }
    for (auto& [key, recs] : by_op) {
      const auto& ops = m_a.streams[static_cast<std::size_t>(key.first)].parse.ops;
      if (key.second < 0 || static_cast<std::size_t>(key.second) >= ops.size()) return "internal: glyph record outside its stream";
      OpEdit e;
      e.replace = true;
      if (!rewrite_show(ops[static_cast<std::size_t>(key.second)], recs, e.ops))
        return "a text operator under a redaction area could not be rewritten";
      m_edits[static_cast<std::size_t>(key.first)][key.second] = std::move(e);
      m_changed[static_cast<std::size_t>(key.first)] = 1;
      m_rep.glyphs_removed += recs.size();
    }
    // Placements.
    std::set<std::pair<int, int>> interpreted_forms;
    for (std::size_t s = 1; s < ns; ++s) interpreted_forms.insert({m_a.streams[s].parent, m_a.streams[s].parent_op});
    for (const auto& p : m_a.placements) {
      if (p.stream < 0 || static_cast<std::size_t>(p.stream) >= ns) continue;
      auto s = static_cast<std::size_t>(p.stream);
      const auto& ops = m_a.streams[s].parse.ops;
      if (p.op < 0 || static_cast<std::size_t>(p.op) >= ops.size()) continue;
      if (!finite_box(p.box)) return "a placement with an invalid position";
      std::vector<Box> touching;
      for (const auto& a : areas)
        if (boxes_touch(p.box, a) || contains(a, p.box)) touching.push_back(a);
      if (touching.empty()) continue;
      bool covered = false;
      for (const auto& a : touching) covered = covered || contains(a, p.box);
      switch (p.kind) {
        case Placement::Kind::image: {
          if (covered) {
            m_edits[s][p.op] = OpEdit{true, false, {}, {}};
            m_changed[s] = 1;
            ++m_rep.images_removed;
            break;
          }
          if (!is_stream(p.object)) return "an image under a redaction area could not be resolved";
          ImageBlankResult r = blank_image_under(m_q, p.object, p.ctm, touching);
          if (r.status == ImageBlankResult::Status::unsupported)
            return "an image under a redaction area cannot be decoded (" + r.reason + ")";
          if (r.status == ImageBlankResult::Status::fully_covered) {
            m_edits[s][p.op] = OpEdit{true, false, {}, {}};
            m_changed[s] = 1;
            ++m_rep.images_removed;
          } else if (r.status == ImageBlankResult::Status::blanked) {
            std::string n = unique_name(m_a.streams[s].resources, "/XObject", "DclIm", m_name_counter, m_taken);
            m_taken.insert(n);
            m_added[s][n] = r.replacement;
            m_edits[s][p.op] = OpEdit{false, false, {}, n};
            m_changed[s] = 1;
            ++m_rep.images_blanked;
          }
          break;
        }
        case Placement::Kind::inline_image:
          m_edits[s][p.op] = OpEdit{true, false, {}, {}};
          m_changed[s] = 1;
          ++m_rep.inline_images_removed;
          break;
        case Placement::Kind::path:
        case Placement::Kind::shading: {
          if (!covered || p.clip) break;
          int first = p.kind == Placement::Kind::path ? p.first_op : p.op;
          if (first < 0 || first > p.op) break;
          bool ok = true;
          for (int i = first; i < p.op && ok; ++i) ok = is_path_construction(ops[static_cast<std::size_t>(i)].op);
          const std::string& last = ops[static_cast<std::size_t>(p.op)].op;
          if (p.kind == Placement::Kind::path ? !is_path_painting(last) : last != "sh") ok = false;
          if (!ok) break;
          for (int i = first; i <= p.op; ++i) m_edits[s][i] = OpEdit{true, false, {}, {}};
          m_changed[s] = 1;
          ++m_rep.paths_removed;
          break;
        }
        case Placement::Kind::form:  // its content is handled as its own stream use — if it was interpreted
          if (!interpreted_forms.count({p.stream, p.op})) return "a form under a redaction area was not interpreted (nested too deep)";
          break;
      }
    }
    // Tiling patterns paint cells we do not interpret: refuse when one is in use in a stream whose
    // kept paths reach into an area.
    for (std::size_t s = 0; s < ns; ++s) {
      if (!uses_tiling_pattern(m_a.streams[s])) continue;
      for (const auto& p : m_a.placements) {
        if (p.stream != static_cast<int>(s) || p.kind != Placement::Kind::path) continue;
        auto e = m_edits[s].find(p.op);
        if (e != m_edits[s].end() && e->second.drop) continue;
        for (const auto& a : areas)
          if (boxes_touch(p.box, a)) return "a tiling pattern fill reaches under a redaction area";
      }
    }
    return "";
  }

  // Writes the planned page: instanced forms, page content (q … Q + overlay), pruned resources.
  PageOutcome apply_page(QPDFPageObjectHelper& page, const std::vector<Box>& areas, const std::vector<std::string>& labels,
                         const PageDrawings& drawn) {
    PageOutcome out;
    std::size_t ns = m_a.streams.size();
    out.verify.areas = areas;
    out.verify.input_glyphs = m_a.glyphs.size();
    for (std::size_t gi = 0; gi < m_a.glyphs.size(); ++gi) {
      if (m_removed[gi]) {
        ++out.verify.removed;
        continue;
      }
      const GlyphInfo& g = m_a.glyphs[gi].info;
      out.verify.keep(g.text, g.origin_x, g.origin_y);
    }
    if (ns == 0) {
      out.rep = m_rep;
      return out;
    }
    // Propagate "changed" to the parents: a form use holding a change is instanced, and so is every
    // form between it and the page.
    for (std::size_t s = ns; s-- > 1;)
      if (m_changed[s]) {
        int p = m_a.streams[s].parent;
        int guard = 0;
        while (p >= 0 && static_cast<std::size_t>(p) < ns && guard++ < 64) {
          m_changed[static_cast<std::size_t>(p)] = 1;
          p = m_a.streams[static_cast<std::size_t>(p)].parent;
        }
      }
    bool page_has_props = false;
    for (const auto& op : m_a.streams[0].parse.ops)
      if ((op.op == "BDC" || op.op == "DP")) {
        page_has_props = true;
        break;
      }
    bool rewrite_page = !areas.empty() || !drawn.empty() || page_has_props || m_changed[0];
    // Names for the instanced forms.
    std::vector<std::string> new_name(ns);
    for (std::size_t s = 1; s < ns; ++s) {
      if (!m_changed[s]) continue;
      const StreamUse& u = m_a.streams[s];
      auto p = static_cast<std::size_t>(u.parent);
      if (u.parent < 0 || p >= ns) continue;
      new_name[s] = unique_name(m_a.streams[p].resources, "/XObject", "DclFm", m_name_counter, m_taken);
      m_taken.insert(new_name[s]);
      m_edits[p][u.parent_op].rename = new_name[s];
      ++m_rep.forms_instanced;
    }
    // Resource owner of each stream: itself when it is written (page, instanced form) or has its own
    // /Resources; otherwise the owner of its parent (inherited resources).
    std::vector<int> owner(ns, 0);
    for (std::size_t s = 1; s < ns; ++s) {
      const StreamUse& u = m_a.streams[s];
      QPDFObjectHandle obj = u.object;
      bool own = is_stream(obj) && obj.getDict().getKey("/Resources").isDictionary();
      if (m_changed[s] || own || u.parent < 0 || static_cast<std::size_t>(u.parent) >= s) owner[s] = static_cast<int>(s);
      else owner[s] = owner[static_cast<std::size_t>(u.parent)];
    }
    std::vector<NameSets> inherited(ns);
    for (std::size_t s = 1; s < ns; ++s) {
      if (m_changed[s] || owner[s] == static_cast<int>(s)) continue;
      auto o = static_cast<std::size_t>(owner[s]);
      if (o != 0 && !m_changed[o]) continue;  // owner keeps its own resources untouched
      NameSets n;
      for (const auto& op : m_a.streams[s].parse.ops) collect_names(op, n);
      inherited[o].merge(n);
    }
    // Instanced forms, deepest first so parents see their children's objects.
    std::vector<std::size_t> order;
    for (std::size_t s = 1; s < ns; ++s)
      if (m_changed[s]) order.push_back(s);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m_a.streams[a].depth > m_a.streams[b].depth; });
    for (std::size_t s : order) {
      const StreamUse& u = m_a.streams[s];
      if (new_name[s].empty()) continue;  // no valid parent: the original stays drawn and verification refuses it
      WrittenStream w = write_stream(u.parse, m_edits[s], false, parsed_data(u, page));
      w.used.merge(inherited[s]);
      QPDFObjectHandle res = pruned_resources(u.resources, w.used, m_added[s]);
      QPDFObjectHandle form = QPDFObjectHandle::newStream(&m_q, w.data);
      QPDFObjectHandle d = form.getDict();
      QPDFObjectHandle obj = u.object;
      QPDFObjectHandle od = is_stream(obj) ? obj.getDict() : QPDFObjectHandle::newDictionary();
      for (const char* k : {"/Type", "/Subtype", "/FormType", "/BBox", "/Matrix", "/Group"})
        if (od.hasKey(k)) d.replaceKey(k, od.getKey(k));
      d.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
      d.replaceKey("/Subtype", QPDFObjectHandle::newName("/Form"));
      d.replaceKey("/Resources", res);
      m_added[static_cast<std::size_t>(u.parent)][new_name[s]] = form;
    }
    // The page.
    QPDFObjectHandle po = page.getObjectHandle();
    const StreamUse& pu = m_a.streams[0];
    NameSets used;
    if (rewrite_page) {
      WrittenStream w = write_stream(pu.parse, m_edits[0], true, parsed_data(pu, page));
      std::string content = "q\n" + w.data + "\nQ\n";
      used = std::move(w.used);
      QPDFObjectHandle overlay = make_overlay(m_q, m_overlay, m_a.media_box, m_a.rotate, areas, labels, drawn);
      if (!overlay.isNull()) {
        std::string n = unique_name(pu.resources, "/XObject", "DclOv", m_name_counter, m_taken);
        m_taken.insert(n);
        m_added[0][n] = overlay;
        used.names[rc_xobject].insert(n);
        content += "/" + n + " Do\n";
        out.verify.overlay_name = n;
      }
      po.replaceKey("/Contents", QPDFObjectHandle::newStream(&m_q, content));
      out.changed = true;
    } else {
      for (const auto& op : pu.parse.ops) collect_names(op, used);
    }
    used.merge(inherited[0]);
    po.replaceKey("/Resources", pruned_resources(pu.resources, used, m_added[0]));
    out.rep = m_rep;
    out.changed = out.changed || m_rep.glyphs_removed || m_rep.images_blanked || m_rep.images_removed ||
                  m_rep.inline_images_removed || m_rep.paths_removed || m_rep.forms_instanced;
    return out;
  }

  // A rasterized page: its new content (one image) wrapped, plus the overlay.
  PageOutcome finish_rasterized(QPDFPageObjectHelper& page, const std::vector<Box>& areas, const std::vector<std::string>& labels,
                                const PageDrawings& drawn, const Box& media, int rotate) {
    PageOutcome out;
    out.verify.areas = areas;
    out.verify.rasterized = true;
    QPDFObjectHandle po = page.getObjectHandle();
    QPDFObjectHandle res = po.getKey("/Resources");
    QPDFObjectHandle overlay = make_overlay(m_q, m_overlay, media, rotate, areas, labels, drawn);
    if (!overlay.isNull()) {
      int counter = 0;
      std::string n = unique_name(res, "/XObject", "DclOv", counter, {});
      std::string data = "q\n" + page_content(page) + "\nQ\n/" + n + " Do\n";
      QPDFObjectHandle nres = is_dict(res) ? res.shallowCopy() : QPDFObjectHandle::newDictionary();
      QPDFObjectHandle xo = nres.getKey("/XObject");
      xo = xo.isDictionary() ? xo.shallowCopy() : QPDFObjectHandle::newDictionary();
      xo.replaceKey("/" + n, overlay);
      nres.replaceKey("/XObject", xo);
      po.replaceKey("/Resources", nres);
      po.replaceKey("/Contents", QPDFObjectHandle::newStream(&m_q, data));
      out.verify.overlay_name = n;
    }
    out.changed = true;
    return out;
  }

  const PageAnalysis& analysis() const { return m_a; }

 private:
  // A non-finite glyph box counts as a hit: an unplaceable glyph is not kept under any doubt.
  bool hit(const Box& g) const { return m_index.hit(g) >= 0; }

  static bool uses_tiling_pattern(const StreamUse& s) {
    QPDFObjectHandle res = s.resources;
    QPDFObjectHandle pats = is_dict(res) ? res.getKey("/Pattern") : QPDFObjectHandle::newNull();
    if (!pats.isDictionary()) return false;
    for (const auto& op : s.parse.ops) {
      if ((op.op != "scn" && op.op != "SCN") || op.operands.empty()) continue;
      const std::string* n = name_operand(op, op.operands.size() - 1);
      if (!n) continue;
      QPDFObjectHandle p = pats.getKey("/" + *n);
      QPDFObjectHandle d = p.isStream() ? p.getDict() : p;
      if (d.isDictionary() && d.getKey("/PatternType").isInteger() && d.getKey("/PatternType").getIntValue() == 1) return true;
    }
    return false;
  }

  static std::string page_content(QPDFPageObjectHelper& page) {
    std::string data;
    for (auto& s : page.getPageContents()) {
      auto buf = s.getStreamData(qpdf_dl_generalized);
      data.append(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
      data += '\n';
    }
    return data;
  }

  QPDF& m_q;
  PageAnalysis m_a;
  std::vector<Box> m_areas;
  AreaIndex m_index{{}};
  std::vector<std::unordered_map<int, OpEdit>> m_edits;
  std::vector<char> m_changed;
  std::vector<std::map<std::string, QPDFObjectHandle>> m_added;
  std::vector<char> m_removed;
  PageRedactionReport m_rep;
  int m_name_counter = 0;
  std::set<std::string> m_taken;
  Overlay m_overlay;
};

// An encrypted file is redacted only when the caller gave its password.
void check_may_redact(QPDF& q, const std::string& password) {
  if (q.isEncrypted() && password.empty())
    throw Error(ErrorCategory::input, k_where,
                "the PDF is encrypted (it opens without a user password, but carries an owner password); "
                "give a password with --password to confirm you may redact it");
}

void load_input(QPDF& q, std::string_view input, const std::string& password) {
  q.setSuppressWarnings(true);
  try {
    q.processMemoryFile("input.pdf", input.data(), input.size(), password.empty() ? nullptr : password.c_str());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password)
      throw Error(ErrorCategory::input, k_where,
                  password.empty() ? "the PDF is encrypted and needs a password; give it with --password"
                                   : "the password given with --password does not open this encrypted PDF");
    throw Error(ErrorCategory::input, k_where, "the PDF cannot be read: " + e.getMessageDetail());
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::input, k_where, std::string("the PDF cannot be read: ") + e.what());
  }
  check_may_redact(q, password);
}

void check_margin(const RedactOptions& options) {
  if (!(options.area_margin >= 0) || !std::isfinite(options.area_margin) || options.area_margin > 72)
    throw Error(ErrorCategory::usage, k_where, "the area margin must be between 0 and 72 points");
}

// Redacts a loaded document. `analyses`: per page, an analysis kept from reading it (used up), or
// empty (the page is interpreted here); may be shorter than the page list.
RedactResult redact_loaded(QPDF& q, std::vector<QPDFPageObjectHelper>& pages, std::vector<std::optional<PageAnalysis>>& analyses,
                           const std::vector<RedactionArea>& areas, const RedactOptions& options) {
  const int npages = static_cast<int>(pages.size());
  if (npages == 0) throw Error(ErrorCategory::input, k_where, "the PDF has no pages");
  std::vector<std::vector<Box>> page_areas(static_cast<std::size_t>(npages));
  std::vector<std::vector<std::string>> page_labels(static_cast<std::size_t>(npages));
  for (const auto& a : areas) {
    if (a.page < 1 || a.page > npages)
      throw Error(ErrorCategory::usage, k_where,
                  "a redaction area is on page " + std::to_string(a.page) + " but the PDF has " + std::to_string(npages) + " pages");
    Box b{std::min(a.box.x0, a.box.x1), std::min(a.box.y0, a.box.y1), std::max(a.box.x0, a.box.x1), std::max(a.box.y0, a.box.y1)};
    if (!finite_box(b) || b.empty())
      throw Error(ErrorCategory::usage, k_where, "page " + std::to_string(a.page) + ": a redaction area has no extent");
    page_areas[static_cast<std::size_t>(a.page - 1)].push_back(grow(b, options.area_margin));
    page_labels[static_cast<std::size_t>(a.page - 1)].push_back(a.label);
  }
  RedactResult result;
  RedactReport& rep = result.report;
  rep.pages = npages;
  VerifyPlan plan;
  plan.pages.resize(static_cast<std::size_t>(npages));
  Redactor red(q);
  for (int i = 0; i < npages; ++i) {
    auto pi = static_cast<std::size_t>(i);
    PageDrawings drawn;
    for (const auto& s : options.stamps)
      if (s.page == 0 || s.page == i + 1) drawn.stamps.push_back(&s);
    for (const auto& l : options.strikes)
      if (l.page == i + 1) drawn.strikes.push_back(&l);
    PageAnalysis* kept = pi < analyses.size() && analyses[pi] ? &*analyses[pi] : nullptr;
    std::string unsafe = red.plan_page(pages[pi], i + 1, page_areas[pi], kept);
    if (kept) analyses[pi].reset();
    for (const auto& g : red.analysis().glyphs)
      if (g.info.render_mode == 3) plan.input_had_invisible_text = true;
    PageOutcome po;
    if (!unsafe.empty()) {
      if (!options.rasterize_unsafe_pages)
        throw Error(ErrorCategory::input, k_where,
                    "page " + std::to_string(i + 1) + ": " + unsafe + "; rerun with --rasterize-unsafe-pages to rebuild it as an image");
      Box media = red.analysis().media_box;
      int rotate = red.analysis().rotate;
      rasterize_page(q, pages[pi], page_areas[pi]);
      po = red.finish_rasterized(pages[pi], page_areas[pi], page_labels[pi], drawn, media, rotate);
      po.rep.page = i + 1;
      po.rep.areas = page_areas[pi].size();
      po.rep.rasterized = true;
      po.rep.rasterize_reason = unsafe;
      po.verify.input_glyphs = red.analysis().glyphs.size();
      rep.rasterized_pages.push_back(i + 1);
    } else {
      po = red.apply_page(pages[pi], page_areas[pi], page_labels[pi], drawn);
    }
    rep.glyphs_removed += po.rep.glyphs_removed;
    if (!page_areas[pi].empty() || po.rep.rasterized || po.rep.glyphs_removed || po.rep.forms_instanced)
      rep.page_reports.push_back(po.rep);
    plan.pages[pi] = std::move(po.verify);
  }
  RebuildOptions ro;
  ro.title = options.title;
  ro.producer = options.producer;
  ro.creation_time = options.creation_time;
  ro.xmp = options.xmp;
  ro.attachments = options.attachments;
  RebuildResult rb = rebuild_document(q, ro);
  rep.objects_dropped = rb.objects_dropped;
  rep.dropped_features = rb.dropped_features;
  plan.lint.signed_release = false;
  plan.lint.allow_xmp = true;
  plan.lint.allowed_attachments.clear();
  for (const auto& a : options.attachments) plan.lint.allowed_attachments.push_back(a.name);
  plan.lint.terms = options.withheld_terms;
  VerifyOutcome vo = verify_redacted_output(rb.pdf, plan);
  rep.checks = std::move(vo.checks);
  rep.kept_glyphs_checked = vo.kept_glyphs_checked;
  rep.max_position_deviation = vo.max_position_deviation;
  result.pdf = std::move(rb.pdf);
  return result;
}

// ---- verification ---------------------------------------------------------------------------------

[[noreturn]] void verify_fail(int page, const std::string& check, const std::string& detail) {
  std::string m = page > 0 ? "page " + std::to_string(page) + ": " : std::string();
  m += "verification check \"" + check + "\" failed";
  if (!detail.empty()) m += ": " + detail;
  m += "; no output was produced";
  throw Error(ErrorCategory::verification, "redact verification", m);
}

}  // namespace

bool glyph_hits(const Box& g, const Box& a) {
  if (!finite_box(g)) return true;
  double w = g.x1 - g.x0, h = g.y1 - g.y0;
  if (w > 0 && h > 0) return intersects(shrunk(g, 0.1), a);
  Box s{std::min(g.x0, g.x1), std::min(g.y0, g.y1), std::max(g.x0, g.x1), std::max(g.y0, g.y1)};
  if (s.x1 > s.x0) {
    double d = 0.1 * (s.x1 - s.x0);
    s.x0 += d;
    s.x1 -= d;
  }
  if (s.y1 > s.y0) {
    double d = 0.1 * (s.y1 - s.y0);
    s.y0 += d;
    s.y1 -= d;
  }
  return s.x0 <= a.x1 && s.x1 >= a.x0 && s.y0 <= a.y1 && s.y1 >= a.y0;
}

namespace {
long AreaIndex::hit(const Box& g) const {
  if (m_items.empty()) return -1;
  if (!finite_box(g)) return static_cast<long>(m_items.front().index);
  double gy0 = std::min(g.y0, g.y1), gy1 = std::max(g.y0, g.y1);
  double from = gy0 - m_max_h - 1e-6;
  auto it = std::lower_bound(m_items.begin(), m_items.end(), from, [](const Item& a, double v) { return a.box.y0 < v; });
  for (; it != m_items.end() && it->box.y0 <= gy1 + 1e-6; ++it)
    if (glyph_hits(g, it->box)) return static_cast<long>(it->index);
  return -1;
}
}  // namespace

VerifyOutcome verify_redacted_output(std::string_view output, const VerifyPlan& plan) {
  VerifyOutcome out;
  const char* c_read = "output re-reads";
  const char* c_under = "no text under a redaction area";
  const char* c_kept = "kept glyphs at their original position";
  const char* c_count = "glyphs removed only under the areas";
  // The independent side of the check — qpdf's own parser and text reading (inspect_pdf) — runs on a
  // second thread while our interpreter re-reads the pages below; it only reads `output`, and its own
  // QPDF object shares nothing with `q`. (A throw below waits for it in the future's destructor.)
  std::future<PdfInspection> inspection = std::async(std::launch::async, [output] { return inspect_pdf(output); });
  QPDF q;
  q.setSuppressWarnings(true);
  std::vector<QPDFPageObjectHelper> pages;
  try {
    q.processMemoryFile("output.pdf", output.data(), output.size());
    pages = QPDFPageDocumentHelper(q).getAllPages();
  } catch (const std::exception& e) {
    verify_fail(0, c_read, e.what());
  }
  if (pages.size() != plan.pages.size())
    verify_fail(0, c_read, std::to_string(pages.size()) + " pages instead of " + std::to_string(plan.pages.size()));
  out.checks.push_back({c_read, true, std::to_string(pages.size()) + " pages"});
  std::size_t under_checked = 0, removed_total = 0, input_total = 0;
  std::string glyph_text;
  std::string content_strings;  // every string operand of every content stream, decoded, one per line
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const VerifyPage& vp = plan.pages[i];
    int pno = static_cast<int>(i) + 1;
    PageAnalysis a = analyze_page(pages[i], pno);
    int overlay = -1;
    if (!vp.overlay_name.empty() && !a.streams.empty()) {
      int last = static_cast<int>(a.streams[0].parse.ops.size()) - 1;
      for (std::size_t s = 1; s < a.streams.size(); ++s)
        if (a.streams[s].parent == 0 && a.streams[s].name == vp.overlay_name && a.streams[s].parent_op == last)
          overlay = static_cast<int>(s);
    }
    AreaIndex index(vp.areas);
    std::size_t k = 0;
    bool have_prev = false;
    double prev_x = 0, prev_y = 0;
    if (!plan.lint.terms.empty())
      for (std::size_t si = 0; si < a.streams.size(); ++si)
        if (static_cast<int>(si) != overlay)
          for (const auto& op : a.streams[si].parse.ops)
            for (const auto& operand : op.operands) append_string_operands(operand, content_strings, 0);
    for (const auto& g : a.glyphs) {
      if (overlay >= 0 && g.stream == overlay) continue;
      long ai = index.hit(g.info.box);
      if (ai >= 0) verify_fail(pno, c_under, "a glyph of the document lies under redaction area " + std::to_string(ai + 1));
      ++under_checked;
      if (vp.rasterized) verify_fail(pno, c_kept, "a rasterized page still has a text layer");
      if (k >= vp.kept.size()) verify_fail(pno, c_kept, "the output has more glyphs than were kept");
      const ExpectedGlyph& e = vp.kept[k];
      double dev = std::max(std::fabs(e.x - g.info.origin_x), std::fabs(e.y - g.info.origin_y));
      if (!(dev <= plan.tolerance))
        verify_fail(pno, c_kept, "kept glyph " + std::to_string(k + 1) + " moved by " + num(dev) + " pt");
      if (vp.text_of(e) != g.info.text) verify_fail(pno, c_kept, "kept glyph " + std::to_string(k + 1) + " reads differently");
      out.max_position_deviation = std::max(out.max_position_deviation, dev);
      if (!plan.lint.terms.empty()) {
        // A new line (baseline moved, or the pen went back) gets a line break, so the end of one line
        // and the start of the next never read as one word (false alarms on long documents).
        if (have_prev && (std::fabs(g.info.origin_y - prev_y) > 0.5 * std::max(1.0, g.info.font_size) ||
                          g.info.origin_x < prev_x - 1.0))
          glyph_text += '\n';
        glyph_text += g.info.text;
        prev_x = g.info.origin_x;
        prev_y = g.info.origin_y;
        have_prev = true;
      }
      ++k;
    }
    glyph_text += '\n';
    if (k != vp.kept.size())
      verify_fail(pno, c_kept, std::to_string(vp.kept.size() - k) + " kept glyphs are missing from the output");
    if (!vp.rasterized && vp.kept.size() + vp.removed != vp.input_glyphs)
      verify_fail(pno, c_count, "kept and removed glyphs do not add up to the input's");
    if (vp.areas.empty() && vp.removed != 0) verify_fail(pno, c_count, "glyphs were removed from a page without areas");
    out.kept_glyphs_checked += k;
    removed_total += vp.removed;
    input_total += vp.input_glyphs;
  }
  // Withheld terms, independently of the lint: in the text our interpreter reads from every page
  // (forms included) and in every object of the file (dictionaries resolved; stream data as decoded
  // by inspect_pdf; strings also looked for in the hex spelling our content streams use).
  PdfInspection ins = inspection.get();
  if (!plan.lint.terms.empty()) {
    std::string dicts;
    try {
      for (auto& o : q.getAllObjects()) {
        dicts += o.isStream() ? o.getDict().unparseResolved() : o.unparseResolved();
        dicts += '\n';
      }
      dicts += q.getTrailer().unparseResolved();
    } catch (const std::exception& e) {
      verify_fail(0, "every object of the output reads", e.what());
    }
    if (!ins.parsed) verify_fail(0, "every object of the output decodes", ins.parse_error);
    std::string norm_text = normalize_for_search(glyph_text);
    // One pass per place for all terms (MultiSearch), not one search per term: a 5,000-page record
    // can carry thousands of withheld pieces.
    const auto& terms = plan.lint.terms;
    // Strings inside content streams are compared decoded (content_strings, from our own lexer), not as
    // hex spellings: a hex needle can match across byte boundaries ("34142" holds "4142") and raise false
    // alarms on long documents.
    std::vector<std::string> normalized;
    normalized.reserve(terms.size());
    for (const auto& t : terms) normalized.push_back(t.empty() ? std::string() : normalize_for_search(t));
    const std::vector<bool> in_text = MultiSearch(normalized).occurs(norm_text);
    // The decoded objects of inspect_pdf are searched for the same terms by lint_release below (one
    // pass over the largest text of the check; its failure is fatal too, and its "absent from decoded
    // objects" check must be present — see the end of this function), so they are not searched twice.
    const MultiSearch raw(terms);
    const std::vector<bool> in_dicts = raw.occurs(dicts), in_strings = raw.occurs(content_strings);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (terms[i].empty()) continue;
      std::string name = "withheld term #" + std::to_string(i + 1);
      if (in_text[i]) verify_fail(0, name + " absent from the re-extracted text", "");
      if (in_dicts[i]) verify_fail(0, name + " absent from every resolved object", "");
      if (in_strings[i]) verify_fail(0, name + " absent from every string in the content streams", "");
    }
    out.checks.push_back({"withheld terms absent from re-extracted text and every resolved object", true,
                          std::to_string(plan.lint.terms.size()) + " terms"});
  }
  out.checks.push_back({c_under, true, std::to_string(under_checked) + " output glyphs tested"});
  out.checks.push_back({c_kept, true, std::to_string(out.kept_glyphs_checked) + " glyphs, max deviation " +
                                          num(out.max_position_deviation) + " pt"});
  out.checks.push_back({c_count, true, std::to_string(removed_total) + " of " + std::to_string(input_total) + " input glyphs removed"});
  bool decoded_objects_searched = plan.lint.terms.empty();
  const std::string decoded_check = "all " + std::to_string(plan.lint.terms.size()) + " withheld terms absent from decoded objects";
  for (LintCheck c : lint_release(ins, output, plan.lint)) {
    if (!c.ok && c.name == "no invisible (Tr 3) text" && plan.input_had_invisible_text) {
      c.ok = true;
      c.detail = "invisible (OCR) text of the input kept outside the areas only, checked glyph by glyph";
    }
    if (!c.ok) verify_fail(0, c.name, c.detail);
    if (c.name == decoded_check) decoded_objects_searched = true;
    out.checks.push_back(std::move(c));
  }
  if (!decoded_objects_searched) verify_fail(0, "withheld terms absent from every decoded object", "the lint did not search them");
  return out;
}

// Library exceptions other than ours become Error(pdf).
template <class F>
RedactResult guarded(F&& redact) {
  try {
    return redact();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::pdf, k_where, std::string("redaction failed: ") + e.what());
  }
}

RedactResult redact_pdf(std::string_view input, const std::vector<RedactionArea>& areas, const RedactOptions& options) {
  return guarded([&] {
    check_margin(options);
    QPDF q;
    load_input(q, input, options.password);
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(q).getAllPages();
    std::vector<std::optional<PageAnalysis>> none;
    return redact_loaded(q, pages, none, areas, options);
  });
}

RedactResult redact_pdf(LoadedPdf& doc, const std::vector<RedactionArea>& areas, const RedactOptions& options) {
  return guarded([&] {
    check_margin(options);
    check_may_redact(*doc.q, options.password);
    if (doc.pages.empty()) doc.pages = QPDFPageDocumentHelper(*doc.q).getAllPages();
    return redact_loaded(*doc.q, doc.pages, doc.analyses, areas, options);
  });
}

}  // namespace declass::pdf
