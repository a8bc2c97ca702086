// PDF records → Document: glyphs from our own interpreter (pdf::extract_glyphs, run in an isolated
// worker), put in reading order (lines by baseline, top to bottom, left to right; rotated text after),
// exact duplicate glyphs folded, then the shared text pipeline. Keeps a glyph box for every text byte
// so decisions on paragraph text map back to page rectangles (rects_for_text_ranges).
#include "ingest/pdf_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/io.hpp"
#include "core/isolate.hpp"
#include "core/text.hpp"
#include "core/wire.hpp"
#include "ingest/detail.hpp"
#include "ingest/text_reader.hpp"
#include "pdf/glyphs.hpp"

namespace declass::ingest {
namespace {

constexpr double k_pi = 3.14159265358979323846;
constexpr std::size_t k_max_warnings = 50;

// One glyph as placed in reading order.
struct Item {
  const pdf::GlyphInfo* glyph = nullptr;
  std::size_t order = 0;   // content-stream order on the page (tie breaker)
  std::string text;        // sanitized UTF-8
  double u = 0, v = 0;     // origin along / across the baseline direction of its angle group
  double advance = 0;      // estimated advance along u
  double size = 1;         // font size (> 0)
  bool space = false;      // whitespace only
};

// Control characters would break the line/page structure of Document::text; invalid UTF-8 would break
// JSON output. Both are replaced; every byte still maps to the glyph.
std::string sanitize(const std::string& t) {
  std::string s = text::is_valid_utf8(t) ? t : std::string("\xEF\xBF\xBD");
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return s;
}

bool all_spaces(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c != ' ') return false;
  return true;
}

// Angle bucket in whole degrees, [0, 360); text within 2° of horizontal counts as horizontal.
int angle_key(double a) {
  if (a == 0 || !std::isfinite(a)) return 0;  // the usual case first: fmod and lround cost more than the rest
  double n = std::fmod(a, 360.0);
  if (n < 0) n += 360.0;
  int k = static_cast<int>(std::lround(n)) % 360;
  if (k <= 2 || k >= 358) return 0;
  return k;
}

bool finite_box(const pdf::Box& b) {
  return std::isfinite(b.x0) && std::isfinite(b.y0) && std::isfinite(b.x1) && std::isfinite(b.y1);
}

PageRect to_rect(int page, const pdf::Box& b) { return PageRect{page, b.x0, b.y0, b.x1, b.y1}; }

struct Builder {
  Document& doc;
  int glyphs_without_unicode = 0;
  int duplicates = 0;

  void add_bytes(const std::string& s, int glyph) {
    doc.text += s;
    doc.glyph_at_byte.insert(doc.glyph_at_byte.end(), s.size(), glyph);
  }

  // Appends one page: per angle group (horizontal first), lines top to bottom. Blank lines and the
  // indentation of layout text are rebuilt from the geometry (the text pipeline relies on both).
  void add_page(const pdf::PageGlyphs& page) {
    std::map<int, std::vector<Item>> groups;  // angle key → glyphs
    groups[0].reserve(page.glyphs.size());     // most pages are horizontal text only
    std::size_t order = 0;
    for (const pdf::GlyphInfo& g : page.glyphs) {
      ++order;
      if (!g.unicode_known) ++glyphs_without_unicode;
      if (g.text.empty()) continue;
      if (!std::isfinite(g.origin_x) || !std::isfinite(g.origin_y) || !finite_box(g.box)) continue;
      Item it;
      it.glyph = &g;
      it.order = order;
      it.text = sanitize(g.text);
      it.space = all_spaces(it.text);
      it.size = std::isfinite(g.font_size) && g.font_size > 0 ? g.font_size : 1.0;
      int key = angle_key(g.angle);
      double c = 1, s = 0;  // cos 0, sin 0 exactly
      if (key != 0) {
        const double th = key * k_pi / 180.0;
        c = std::cos(th);
        s = std::sin(th);
      }
      it.u = g.origin_x * c + g.origin_y * s;
      it.v = -g.origin_x * s + g.origin_y * c;
      double w = g.box.x1 - g.box.x0, h = g.box.y1 - g.box.y0;
      if (key == 0 || key == 180) it.advance = w;
      else if (key == 90 || key == 270) it.advance = h;
      else it.advance = std::max(w, h);
      groups[key].push_back(std::move(it));
    }
    bool first_line = true;
    for (auto& [key, items] : groups) {  // key 0 (horizontal) first, then rotated groups by angle
      // Top to bottom (content order breaks ties); pointers are sorted, not the items (they hold strings).
      std::vector<Item*> sorted(items.size());
      for (std::size_t k = 0; k < items.size(); ++k) sorted[k] = &items[k];
      // Content order is usually reading order already; the check is cheaper than sorting sorted input.
      auto top_down = [](const Item* a, const Item* b) {
        if (a->v != b->v) return a->v > b->v;
        return a->order < b->order;
      };
      if (!std::is_sorted(sorted.begin(), sorted.end(), top_down)) std::sort(sorted.begin(), sorted.end(), top_down);
      std::vector<std::vector<Item*>> lines;
      std::vector<double> baselines;
      std::size_t i = 0;
      while (i < sorted.size()) {
        // one line: glyphs whose baseline is within 0.3 × font size of the line's first baseline
        const double ref = sorted[i]->v;
        double size = sorted[i]->size;
        std::size_t j = i + 1;
        while (j < sorted.size() && std::fabs(sorted[j]->v - ref) <= 0.3 * std::max(size, sorted[j]->size)) {
          size = std::max(size, sorted[j]->size);
          ++j;
        }
        std::vector<Item*> line(sorted.begin() + static_cast<std::ptrdiff_t>(i), sorted.begin() + static_cast<std::ptrdiff_t>(j));
        auto left_right = [](const Item* a, const Item* b) {  // order breaks ties
          if (a->u != b->u) return a->u < b->u;
          return a->order < b->order;
        };
        if (!std::is_sorted(line.begin(), line.end(), left_right)) std::sort(line.begin(), line.end(), left_right);
        lines.push_back(std::move(line));
        baselines.push_back(ref);
        i = j;
      }
      // typical character width (indentation, layout gaps) and line spacing (blank lines)
      std::vector<double> widths, sizes;
      for (const Item& it : items) {
        sizes.push_back(it.size);
        if (!it.space && it.advance > 0) widths.push_back(it.advance);
      }
      double size = median(sizes);
      double char_w = widths.empty() ? 0.5 * size : median(widths);
      if (!(char_w > 0.05 * size)) char_w = 0.5 * size;
      std::vector<double> gaps;
      for (std::size_t k = 1; k < baselines.size(); ++k) {
        double g = baselines[k - 1] - baselines[k];
        if (g >= 0.5 * size) gaps.push_back(g);
      }
      double leading = 1.2 * size;
      if (!gaps.empty()) {
        double gmin = *std::min_element(gaps.begin(), gaps.end());
        std::vector<double> small;
        for (double g : gaps)
          if (g <= 1.5 * gmin) small.push_back(g);
        leading = median(small);
      }
      double left = lines.empty() ? 0 : lines.front().front()->u;
      for (const auto& l : lines) left = std::min(left, l.front()->u);
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (!first_line) {
          add_bytes("\n", -1);
          if (k > 0 && leading > 0) {
            double blanks = std::round((baselines[k - 1] - baselines[k]) / leading) - 1.0;
            if (blanks > 0) add_bytes(std::string(static_cast<std::size_t>(std::min(blanks, 3.0)), '\n'), -1);
          }
        }
        first_line = false;
        double indent = std::round((lines[k].front()->u - left) / char_w);
        if (indent > 0) add_bytes(std::string(static_cast<std::size_t>(std::min(indent, 120.0)), ' '), -1);
        emit_line(page.number, lines[k], char_w);
      }
    }
  }

  static double median(std::vector<double> v) {
    if (v.empty()) return 1.0;
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
  }

  void emit_line(int page_number, const std::vector<Item*>& line, double char_w) {
    std::vector<std::pair<const Item*, int>> kept;  // item, glyph index
    for (const Item* it : line) {
      // exact duplicate (fake bold, a second OCR layer): same text at the same origin ±0.5 pt
      int dup_of = -1;
      for (auto k = kept.rbegin(); k != kept.rend(); ++k) {
        if (it->u - k->first->u > 0.5) break;
        if (k->first->text == it->text && std::fabs(k->first->glyph->origin_x - it->glyph->origin_x) <= 0.5 &&
            std::fabs(k->first->glyph->origin_y - it->glyph->origin_y) <= 0.5) {
          dup_of = k->second;
          break;
        }
      }
      if (dup_of >= 0) {
        doc.glyph_duplicates.emplace_back(dup_of, to_rect(page_number, it->glyph->box));
        ++duplicates;
        continue;
      }
      if (!kept.empty()) {
        const Item* prev = kept.back().first;
        double gap = it->u - (prev->u + prev->advance);
        double size = std::max(prev->size, it->size);
        if (!prev->space && !it->space && gap > 0.25 * size) {
          // a word gap is one space; a layout gap of three or more character widths (a margin stamp,
          // a second column) keeps its width in spaces, as in layout text, so the zoner can split it off
          double cols = std::round(gap / char_w);
          std::size_t n = cols >= 3 ? static_cast<std::size_t>(std::min(cols, 120.0)) : 1;
          add_bytes(std::string(n, ' '), -1);
        }
      }
      int index = static_cast<int>(doc.glyph_boxes.size());
      doc.glyph_boxes.push_back(to_rect(page_number, it->glyph->box));
      add_bytes(it->text, index);
      kept.emplace_back(it, index);
    }
  }
};

void add_warning(Document& doc, std::string w) {
  if (doc.warnings.size() >= k_max_warnings) return;
  // one printable ASCII line each: names in a hostile PDF may hold any bytes (JSON needs valid UTF-8)
  for (char& c : w) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  if (w.size() > 300) w.resize(300);
  if (std::find(doc.warnings.begin(), doc.warnings.end(), w) == doc.warnings.end()) doc.warnings.push_back(std::move(w));
}

}  // namespace

bool looks_like_pdf(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 1024 + 5);
  std::size_t p = head.find("%PDF-");
  return p != std::string_view::npos && p <= 1024;
}

namespace {

// The isolated reading worker: [password][max pages][the PDF's bytes] in, the glyph encoding of
// pdf/glyphs.hpp out, a page at a time.
std::string read_glyphs_job(std::string_view args, JobIO& io) {
  WireReader r(args, "reading PDF: worker arguments");
  pdf::ExtractOptions eo;
  eo.password = r.str();
  eo.max_pages = r.i32();
  pdf::extract_glyphs_pieces(r.rest(), eo, io.emit);
  return {};
}
const IsolatedJob k_read_glyphs_job{"pdf.read_glyphs", &read_glyphs_job};

}  // namespace

Document parse_pdf(std::string_view bytes, const std::string& path, const PdfReadOptions& options) {
  const std::string where = path.empty() ? std::string("<input>") : path;
  if (bytes.empty()) throw Error(ErrorCategory::input, where, "the file is empty");
  pdf::ExtractOptions eo;
  eo.password = options.password;
  pdf::ExtractedPdf ex;  // warnings and flags; the pages go straight into the builder
  Document doc;
  doc.path = path;
  doc.format = "pdf";
  doc.encoding = "pdf";
  Builder b{doc};
  int page_count = 0;
  auto add_page = [&](const pdf::PageGlyphs& page) {
    if (page_count > 0) b.add_bytes("\f", -1);
    ++page_count;
    if (options.geometry) options.geometry->push_back(pdf::PageGeometry{page.media_box, page.rotate});
    b.add_page(page);
    for (const std::string& p : page.problems) add_warning(doc, "page " + std::to_string(page.number) + ": " + p);
  };
  try {
    // The glyphs come from a worker: the caller's, or a reading worker of our own.
    auto source = options.glyph_source;
    if (!source && options.isolate)
      source = [&](const PieceSink& consume) {
        WireWriter head;
        head.str(eo.password);
        head.i32(eo.max_pages);
        run_isolated_job_pieces("reading PDF " + where, k_read_glyphs_job, {head.view(), bytes}, consume);
      };
    if (source) {
      // Pages are decoded and added to the document as the worker sends them, while it reads the next.
      pdf::ExtractedPieceDecoder decoder([&](pdf::PageGlyphs& page) { add_page(page); });
      source([&](std::string_view piece) { decoder.feed(piece); });
      if (!decoder.complete()) throw Error(ErrorCategory::internal, "reading PDF " + where, "the reader's result ended early");
      ex = decoder.meta();
    } else {
      ex = pdf::extract_glyphs(bytes, eo);
      for (const pdf::PageGlyphs& page : ex.pages) add_page(page);
      ex.pages.clear();
    }
  } catch (const Error& e) {
    // a malformed or encrypted PDF is bad input, whichever layer noticed it
    // (the message may quote names from the file: keep it one printable line, valid UTF-8 for JSON)
    ErrorCategory cat = e.category() == ErrorCategory::pdf ? ErrorCategory::input : e.category();
    const bool worker = e.where().rfind("reading PDF ", 0) == 0;
    const bool generic = worker || e.where().empty() || e.where() == where || e.where() == "PDF input";
    std::string msg = generic ? e.message() : e.where() + ": " + e.message();
    if (msg.size() > 500) msg.resize(500);
    const bool utf8 = text::is_valid_utf8(msg);
    for (char& c : msg) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f || (u >= 0x80 && !utf8)) c = '?';
    }
    throw Error(cat, worker ? e.where() : where, msg);
  }

  for (const std::string& w : ex.warnings) add_warning(doc, w);
  if (b.glyphs_without_unicode > 0)
    add_warning(doc, std::to_string(b.glyphs_without_unicode) +
                         " glyphs have no reliable Unicode mapping (Type3 font or unknown encoding)");
  if (b.duplicates > 0)
    add_warning(doc, std::to_string(b.duplicates) + " duplicate glyphs (fake bold or a double text layer) read once");
  std::sort(doc.glyph_duplicates.begin(), doc.glyph_duplicates.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });

  if (page_count == 0) throw Error(ErrorCategory::input, where, "the PDF has no pages (damaged page tree?)");
  if (text::trim(doc.text).empty() || doc.glyph_boxes.empty()) {
    if (b.glyphs_without_unicode > 0)
      throw Error(ErrorCategory::input, where,
                  "has text only in fonts declass cannot map to Unicode (Type3 or unknown encodings); run OCR first, "
                  "e.g. ocrmypdf --force-ocr, or rasterize");
    if (!doc.warnings.empty())  // damaged content or fonts, not necessarily a scan
      throw Error(ErrorCategory::input, where,
                  "has no readable text (" + doc.warnings.front() +
                      "); if it is a scan without a text layer, run OCR first, e.g. ocrmypdf, or rasterize");
    throw Error(ErrorCategory::input, where, "has no text layer (a scan without OCR); run OCR first, e.g. ocrmypdf, or rasterize");
  }
  ex = pdf::ExtractedPdf{};
  detail::analyse_text(doc, true);
  doc.pages = std::max(1, page_count);
  return doc;
}

std::vector<PageRect> rects_for_text_ranges(const Document& doc,
                                            const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  std::vector<PageRect> out;
  const std::size_t n = std::min(doc.text.size(), doc.glyph_at_byte.size());
  const int glyphs = static_cast<int>(doc.glyph_boxes.size());
  auto extend = [](PageRect& r, const PageRect& g) {
    r.x0 = std::min(r.x0, g.x0);
    r.y0 = std::min(r.y0, g.y0);
    r.x1 = std::max(r.x1, g.x1);
    r.y1 = std::max(r.y1, g.y1);
  };
  for (auto [begin, end] : ranges) {
    end = std::min(end, n);
    if (begin >= end) continue;
    // widen to whole glyphs: a range starting or ending inside a multi-byte glyph takes the glyph
    bool open = false;
    PageRect cur;
    int last = -1;
    for (std::size_t i = begin; i < end; ++i) {
      char c = doc.text[i];
      int g = doc.glyph_at_byte[i];
      if (g < 0 || g >= glyphs) {
        if (c == '\n' || c == '\f' || c == '\r') {  // line or page break: close the fragment
          if (open) out.push_back(cur);
          open = false;
        }
        continue;
      }
      if (g == last) continue;
      last = g;
      const PageRect& box = doc.glyph_boxes[static_cast<std::size_t>(g)];
      if (open && box.page != cur.page) {
        out.push_back(cur);
        open = false;
      }
      if (!open) {
        cur = box;
        open = true;
      } else {
        extend(cur, box);
      }
      auto it = std::lower_bound(doc.glyph_duplicates.begin(), doc.glyph_duplicates.end(), g,
                                 [](const std::pair<int, PageRect>& d, int key) { return d.first < key; });
      for (; it != doc.glyph_duplicates.end() && it->first == g; ++it)
        if (it->second.page == cur.page) extend(cur, it->second);
    }
    if (open) out.push_back(cur);
  }
  return out;
}

Document parse_document(std::string_view bytes, const std::string& path, const PdfReadOptions& options) {
  if (looks_like_pdf(bytes)) return parse_pdf(bytes, path, options);
  if (bytes.size() > io::max_text_input)
    throw Error(ErrorCategory::input, path,
                "file is " + std::to_string(bytes.size()) + " bytes, over the limit of " + std::to_string(io::max_text_input) +
                    " bytes for text records; split the record or check that this is the right file");
  return parse_text(bytes, path);
}

Document read_document_file(const std::string& path, const PdfReadOptions& options) {
  std::string bytes = io::read_file(path, max_document_bytes);
  return parse_document(bytes, path, options);
}

}  // namespace declass::ingest
