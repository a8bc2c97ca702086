// Content-stream interpreter over libqpdf objects (see interpreter.hpp): graphics and text state,
// Form XObject recursion (one StreamUse per use), per-glyph boxes via Trm = [Tfs·Th 0 0 Tfs 0 Trise]
// × Tm × CTM, and image / inline image / path / form / shading placements. Bad content never throws:
// problems (byte offsets, resource names, never document text) go to PageAnalysis::problems.
#include "pdf/interpreter.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "pdf/fonts.hpp"

namespace declass::pdf {

Matrix multiply(const Matrix& m1, const Matrix& m2) {
  return Matrix{m1[0] * m2[0] + m1[1] * m2[2],         m1[0] * m2[1] + m1[1] * m2[3],
                m1[2] * m2[0] + m1[3] * m2[2],         m1[2] * m2[1] + m1[3] * m2[3],
                m1[4] * m2[0] + m1[5] * m2[2] + m2[4], m1[4] * m2[1] + m1[5] * m2[3] + m2[5]};
}

Box transform_box(const Box& b, const Matrix& m) {
  const double xs[4] = {b.x0, b.x1, b.x0, b.x1};
  const double ys[4] = {b.y0, b.y0, b.y1, b.y1};
  Box r;
  for (int i = 0; i < 4; ++i) {
    double x = xs[i] * m[0] + ys[i] * m[2] + m[4];
    double y = xs[i] * m[1] + ys[i] * m[3] + m[5];
    if (i == 0) {
      r = Box{x, y, x, y};
    } else {
      r.x0 = std::min(r.x0, x);
      r.y0 = std::min(r.y0, y);
      r.x1 = std::max(r.x1, x);
      r.y1 = std::max(r.y1, y);
    }
  }
  return r;
}

namespace {

// An operator keyword as one integer: its length and bytes packed. Exact (one code per keyword) up to
// four bytes; longer keywords all share a code no literal below has (they are not operators we act on).
constexpr std::uint64_t op_code(std::string_view s) {
  if (s.size() > 4) return ~std::uint64_t{0};
  std::uint64_t v = static_cast<std::uint64_t>(s.size()) << 32;
  for (std::size_t i = 0; i < s.size(); ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  return v;
}

constexpr std::size_t k_max_gstate_depth = 1024;
constexpr double k_pi = 3.14159265358979323846;

QPDFObjectHandle key(QPDFObjectHandle h, const char* k) {
  if (!h.isDictionary()) return QPDFObjectHandle::newNull();
  return h.getKey(k);
}

bool num(QPDFObjectHandle h, double& v) {
  if (!h.isNumber()) return false;
  v = h.getNumericValue();
  return std::isfinite(v);
}

bool matrix_of(QPDFObjectHandle a, Matrix& m) {
  if (!a.isArray() || a.getArrayNItems() != 6) return false;
  Matrix t;
  for (int i = 0; i < 6; ++i)
    if (!num(a.getArrayItem(i), t[static_cast<std::size_t>(i)])) return false;
  m = t;
  return true;
}

bool rect_of(QPDFObjectHandle a, Box& b) {
  if (!a.isArray() || a.getArrayNItems() != 4) return false;
  double v[4];
  for (int i = 0; i < 4; ++i)
    if (!num(a.getArrayItem(i), v[i])) return false;
  b = Box{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]), std::max(v[1], v[3])};
  return true;
}

// Font models cached per QPDF instance and font object, so consecutive pages of one document share
// them. Thread-local: analyses on different threads never share state.
struct FontCache {
  unsigned long long qpdf_id = 0;
  bool valid = false;
  std::map<QPDFObjGen, std::shared_ptr<const FontModel>> by_object;
};
thread_local FontCache t_font_cache;

std::shared_ptr<const FontModel> cached_font(QPDFObjectHandle font) {
  if (!font.isIndirect()) return FontModel::load(font);
  QPDF* owner = font.getOwningQPDF();
  if (!owner) return FontModel::load(font);
  FontCache& c = t_font_cache;
  if (!c.valid || c.qpdf_id != owner->getUniqueId()) {
    c.by_object.clear();
    c.qpdf_id = owner->getUniqueId();
    c.valid = true;
  }
  auto it = c.by_object.find(font.getObjGen());
  if (it != c.by_object.end()) return it->second;
  auto m = FontModel::load(font);
  if (c.by_object.size() > 4096) c.by_object.clear();
  c.by_object.emplace(font.getObjGen(), m);
  return m;
}

struct TextState {
  double char_space = 0, word_space = 0, scale = 1, leading = 0, size = 0, rise = 0;
  int render = 0;
  const FontModel* font = nullptr;
  std::string font_name;  // resource name, for problems
};

struct GState {
  Matrix ctm{1, 0, 0, 1, 0, 0};
  TextState ts;
  double line_width = 1;
};

double operand_number(const ContentOp& op, std::size_t i) {
  return i < op.operands.size() && op.operands[i].kind == Operand::Kind::number ? op.operands[i].number : 0;
}

bool numbers(const ContentOp& op, std::size_t n) {
  if (op.operands.size() < n) return false;
  for (std::size_t i = op.operands.size() - n; i < op.operands.size(); ++i)
    if (op.operands[i].kind != Operand::Kind::number || !std::isfinite(op.operands[i].number)) return false;
  return true;
}

class Interpreter {
 public:
  Interpreter(PageAnalysis& pa, const AnalyzeLimits& limits) : m_pa(pa), m_limits(limits) {}

  void run_stream(int index, const GState& initial) {
    // Copy what we need: m_pa.streams may grow (reallocate) during recursion.
    QPDFObjectHandle resources = m_pa.streams[static_cast<std::size_t>(index)].resources;
    const int depth = m_pa.streams[static_cast<std::size_t>(index)].depth;
    const Box clip_box = m_pa.streams[static_cast<std::size_t>(index)].bbox;
    std::size_t nops = m_pa.streams[static_cast<std::size_t>(index)].parse.ops.size();
    if (m_ops_total + nops > m_limits.max_ops) {
      problem("too many operators on the page");
      m_stop = true;
      return;
    }
    m_ops_total += nops;

    std::vector<GState> stack;
    GState gs = initial;
    Matrix tm{1, 0, 0, 1, 0, 0}, tlm{1, 0, 0, 1, 0, 0};
    std::unordered_map<std::string, const FontModel*> fonts;
    std::vector<std::shared_ptr<const FontModel>> keep_alive;
    bool path_open = false, clip_pending = false;
    int path_first = 0;
    Box path_box;
    bool path_has_point = false;

    auto add_point = [&](double x, double y) {
      const Matrix& m = gs.ctm;
      double ux = x * m[0] + y * m[2] + m[4], uy = x * m[1] + y * m[3] + m[5];
      if (!path_has_point) {
        path_box = Box{ux, uy, ux, uy};
        path_has_point = true;
      } else {
        path_box.x0 = std::min(path_box.x0, ux);
        path_box.y0 = std::min(path_box.y0, uy);
        path_box.x1 = std::max(path_box.x1, ux);
        path_box.y1 = std::max(path_box.y1, uy);
      }
    };

    for (std::size_t oi = 0; oi < nops && !m_stop; ++oi) {
      // Re-fetch each time: recursion may reallocate m_pa.streams.
      const ContentOp& op = m_pa.streams[static_cast<std::size_t>(index)].parse.ops[oi];
      const std::string& o = op.op;
      const int op_index = static_cast<int>(oi);
      if (o.empty()) continue;
      const char c0 = o[0];
      const std::uint64_t opk = op_code(o);  // one integer compare per operator tested, not a string compare
      auto is = [opk](auto... names) { return ((opk == op_code(names)) || ...); };
      // Path construction.
      if (is("m", "l", "re", "c", "v", "y", "h")) {
        if (!path_open) {
          path_open = true;
          path_first = op_index;
          path_has_point = false;
        }
        if (is("m", "l") && numbers(op, 2)) {
          add_point(operand_number(op, 0), operand_number(op, 1));
        } else if (is("re") && numbers(op, 4)) {
          double x = operand_number(op, 0), y = operand_number(op, 1), w = operand_number(op, 2),
                 h = operand_number(op, 3);
          add_point(x, y);
          add_point(x + w, y);
          add_point(x, y + h);
          add_point(x + w, y + h);
        } else if (is("c") && numbers(op, 6)) {
          for (std::size_t k = 0; k < 6; k += 2) add_point(operand_number(op, k), operand_number(op, k + 1));
        } else if (is("v", "y") && numbers(op, 4)) {
          for (std::size_t k = 0; k < 4; k += 2) add_point(operand_number(op, k), operand_number(op, k + 1));
        }
        continue;
      }
      if (is("W", "W*")) {
        clip_pending = true;
        continue;
      }
      if (is("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n")) {
        bool stroke = is("S", "s", "B", "B*", "b", "b*");
        if (path_open && path_has_point && (!is("n") || clip_pending)) {
          Placement p;
          p.kind = Placement::Kind::path;
          p.stream = index;
          p.op = op_index;
          p.first_op = path_first;
          p.box = path_box;
          p.ctm = gs.ctm;
          p.clip = clip_pending;
          if (stroke) {
            const Matrix& m = gs.ctm;
            double sx = std::hypot(m[0], m[1]), sy = std::hypot(m[2], m[3]);
            double half = std::max(gs.line_width, 1.0) * std::max(sx, sy) / 2;
            p.box.x0 -= half;
            p.box.y0 -= half;
            p.box.x1 += half;
            p.box.y1 += half;
          }
          m_pa.placements.push_back(std::move(p));
        }
        path_open = false;
        clip_pending = false;
        path_has_point = false;
        continue;
      }
      switch (c0) {
        case 'q':
          if (is("q")) {
            if (stack.size() >= k_max_gstate_depth) {
              problem("graphics state nesting too deep");
            } else {
              stack.push_back(gs);
            }
            continue;
          }
          break;
        case 'Q':
          if (is("Q")) {
            if (!stack.empty()) {
              gs = stack.back();
              stack.pop_back();
            }
            continue;
          }
          break;
        case 'c':
          if (is("cm")) {
            if (numbers(op, 6)) {
              Matrix m;
              for (std::size_t k = 0; k < 6; ++k) m[k] = operand_number(op, op.operands.size() - 6 + k);
              gs.ctm = multiply(m, gs.ctm);
            }
            continue;
          }
          break;
        case 'w':
          if (is("w")) {
            if (numbers(op, 1)) gs.line_width = std::fabs(op.operands.back().number);
            continue;
          }
          break;
        default:
          break;
      }
      if (is("gs")) {
        if (!op.operands.empty() && op.operands.back().kind == Operand::Kind::name) {
          QPDFObjectHandle eg = key(key(resources, "/ExtGState"), ("/" + op.operands.back().bytes).c_str());
          double lw;
          if (num(key(eg, "/LW"), lw)) gs.line_width = std::fabs(lw);
          QPDFObjectHandle f = key(eg, "/Font");
          if (f.isArray() && f.getArrayNItems() == 2 && f.getArrayItem(0).isDictionary()) {
            auto model = cached_font(f.getArrayItem(0));
            keep_alive.push_back(model);
            gs.ts.font = model.get();
            gs.ts.font_name = "gs " + op.operands.back().bytes.substr(0, 64);
            double sz;
            if (num(f.getArrayItem(1), sz)) gs.ts.size = sz;
            note_font(*model, gs.ts.font_name);
          }
        }
        continue;
      }
      if (is("BT")) {
        tm = tlm = Matrix{1, 0, 0, 1, 0, 0};
        continue;
      }
      if (is("ET")) continue;
      if (is("Tc")) {
        if (numbers(op, 1)) gs.ts.char_space = op.operands.back().number;
        continue;
      }
      if (is("Tw")) {
        if (numbers(op, 1)) gs.ts.word_space = op.operands.back().number;
        continue;
      }
      if (is("Tz")) {
        if (numbers(op, 1)) gs.ts.scale = op.operands.back().number / 100;
        continue;
      }
      if (is("TL")) {
        if (numbers(op, 1)) gs.ts.leading = op.operands.back().number;
        continue;
      }
      if (is("Ts")) {
        if (numbers(op, 1)) gs.ts.rise = op.operands.back().number;
        continue;
      }
      if (is("Tr")) {
        if (numbers(op, 1)) gs.ts.render = static_cast<int>(std::clamp(op.operands.back().number, -1.0, 8.0));
        continue;
      }
      if (is("Tf")) {
        if (op.operands.size() >= 2 && op.operands[op.operands.size() - 2].kind == Operand::Kind::name &&
            numbers(op, 1)) {
          const std::string& nm = op.operands[op.operands.size() - 2].bytes;
          gs.ts.size = op.operands.back().number;
          auto it = fonts.find(nm);
          if (it == fonts.end()) {
            QPDFObjectHandle fd = key(key(resources, "/Font"), ("/" + nm).c_str());
            const FontModel* fm = nullptr;
            if (fd.isDictionary()) {
              auto model = cached_font(fd);
              keep_alive.push_back(model);
              fm = model.get();
              note_font(*model, nm);
            }
            it = fonts.emplace(nm, fm).first;
          }
          gs.ts.font = it->second;
          gs.ts.font_name = nm.substr(0, 64);
          if (!gs.ts.font) problem("missing font /" + gs.ts.font_name);
        }
        continue;
      }
      if (is("Td", "TD")) {
        if (numbers(op, 2)) {
          double tx = operand_number(op, op.operands.size() - 2), ty = op.operands.back().number;
          if (is("TD")) gs.ts.leading = -ty;
          tlm = multiply(Matrix{1, 0, 0, 1, tx, ty}, tlm);
          tm = tlm;
        }
        continue;
      }
      if (is("Tm")) {
        if (numbers(op, 6)) {
          for (std::size_t k = 0; k < 6; ++k) tlm[k] = operand_number(op, op.operands.size() - 6 + k);
          tm = tlm;
        }
        continue;
      }
      if (is("T*")) {
        tlm = multiply(Matrix{1, 0, 0, 1, 0, -gs.ts.leading}, tlm);
        tm = tlm;
        continue;
      }
      if (is("Tj", "'", "\"")) {
        if (!is("Tj")) {
          if (is("\"")) {
            const std::size_t n = op.operands.size();
            if (n < 3 || op.operands[n - 3].kind != Operand::Kind::number ||
                op.operands[n - 2].kind != Operand::Kind::number || !std::isfinite(op.operands[n - 3].number) ||
                !std::isfinite(op.operands[n - 2].number))
              continue;
            gs.ts.word_space = op.operands[op.operands.size() - 3].number;
            gs.ts.char_space = op.operands[op.operands.size() - 2].number;
          }
          tlm = multiply(Matrix{1, 0, 0, 1, 0, -gs.ts.leading}, tlm);
          tm = tlm;
        }
        if (op.operands.empty() || op.operands.back().kind != Operand::Kind::string) continue;
        show_string(op.operands.back().bytes, index, op_index, 0, depth, gs, tm);
        continue;
      }
      if (is("TJ")) {
        if (op.operands.empty() || op.operands.back().kind != Operand::Kind::array) continue;
        const Operand& arr = op.operands.back();
        for (std::size_t k = 0; k < arr.items.size(); ++k) {
          const Operand& it = arr.items[k];
          if (it.kind == Operand::Kind::string) {
            show_string(it.bytes, index, op_index, static_cast<int>(k), depth, gs, tm);
          } else if (it.kind == Operand::Kind::number && std::isfinite(it.number)) {
            double tx = -it.number / 1000 * gs.ts.size * gs.ts.scale;
            tm = multiply(Matrix{1, 0, 0, 1, tx, 0}, tm);
          }
        }
        continue;
      }
      if (is("Do")) {
        if (op.operands.empty() || op.operands.back().kind != Operand::Kind::name) continue;
        do_xobject(op.operands.back().bytes, index, op_index, depth, resources, gs);
        continue;
      }
      if (is("BI")) {
        Placement p;
        p.kind = Placement::Kind::inline_image;
        p.stream = index;
        p.op = p.first_op = op_index;
        p.box = transform_box(Box{0, 0, 1, 1}, gs.ctm);
        p.ctm = gs.ctm;
        m_pa.placements.push_back(std::move(p));
        continue;
      }
      if (is("sh")) {
        Placement p;
        p.kind = Placement::Kind::shading;
        p.stream = index;
        p.op = p.first_op = op_index;
        p.box = clip_box;  // a shading paints the whole clip region: conservatively the stream's box
        p.ctm = gs.ctm;
        if (!op.operands.empty() && op.operands.back().kind == Operand::Kind::name) p.name = op.operands.back().bytes;
        m_pa.placements.push_back(std::move(p));
        continue;
      }
    }
  }

  void problem(const std::string& p) {
    if (m_pa.problems.size() >= 200) return;
    for (const auto& q : m_pa.problems)
      if (q == p) return;
    m_pa.problems.push_back(p);
  }

 private:
  PageAnalysis& m_pa;
  const AnalyzeLimits& m_limits;
  std::size_t m_ops_total = 0;
  bool m_stop = false;
  std::vector<QPDFObjGen> m_active_forms;

  void note_font(const FontModel& f, const std::string& name) {
    if (!f.problem().empty()) problem(f.problem() + " /" + name.substr(0, 64));
  }

  void show_string(const std::string& s, int stream, int op, int element, int depth, const GState& gs, Matrix& tm) {
    const TextState& ts = gs.ts;
    if (!ts.font) {
      if (!s.empty()) problem("text shown without a font");
      return;
    }
    const FontModel& f = *ts.font;
    const double th = ts.scale;
    const double tfs = ts.size;
    const Matrix sm{tfs * th, 0, 0, tfs, 0, ts.rise};
    std::int32_t problem_index = -1;
    if (!f.problem().empty()) {
      std::string problem_text = f.problem() + " /" + ts.font_name;
      if (m_pa.font_problems.empty() || m_pa.font_problems.back() != problem_text)
        m_pa.font_problems.push_back(std::move(problem_text));
      problem_index = static_cast<std::int32_t>(m_pa.font_problems.size() - 1);
    }
    // Trm for a glyph at horizontal offset X (text space) from the string start:
    // Trm = [Tfs·Th 0 0 Tfs X Trise] × M with M = Tm × CTM, so only e/f move with X.
    const Matrix m = multiply(tm, gs.ctm);
    const Matrix base = multiply(sm, m);
    const bool axis_aligned = base[1] == 0 && base[2] == 0;
    const double asc = f.ascent(), desc = f.descent();
    const double font_size = std::hypot(base[2], base[3]);
    const double angle = std::atan2(base[1], base[0]) * 180 / k_pi;
    const double tj_scale = (tfs * th != 0) ? 1000 / (tfs * th) : 0;
    double x_off = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
      std::uint32_t code = 0;
      std::size_t len = f.next_code(s, pos, code);
      if (len == 0) len = 1;
      const double w0 = f.width(code);
      const bool word = len == 1 && code == 32;
      Matrix trm = base;
      trm[4] += x_off * m[0];
      trm[5] += x_off * m[1];
      m_pa.glyphs.emplace_back();
      GlyphRecord& g = m_pa.glyphs.back();
      g.stream = stream;
      g.op = op;
      g.element = element;
      g.code_begin = static_cast<std::uint32_t>(pos);
      g.code_length = static_cast<std::uint8_t>(len);
      g.word_space = word;
      g.font_problem = problem_index;
      g.info.unicode_known = f.unicode(code, g.info.text);
      if (axis_aligned) {
        double xa = trm[4], xb = trm[4] + w0 * trm[0];
        double ya = trm[5] + desc * trm[3], yb = trm[5] + asc * trm[3];
        g.info.box = Box{std::min(xa, xb), std::min(ya, yb), std::max(xa, xb), std::max(ya, yb)};
      } else {
        g.info.box = transform_box(Box{0, desc, w0, asc}, trm);
      }
      g.info.origin_x = trm[4];
      g.info.origin_y = trm[5];
      g.info.font_size = font_size;
      g.info.angle = angle;
      g.info.render_mode = ts.render;
      g.info.form_depth = depth;
      const double tx = (w0 * tfs + ts.char_space + (word ? ts.word_space : 0)) * th;
      g.advance_tj = tx * tj_scale;
      x_off += tx;
      pos += len;
    }
    tm = multiply(Matrix{1, 0, 0, 1, x_off, 0}, tm);
  }

  void do_xobject(std::string name, int stream, int op, int depth, QPDFObjectHandle resources,
                  const GState& gs) {
    QPDFObjectHandle x = key(key(resources, "/XObject"), ("/" + name).c_str());
    if (!x.isStream()) return;
    QPDFObjectHandle dict = x.getDict();
    std::string sub = key(dict, "/Subtype").isName() ? key(dict, "/Subtype").getName() : "";
    if (sub == "/Image") {
      Placement p;
      p.kind = Placement::Kind::image;
      p.stream = stream;
      p.op = p.first_op = op;
      p.box = transform_box(Box{0, 0, 1, 1}, gs.ctm);
      p.ctm = gs.ctm;
      p.object = x;
      p.name = name;
      m_pa.placements.push_back(std::move(p));
      return;
    }
    if (sub != "/Form") return;
    Matrix fm{1, 0, 0, 1, 0, 0};
    matrix_of(key(dict, "/Matrix"), fm);
    Matrix ctm = multiply(fm, gs.ctm);
    Box bbox;
    bool has_bbox = rect_of(key(dict, "/BBox"), bbox);
    Placement p;
    p.kind = Placement::Kind::form;
    p.stream = stream;
    p.op = p.first_op = op;
    p.box = has_bbox ? transform_box(bbox, ctm) : m_pa.media_box;
    p.ctm = ctm;
    p.object = x;
    p.name = name;
    m_pa.placements.push_back(p);
    if (depth + 1 > m_limits.max_form_depth) {
      problem("Form XObjects nested deeper than " + std::to_string(m_limits.max_form_depth));
      return;
    }
    QPDFObjGen og = x.getObjGen();
    if (std::find(m_active_forms.begin(), m_active_forms.end(), og) != m_active_forms.end()) {
      problem("Form XObject /" + name.substr(0, 64) + " draws itself");
      return;
    }
    StreamUse use;
    use.parent = stream;
    use.parent_op = op;
    use.name = name;
    use.object = x;
    QPDFObjectHandle res = key(dict, "/Resources");
    use.resources = res.isDictionary() ? res : resources;
    use.ctm_at_use = ctm;
    use.bbox = p.box;
    use.depth = depth + 1;
    std::string data;
    if (!stream_data(x, data)) {
      problem("unreadable Form XObject /" + name.substr(0, 64));
      return;
    }
    use.parse = parse_content(data);
    for (const auto& pr : use.parse.problems) problem("form /" + name.substr(0, 64) + ": " + pr);
    m_pa.streams.push_back(std::move(use));
    int idx = static_cast<int>(m_pa.streams.size() - 1);
    GState inner = gs;
    inner.ctm = ctm;
    m_active_forms.push_back(og);
    run_stream(idx, inner);
    m_active_forms.pop_back();
  }

 public:
  bool stream_data(QPDFObjectHandle s, std::string& out) {
    try {
      auto buf = s.getStreamData(qpdf_dl_generalized);
      if (!buf) return false;
      if (buf->getSize() > m_limits.max_stream_bytes) {
        problem("content stream larger than the limit");
        return false;
      }
      out.assign(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }
};

}  // namespace

PageAnalysis analyze_page(QPDFPageObjectHelper page, int page_number, const AnalyzeLimits& limits) {
  PageAnalysis pa;
  pa.page_number = page_number;
  Interpreter in(pa, limits);
  try {
    Box media{0, 0, 612, 792};
    rect_of(page.getAttribute("/MediaBox", false), media);
    Box crop;
    if (rect_of(page.getAttribute("/CropBox", false), crop)) {
      Box i{std::max(media.x0, crop.x0), std::max(media.y0, crop.y0), std::min(media.x1, crop.x1),
            std::min(media.y1, crop.y1)};
      if (!i.empty()) media = i;
    }
    pa.media_box = media;
    double rot = 0;
    if (num(page.getAttribute("/Rotate", false), rot) && std::fabs(rot) < 1e9) {
      long long r = static_cast<long long>(rot) % 360;
      if (r < 0) r += 360;
      pa.rotate = static_cast<int>(r / 90 * 90);
    }
    StreamUse use;
    use.resources = page.getAttribute("/Resources", false);
    use.bbox = media;
    std::string data;
    QPDFObjectHandle contents = page.getObjectHandle().getKey("/Contents");
    std::vector<QPDFObjectHandle> parts;
    if (contents.isStream()) parts.push_back(contents);
    else if (contents.isArray())
      for (int i = 0, n = contents.getArrayNItems(); i < n; ++i) parts.push_back(contents.getArrayItem(i));
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i) data += '\n';
      std::string part;
      if (!parts[i].isStream() || !in.stream_data(parts[i], part)) {
        in.problem("unreadable page content stream");
        continue;
      }
      if (data.size() + part.size() > limits.max_stream_bytes) {
        in.problem("content stream larger than the limit");
        break;
      }
      data += part;
    }
    use.parse = parse_content(data);
    for (const auto& pr : use.parse.problems) in.problem("content: " + pr);
    std::size_t string_bytes = 0;
    for (const auto& op : use.parse.ops)
      if (!op.operands.empty() && op.op.size() <= 2 && (op.op[0] == 'T' || op.op[0] == '\'' || op.op[0] == '"')) {
        const Operand& last = op.operands.back();
        string_bytes += last.bytes.size();
        for (const auto& it : last.items) string_bytes += it.bytes.size();
      }
    pa.glyphs.reserve(std::min<std::size_t>(string_bytes, 1u << 20));
    pa.streams.push_back(std::move(use));
    GState initial;
    in.run_stream(0, initial);
  } catch (const std::exception&) {
    in.problem("page could not be interpreted");
  }
  return pa;
}

}  // namespace declass::pdf
