// build_release_pdf (see release.hpp): typesets the kept text cell by cell on a monospaced grid,
// draws a box over every run of withheld cells (label inside, or in the margin when too narrow),
// lines through cancelled markings, adds the template stamps, writes through pdf::write_document and
// re-reads the written bytes with pdf::inspect_pdf: any withheld piece found or any lint failure → throw.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/multi_search.hpp"
#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "pdf/inspect.hpp"
#include "pdf/writer.hpp"
#include "release/release.hpp"

namespace declass::release {

namespace {

struct Cell {
  char32_t ch = ' ';
  std::size_t src = 0;
  int range = -1;      // index into withheld, -1 = released
  bool cancel = false;
};

std::string u32_to_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t u : s) {
    if (u < 0x80) out += static_cast<char>(u);
    else if (u < 0x800) {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (u >> 18));
      out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return out;
}

std::size_t utf8_len(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

// Cells of one source line; a code point is withheld if any of its bytes is.
std::vector<Cell> line_cells(const SourceLine& l, const std::vector<WithheldRange>& wh, const std::vector<CancelRange>& cancel) {
  std::vector<Cell> cells;
  std::u32string cps = pdf::utf8_to_u32(l.text);
  cells.reserve(cps.size());
  std::size_t b = 0;
  const std::size_t lb = l.offset, le = l.offset + l.text.size();
  std::vector<int> near;
  for (std::size_t i = 0; i < wh.size(); ++i)
    if (wh[i].begin < le && wh[i].end > lb) near.push_back(static_cast<int>(i));
  std::vector<const CancelRange*> near_c;
  for (const auto& c : cancel)
    if (c.begin < le && c.end > lb) near_c.push_back(&c);
  for (char32_t cp : cps) {
    std::size_t n = b < l.text.size() ? utf8_len(static_cast<unsigned char>(l.text[b])) : 1;
    if (cp == 0xFFFD) n = 1;
    Cell c;
    c.ch = cp == '\t' ? U' ' : cp;
    c.src = l.offset + b;
    for (int r : near)
      if (wh[static_cast<std::size_t>(r)].begin < c.src + n && wh[static_cast<std::size_t>(r)].end > c.src) {
        c.range = r;
        break;
      }
    for (auto* cr : near_c)
      if (cr->begin < c.src + n && cr->end > c.src) c.cancel = true;
    cells.push_back(c);
    b += n;
  }
  return cells;
}

// Word wrap at `cols`: [begin, end) index pairs; the space at a break is dropped.
std::vector<std::pair<std::size_t, std::size_t>> wrap(const std::vector<Cell>& cells, std::size_t cols) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t i = 0, n = cells.size();
  if (n == 0) {
    out.emplace_back(0, 0);
    return out;
  }
  bool first = true;
  while (i < n) {
    if (!first)
      while (i < n && cells[i].ch == U' ') ++i;
    if (i >= n) break;
    first = false;
    if (n - i <= cols) {
      out.emplace_back(i, n);
      break;
    }
    std::size_t j = i + cols;
    while (j > i && cells[j].ch != U' ') --j;
    if (j == i) {
      out.emplace_back(i, i + cols);
      i += cols;
    } else {
      out.emplace_back(i, j);
      i = j + 1;
    }
  }
  if (out.empty()) out.emplace_back(0, 0);
  return out;
}

std::string label_for(const WithheldRange& r) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& c : r.codes) {
    std::string s = stamp_code(c);
    if (s.empty() || !seen.insert(s).second) continue;
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out.empty() ? "WITHHELD" : out;
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') o += c;
    }
  }
  return o;
}

struct Builder {
  Builder(const ReleaseRequest& r, const StampTemplate& t) : req(r), tpl(t) {}
  const ReleaseRequest& req;
  const StampTemplate& tpl;
  double adv = 6, ascent = 7, descent = -2;
  int lines_per_page = 1;
  std::vector<pdf::PageSpec> pages;
  std::vector<int> page_rows;
  ReleaseResult result;
  // per range: pages on which its label has been placed
  std::map<std::pair<int, int>, bool> labelled;
  // per (range,page): first line baseline, for margin labels
  std::map<std::pair<int, int>, double> first_baseline;
  std::string kept_text;  // released text (for deciding which withheld pieces are distinctive)

  double x0() const { return (tpl.page_width - adv * tpl.columns) / 2; }

  void new_page() {
    pages.emplace_back();
    pages.back().width = tpl.page_width;
    pages.back().height = tpl.page_height;
    page_rows.push_back(0);
  }

  void emit_line(const std::vector<Cell>& cells, std::size_t b, std::size_t e) {
    if (pages.empty() || page_rows.back() >= lines_per_page) new_page();
    int pno = static_cast<int>(pages.size());
    double y = tpl.first_baseline - tpl.leading * page_rows.back();
    ++page_rows.back();
    auto& ops = pages.back().ops;
    const double x = x0();
    TypesetLine tl;
    tl.page = pno;
    tl.baseline = y;
    tl.x = x;
    for (std::size_t i = b; i < e; ++i) {
      tl.cells += cells[i].range >= 0 ? U'\0' : cells[i].ch;
      tl.source.push_back(cells[i].src);
    }
    // 1. released text runs
    std::size_t i = b;
    while (i < e) {
      if (cells[i].range >= 0) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < e && cells[j].range < 0) ++j;
      std::size_t s = i, t = j;
      while (s < t && cells[s].ch == U' ') ++s;
      while (t > s && cells[t - 1].ch == U' ') --t;
      if (s < t) {
        std::u32string run;
        for (std::size_t k = s; k < t; ++k) run += cells[k].ch;
        pdf::DrawOp op;
        op.kind = pdf::DrawOp::Kind::text;
        op.font = pdf::Font::mono;
        op.size = tpl.body_font_size;
        op.x = x + adv * static_cast<double>(s - b);
        op.y = y;
        op.text = u32_to_utf8(run);
        kept_text += op.text;
        kept_text += ' ';
        ops.push_back(std::move(op));
      }
      i = j;
    }
    kept_text += '\n';
    // 2. cancelled markings: a line through the kept characters
    i = b;
    while (i < e) {
      if (!(cells[i].cancel && cells[i].range < 0)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < e && cells[j].cancel && cells[j].range < 0) ++j;
      std::size_t s = i, t = j;
      while (s < t && cells[s].ch == U' ') ++s;
      while (t > s && cells[t - 1].ch == U' ') --t;
      if (s < t) {
        pdf::DrawOp op;
        op.kind = pdf::DrawOp::Kind::line;
        op.x = x + adv * static_cast<double>(s - b);
        op.y = y + tpl.body_font_size * 0.33;
        op.w = adv * static_cast<double>(t - s);
        op.h = 0;
        op.line_width = tpl.cancel_line_width;
        ops.push_back(op);
      }
      i = j;
    }
    // 3. boxes over withheld cells, one per run of the same range
    i = b;
    while (i < e) {
      if (cells[i].range < 0) {
        ++i;
        continue;
      }
      int r = cells[i].range;
      std::size_t j = i;
      while (j < e && cells[j].range == r) ++j;
      std::size_t s = i, t = j;
      while (s < t && cells[s].ch == U' ') ++s;
      while (t > s && cells[t - 1].ch == U' ') --t;
      if (s < t) {
        double h = std::min(ascent - descent, tpl.leading - 0.5);
        double by = y + descent - std::max(0.0, (h - (ascent - descent)) / 2);
        pdf::DrawOp box;
        box.kind = pdf::DrawOp::Kind::fill_rect;
        box.x = x + adv * static_cast<double>(s - b);
        box.w = adv * static_cast<double>(t - s);
        box.y = by;
        box.h = h;
        box.gray = tpl.box_gray;
        ops.push_back(box);
        PlacedBox pb;
        pb.page = pno;
        pb.x = box.x;
        pb.y = box.y;
        pb.w = box.w;
        pb.h = box.h;
        pb.first_cell = s - b;
        pb.cells = t - s;
        pb.range = static_cast<std::size_t>(r);
        auto key = std::make_pair(r, pno);
        if (!first_baseline.count(key)) first_baseline[key] = y;
        if (!labelled[key]) {
          std::string label = label_for(req.withheld[static_cast<std::size_t>(r)]);
          double size = tpl.label_max_size;
          double w = pdf::text_width(tpl.label_font, label, size);
          if (w > box.w - 2) {
            size = size * (box.w - 2) / w;
            w = pdf::text_width(tpl.label_font, label, size);
          }
          if (size >= tpl.label_min_size) {
            pdf::DrawOp lab;
            lab.kind = pdf::DrawOp::Kind::text;
            lab.font = tpl.label_font;
            lab.size = size;
            lab.gray = tpl.label_gray;
            lab.text = label;
            lab.x = box.x + (box.w - w) / 2;
            lab.y = box.y + (box.h - size * 0.72) / 2;
            ops.push_back(lab);
            labelled[key] = true;
            pb.label = label;
          }
        }
        result.boxes.push_back(pb);
      }
      i = j;
    }
    result.lines.push_back(std::move(tl));
  }

  // Labels that fitted in no box of their range on a page go into the right margin.
  void margin_labels() {
    for (const auto& [key, y] : first_baseline) {
      if (labelled[key]) continue;
      std::string label = label_for(req.withheld[static_cast<std::size_t>(key.first)]);
      pdf::DrawOp lab;
      lab.kind = pdf::DrawOp::Kind::text;
      lab.font = tpl.label_font;
      lab.size = tpl.label_max_size;
      lab.text = label;
      lab.x = x0() + adv * tpl.columns + 6;
      lab.y = y;
      pages[static_cast<std::size_t>(key.second - 1)].ops.push_back(lab);
    }
  }
};

std::string us_date(const Clock& clock) { return clock.today().us(); }

}  // namespace

std::string stamp_code(std::string_view code) {
  std::string s;
  for (char c : code)
    if (c != ' ') s += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  // FOIA "(B)(6)" / "(B)(7)(C)" → "B6" / "B7(C)"
  if (s.rfind("(B)(", 0) == 0) {
    std::size_t close = s.find(')', 4);
    if (close != std::string::npos) return "B" + s.substr(4, close - 4) + s.substr(close + 1);
  }
  if (s.rfind("B(", 0) == 0) {  // "b(6)"
    std::size_t close = s.find(')', 2);
    if (close != std::string::npos) return "B" + s.substr(2, close - 2) + s.substr(close + 1);
  }
  return s;
}

std::vector<SourceLine> lines_from_text(std::string_view text) {
  std::vector<SourceLine> out;
  std::size_t i = 0;
  int page = 1;
  bool page_has_text = false;
  while (i <= text.size()) {
    std::size_t j = i;
    while (j < text.size() && text[j] != '\n' && text[j] != '\r' && text[j] != '\f') ++j;
    SourceLine l;
    l.offset = i;
    l.text = std::string(text.substr(i, j - i));
    // a cable page header "PAGE 02 ..." starts a new page (the banner above it stays on the previous one)
    if (l.text.rfind("PAGE ", 0) == 0 && l.text.size() > 6 && l.text[5] >= '0' && l.text[5] <= '9' && page_has_text && out.size() > 0) {
      ++page;
      page_has_text = false;
    }
    l.page = page;
    if (!l.text.empty()) page_has_text = true;
    if (j < text.size() || !l.text.empty()) out.push_back(l);
    if (j >= text.size()) break;
    if (text[j] == '\f') {
      ++page;
      page_has_text = false;
      i = j + 1;
      continue;
    }
    i = j + ((text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ? 2 : 1);
  }
  return out;
}

std::vector<std::string> withheld_pieces(const std::vector<SourceLine>& lines, const std::vector<WithheldRange>& withheld) {
  std::vector<std::string> out;
  for (const auto& r : withheld)
    for (const auto& l : lines) {
      std::size_t lb = l.offset, le = l.offset + l.text.size();
      if (r.begin >= le || r.end <= lb) continue;
      std::size_t b = std::max(r.begin, lb) - lb, e = std::min(r.end, le) - lb;
      std::string piece = l.text.substr(b, e - b);
      while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\t')) piece.pop_back();
      std::size_t s = 0;
      while (s < piece.size() && (piece[s] == ' ' || piece[s] == '\t')) ++s;
      piece = piece.substr(s);
      if (!piece.empty()) out.push_back(piece);
    }
  return out;
}

bool is_distinctive(std::string_view piece, const std::string& normalized_released) {
  std::string np = pdf::normalize_for_search(std::string(piece));
  return np.size() >= 3 && normalized_released.find(np) == std::string::npos;
}

std::vector<std::string> distinctive_subset(const std::vector<std::string>& pieces, const std::string& normalized_released,
                                            std::string_view raw_released) {
  std::vector<std::string> normalized;
  normalized.reserve(pieces.size());
  for (const auto& p : pieces) normalized.push_back(pdf::normalize_for_search(p));
  const std::vector<bool> found = MultiSearch(normalized).occurs(normalized_released);
  const std::vector<bool> found_raw =
      raw_released.empty() ? std::vector<bool>(pieces.size(), false) : MultiSearch(pieces).occurs(raw_released);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < pieces.size(); ++i)
    if (normalized[i].size() >= 3 && !found[i] && !found_raw[i]) out.push_back(pieces[i]);
  return out;
}

std::vector<std::string> distinctive_withheld_terms(const std::vector<SourceLine>& lines,
                                                    const std::vector<WithheldRange>& withheld) {
  std::string kept;
  for (const auto& l : lines) {
    if (l.omit) continue;
    std::string t = l.text;
    for (const auto& r : withheld) {
      std::size_t lb = l.offset, le = l.offset + l.text.size();
      if (r.begin >= le || r.end <= lb) continue;
      for (std::size_t i = std::max(r.begin, lb) - lb; i < std::min(r.end, le) - lb; ++i) t[i] = '\n';
    }
    kept += t + "\n";
  }
  std::string released = pdf::normalize_for_search(kept);
  return distinctive_subset(withheld_pieces(lines, withheld), released, kept);
}

std::string release_xmp(const ReleaseRequest& req, const std::string& disposition, std::int64_t created,
                        const std::string& audit_sha256, const std::string& source_format) {
  return std::string("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n") +
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
         "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:rr=\"urn:declass:release:1.0#\">\n"
         "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(req.title) + "</rdf:li></rdf:Alt></dc:title>\n"
         "<pdf:Producer>declass 0.1.0</pdf:Producer>\n"
         "<xmp:CreateDate>" + format_iso_utc(created) + "</xmp:CreateDate>\n"
         "<rr:CaseNumber>" + xml_escape(req.stamp.case_no) + "</rr:CaseNumber>\n"
         "<rr:DocNumber>" + xml_escape(req.stamp.doc_no) + "</rr:DocNumber>\n"
         "<rr:DocumentId>" + xml_escape(req.document_id) + "</rr:DocumentId>\n"
         "<rr:Decision>" + xml_escape(disposition) + "</rr:Decision>\n"
         "<rr:ReviewAuthority>" + xml_escape(req.stamp.review_authority_name) + "</rr:ReviewAuthority>\n"
         "<rr:Declassified>" + (req.stamp.declassified ? "true" : "false") + "</rr:Declassified>\n" +
         (source_format == "text" ? std::string() : "<rr:SourceFormat>" + xml_escape(source_format) + "</rr:SourceFormat>\n") +
         "<rr:AuditSha256>" + audit_sha256 + "</rr:AuditSha256>\n"
         "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>";
}

ReleaseResult build_release_pdf(const ReleaseRequest& req) {
  SystemClock sys;
  const Clock& clock = req.clock ? *req.clock : static_cast<const Clock&>(sys);
  auto t_start = std::chrono::steady_clock::now();
  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  };
  StampTemplate tpl = req.template_path.empty() ? builtin_state_template() : load_template(req.template_path);
  // Validate ranges.
  std::size_t max_end = 0;
  for (const auto& l : req.lines) max_end = std::max(max_end, l.offset + l.text.size());
  for (std::size_t i = 0; i < req.withheld.size(); ++i) {
    const auto& r = req.withheld[i];
    if (r.begin >= r.end || r.end > max_end)
      throw Error(ErrorCategory::input, "withheld range " + std::to_string(i + 1),
                  "[" + std::to_string(r.begin) + ", " + std::to_string(r.end) + ") is empty or outside the text (" +
                      std::to_string(max_end) + " bytes)");
  }
  // A withheld range must not touch an omitted line (its text would vanish without a box).
  for (const auto& l : req.lines) {
    if (!l.omit) continue;
    for (const auto& r : req.withheld)
      if (r.begin < l.offset + l.text.size() && r.end > l.offset)
        throw Error(ErrorCategory::input, "withheld range", "covers a line that is not typeset (omitted); keep that line or change the range");
  }
  if (req.lines.empty() || std::all_of(req.lines.begin(), req.lines.end(), [](const SourceLine& l) { return l.omit; }))
    throw Error(ErrorCategory::input, "release", "the document has no text to typeset");

  Builder bld(req, tpl);
  bld.adv = pdf::char_advance(pdf::Font::mono, U'M', tpl.body_font_size);
  bld.ascent = pdf::font_ascent(pdf::Font::mono, tpl.body_font_size);
  bld.descent = pdf::font_descent(pdf::Font::mono, tpl.body_font_size);
  bld.lines_per_page = static_cast<int>(std::floor((tpl.first_baseline - tpl.last_baseline) / tpl.leading + 1e-9)) + 1;
  if (bld.x0() < 18) throw Error(ErrorCategory::input, tpl.name, "columns do not fit on the page width");
  bld.result.char_advance = bld.adv;

  int src_page = -1;
  for (const auto& l : req.lines) {
    if (l.omit) continue;
    if (l.page != src_page) {
      if (src_page != -1 && !bld.pages.empty() && bld.page_rows.back() > 0) bld.new_page();
      src_page = l.page;
    }
    auto cells = line_cells(l, req.withheld, req.cancel);
    for (auto [b, e] : wrap(cells, static_cast<std::size_t>(tpl.columns))) {
      if (b == e && (bld.pages.empty() || bld.page_rows.back() == 0)) continue;  // no blank line at a page top
      bld.emit_line(cells, b, e);
    }
  }
  if (bld.pages.empty()) bld.new_page();
  bld.margin_labels();

  // Stamps.
  std::vector<std::string> codes = req.stamp.codes;
  if (codes.empty()) {
    std::set<std::string> seen;
    for (const auto& r : req.withheld)
      for (const auto& c : r.codes) {
        std::string s = stamp_code(c);
        if (!s.empty() && seen.insert(s).second) codes.push_back(s);
      }
  }
  std::string codes_text;
  for (const auto& c : codes) codes_text += (codes_text.empty() ? "" : ", ") + stamp_code(c);
  if (req.stamp.disposition == "RELEASE IN FULL") codes_text.clear();
  std::map<std::string, std::string> values = {
      {"disposition", req.stamp.disposition},
      {"codes", codes_text},
      {"review_authority_name", req.stamp.review_authority_name},
      {"review_authority_title", req.stamp.review_authority_title},
      {"case_no", req.stamp.case_no},
      {"doc_no", req.stamp.doc_no},
      {"date", req.stamp.date.empty() ? us_date(clock) : req.stamp.date},
      {"agency", req.stamp.agency},
      {"declassified", req.stamp.declassified ? "DECLASSIFIED" : ""},
      {"pages", std::to_string(bld.pages.size())}};
  std::string stamp_text_all;
  for (std::size_t p = 0; p < bld.pages.size(); ++p) {
    values["page"] = std::to_string(p + 1);
    for (const auto& s : tpl.stamps) {
      if ((s.pages == "first" && p != 0) || (s.pages == "rest" && p == 0)) continue;
      std::string text = render_stamp_text(s.text, values, tpl.name);
      if (text.empty()) continue;
      double w = pdf::text_width(s.font, text, s.size);
      pdf::DrawOp op;
      op.kind = pdf::DrawOp::Kind::text;
      op.font = s.font;
      op.size = s.size;
      op.gray = s.gray;
      op.text = text;
      op.x = s.align == "left" ? s.x : s.align == "center" ? s.x - w / 2 : s.x - w;
      op.y = s.y;
      if (op.x < 0 || op.x + w > tpl.page_width)
        throw Error(ErrorCategory::input, tpl.name, "stamp '" + s.text + "' does not fit on the page; shorten it or move x");
      stamp_text_all += text + "\n";
      bld.pages[p].ops.push_back(std::move(op));
    }
  }

  // Document.
  pdf::DocumentSpec spec;
  spec.pages = std::move(bld.pages);
  spec.title = req.title;
  spec.producer = "declass 0.1.0";
  spec.creation_time = clock.now_unix();
  ReleaseResult& res = bld.result;
  res.pages = static_cast<int>(spec.pages.size());
  res.audit_sha256 = req.audit_json.empty() ? "" : crypto::sha256_hex(req.audit_json);
  std::string disposition_full = req.stamp.disposition + (codes_text.empty() ? "" : " " + codes_text);
  spec.xmp = release_xmp(req, disposition_full, spec.creation_time, res.audit_sha256, "text");
  if (!req.audit_json.empty())
    spec.attachments.push_back({"release-audit.json", "application/json", "Audit trail excerpt for this release", req.audit_json});
  spdlog::debug("release: typeset {} pages, {} boxes in {:.1f} ms", spec.pages.size(), res.boxes.size(), ms_since(t_start));
  auto t_write = std::chrono::steady_clock::now();
  res.pdf = pdf::write_document(spec);
  spdlog::debug("release: wrote {} bytes in {:.1f} ms", res.pdf.size(), ms_since(t_write));
  auto t_verify = std::chrono::steady_clock::now();

  // Post-write verification (fail closed): re-read the bytes, look for every distinctive withheld piece.
  std::string released = pdf::normalize_for_search(bld.kept_text + "\n" + stamp_text_all);
  std::vector<std::string> pieces = withheld_pieces(req.lines, req.withheld);
  // whole ranges as well (a span across lines, normalised)
  for (const auto& r : req.withheld) {
    std::string whole;
    for (const auto& l : req.lines) {
      std::size_t lb = l.offset, le = l.offset + l.text.size();
      if (r.begin >= le || r.end <= lb) continue;
      whole += l.text.substr(std::max(r.begin, lb) - lb, std::min(r.end, le) - std::max(r.begin, lb)) + "\n";
    }
    if (!whole.empty()) pieces.push_back(whole);
  }
  std::sort(pieces.begin(), pieces.end());
  pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
  pdf::LintOptions lo;
  std::vector<std::string> short_terms;
  for (const auto& p : pieces) {
    if (!is_distinctive(p, released)) continue;
    std::string np = pdf::normalize_for_search(p);
    res.withheld_terms.push_back(p);
    if (p.size() >= 4 && p.find('\n') == std::string::npos) lo.terms.push_back(p);
    else short_terms.push_back(np);
  }
  pdf::PdfInspection ins = pdf::inspect_pdf(res.pdf);
  std::vector<std::string> failures;
  for (const auto& c : pdf::lint_release(ins, res.pdf, lo))
    if (!c.ok) failures.push_back(c.name + (c.detail.empty() ? "" : ": " + c.detail));
  std::string all_text;
  for (const auto& t : ins.page_text) all_text += t + "\n";
  std::string norm = pdf::normalize_for_search(all_text);
  for (const auto& t : short_terms)
    if (norm.find(t) != std::string::npos) failures.push_back("a withheld piece is in the extracted text");
  if (ins.pages != res.pages) failures.push_back("page count differs after writing");
  spdlog::debug("release: post-write check of {} terms in {:.1f} ms", lo.terms.size() + short_terms.size(), ms_since(t_verify));
  if (!failures.empty()) {
    res.pdf.clear();
    std::string msg;
    for (const auto& f : failures) msg += (msg.empty() ? "" : "; ") + f;
    // Term names are withheld text: never echo them in the error.
    for (const auto& t : lo.terms) {
      for (std::size_t p = msg.find(t); p != std::string::npos; p = msg.find(t)) msg.replace(p, t.size(), "<withheld>");
    }
    throw Error(ErrorCategory::verification, "release", "post-write check failed, no output written: " + msg);
  }
  return std::move(res);
}

}  // namespace declass::release
