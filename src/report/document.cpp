// Renderers of the report presentation model (see document.hpp): aligned and wrapped plain text,
// a single-file HTML page with inline CSS, CSV, and a PDF laid out with the pdf writer's DrawOps.
#include "report/document.hpp"

#include <algorithm>
#include <sstream>

#include "pdf/writer.hpp"

namespace declass::report {

namespace {

// Display width: code points (continuation bytes do not count).
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Byte index of the code point number `cp` in s (or s.size()).
std::size_t byte_at(const std::string& s, std::size_t cp) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == cp) return i;
      ++n;
    }
  }
  return s.size();
}

// Word wrap to `cols` code points; words longer than a line are cut. Newlines in the text break lines.
std::vector<std::string> wrap_text(const std::string& text, std::size_t cols) {
  std::vector<std::string> out;
  if (cols == 0) cols = 1;
  std::istringstream in(text);
  std::string para;
  while (std::getline(in, para)) {
    std::string line;
    std::istringstream words(para);
    std::string w;
    while (words >> w) {
      while (width(w) > cols) {
        if (!line.empty()) {
          out.push_back(line);
          line.clear();
        }
        std::size_t cut = byte_at(w, cols);
        out.push_back(w.substr(0, cut));
        w = w.substr(cut);
      }
      if (w.empty()) continue;
      if (line.empty())
        line = w;
      else if (width(line) + 1 + width(w) <= cols)
        line += " " + w;
      else {
        out.push_back(line);
        line = w;
      }
    }
    out.push_back(line);
  }
  if (out.empty()) out.push_back("");
  return out;
}

std::string pad(const std::string& s, std::size_t w) {
  std::size_t n = width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

std::string text_table(const Table& t) {
  std::ostringstream o;
  if (!t.caption.empty()) o << t.caption << "\n";
  const std::size_t n = t.columns.size();
  if (n == 0) return o.str();
  std::vector<std::size_t> w(n, 1);
  for (std::size_t c = 0; c < n; ++c) w[c] = std::max<std::size_t>(w[c], width(t.columns[c]));
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < n && c < r.size(); ++c) w[c] = std::max(w[c], width(r[c]));
  const std::size_t cap = n <= 3 ? 70 : n <= 6 ? 40 : 28;
  for (auto& x : w) x = std::min(x, cap);
  auto emit = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped(n);
    std::size_t lines = 1;
    for (std::size_t c = 0; c < n; ++c) {
      wrapped[c] = wrap_text(c < cells.size() ? cells[c] : std::string(), w[c]);
      lines = std::max(lines, wrapped[c].size());
    }
    for (std::size_t l = 0; l < lines; ++l) {
      std::string line;
      for (std::size_t c = 0; c < n; ++c) {
        std::string cell = l < wrapped[c].size() ? wrapped[c][l] : std::string();
        line += (c ? "  " : "") + (c + 1 < n ? pad(cell, w[c]) : cell);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      o << line << "\n";
    }
  };
  emit(t.columns);
  std::string rule;
  for (std::size_t c = 0; c < n; ++c) rule += (c ? "  " : "") + std::string(w[c], '-');
  o << rule << "\n";
  for (const auto& r : t.rows) emit(r);
  if (t.rows.empty()) o << "(none)\n";
  return o.str();
}

}  // namespace

std::string render_text(const ReportDoc& doc) {
  std::ostringstream o;
  o << doc.title << "\n" << std::string(std::max<std::size_t>(width(doc.title), 1), '=') << "\n";
  std::size_t kw = 0;
  for (const auto& [k, v] : doc.facts) kw = std::max(kw, width(k));
  for (const auto& [k, v] : doc.facts) o << pad(k + ":", kw + 1) << " " << v << "\n";
  for (const auto& n : doc.notes) {
    o << "\n";
    for (const auto& l : wrap_text(n, 100)) o << l << "\n";
  }
  for (const auto& s : doc.sections) {
    o << "\n" << s.heading << "\n" << std::string(std::max<std::size_t>(width(s.heading), 1), '-') << "\n";
    for (const auto& n : s.notes)
      for (const auto& l : wrap_text(n, 100)) o << l << "\n";
    for (const auto& t : s.tables) o << "\n" << text_table(t);
  }
  return o.str();
}

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html(const ReportDoc& doc) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"generator\" content=\"declass\">\n"
    << "<meta name=\"declass-schema\" content=\"" << html_escape(doc.schema) << "\">\n"
    << "<title>" << html_escape(doc.title) << "</title>\n"
    << "<style>\n"
       "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:10pt;color:#111;margin:2em;line-height:1.35}\n"
       "h1{font-size:16pt;margin:0 0 .5em}h2{font-size:12.5pt;margin:1.6em 0 .4em;border-bottom:1px solid #999}\n"
       "dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;margin:0 0 1em}\n"
       "dl.facts dt{font-weight:bold}dl.facts dd{margin:0}\n"
       "table{border-collapse:collapse;width:100%;margin:.6em 0 1.2em;font-size:9pt}\n"
       "caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
       "th,td{border:1px solid #aaa;padding:.25em .4em;vertical-align:top;text-align:left;overflow-wrap:anywhere}\n"
       "thead th{background:#e8e8e8}tbody tr:nth-child(even){background:#f7f7f7}\n"
       "p.note{margin:.3em 0}\n"
       "@media print{body{margin:0;font-size:9pt}@page{size:landscape;margin:12mm}"
       "thead{display:table-header-group}tr,td,th{page-break-inside:avoid;break-inside:avoid}"
       "h2{page-break-after:avoid;break-after:avoid}tbody tr:nth-child(even){background:none}"
       "thead th{background:none;border-bottom:2px solid #000}}\n"
       "</style>\n</head>\n<body>\n";
  o << "<h1>" << html_escape(doc.title) << "</h1>\n";
  if (!doc.facts.empty()) {
    o << "<dl class=\"facts\">\n";
    for (const auto& [k, v] : doc.facts) o << "<dt>" << html_escape(k) << "</dt><dd>" << html_escape(v) << "</dd>\n";
    o << "</dl>\n";
  }
  for (const auto& n : doc.notes) o << "<p class=\"note\">" << html_escape(n) << "</p>\n";
  for (const auto& s : doc.sections) {
    o << "<section>\n<h2>" << html_escape(s.heading) << "</h2>\n";
    for (const auto& n : s.notes) o << "<p class=\"note\">" << html_escape(n) << "</p>\n";
    for (const auto& t : s.tables) {
      o << "<table>\n";
      if (!t.caption.empty()) o << "<caption>" << html_escape(t.caption) << "</caption>\n";
      o << "<thead><tr>";
      for (const auto& c : t.columns) o << "<th scope=\"col\">" << html_escape(c) << "</th>";
      o << "</tr></thead>\n<tbody>\n";
      for (const auto& r : t.rows) {
        o << "<tr>";
        for (std::size_t c = 0; c < t.columns.size(); ++c) o << "<td>" << html_escape(c < r.size() ? r[c] : "") << "</td>";
        o << "</tr>\n";
      }
      o << "</tbody>\n</table>\n";
    }
    o << "</section>\n";
  }
  o << "</body>\n</html>\n";
  return o.str();
}

std::string render_csv(const Table& t) {
  auto field = [](std::string s) {
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out;
  for (std::size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + field(t.columns[c]);
  out += "\r\n";
  for (const auto& r : t.rows) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + field(c < r.size() ? r[c] : "");
    out += "\r\n";
  }
  return out;
}

// ---- PDF ----

namespace {

struct PdfLayout {
  static constexpr double page_w = 792, page_h = 612, margin = 36, footer = 24;
  std::vector<pdf::PageSpec> pages;
  double y = 0;

  void new_page() {
    pages.emplace_back();
    pages.back().width = page_w;
    pages.back().height = page_h;
    y = page_h - margin;
  }
  void need(double h) {
    if (pages.empty() || y - h < margin + footer) new_page();
  }
  void text(double x, double size, pdf::Font f, const std::string& s, double gray = 0) {
    pdf::DrawOp op;
    op.kind = pdf::DrawOp::Kind::text;
    op.font = f;
    op.size = size;
    op.x = x;
    op.y = y;
    op.gray = gray;
    op.text = s;
    pages.back().ops.push_back(std::move(op));
  }
  void rule(double x, double w, double gray = 0.6) {
    pdf::DrawOp op;
    op.kind = pdf::DrawOp::Kind::line;
    op.x = x;
    op.y = y;
    op.w = w;
    op.h = 0;
    op.line_width = 0.4;
    op.gray = gray;
    pages.back().ops.push_back(op);
  }
};

// Wrap by measured width.
std::vector<std::string> wrap_pt(const std::string& text, pdf::Font f, double size, double max_w) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string para;
  while (std::getline(in, para)) {
    std::string line;
    std::istringstream words(para);
    std::string w;
    while (words >> w) {
      while (pdf::text_width(f, w, size) > max_w && width(w) > 1) {  // cut a word longer than the column
        std::size_t keep = width(w);
        while (keep > 1 && pdf::text_width(f, w.substr(0, byte_at(w, keep)), size) > max_w) --keep;
        if (!line.empty()) {
          out.push_back(line);
          line.clear();
        }
        out.push_back(w.substr(0, byte_at(w, keep)));
        w = w.substr(byte_at(w, keep));
      }
      std::string cand = line.empty() ? w : line + " " + w;
      if (line.empty() || pdf::text_width(f, cand, size) <= max_w)
        line = cand;
      else {
        out.push_back(line);
        line = w;
      }
    }
    out.push_back(line);
  }
  if (out.empty()) out.push_back("");
  return out;
}

void pdf_table(PdfLayout& L, const Table& t) {
  const double size = 7.5, lead = 9.2, pad = 3;
  const double avail = PdfLayout::page_w - 2 * PdfLayout::margin;
  const std::size_t n = t.columns.size();
  if (n == 0) return;
  std::vector<double> nat(n, 20);
  for (std::size_t c = 0; c < n; ++c)
    nat[c] = std::max(nat[c], pdf::text_width(pdf::Font::sans_bold, t.columns[c], size) + 2 * pad);
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < n && c < r.size(); ++c)
      nat[c] = std::max(nat[c], std::min(260.0, pdf::text_width(pdf::Font::sans, r[c], size) + 2 * pad));
  // Every column keeps room for the longest word of its header; only the rest is scaled to fit.
  std::vector<double> minw(n, 0);
  for (std::size_t c = 0; c < n; ++c) {
    std::istringstream words(t.columns[c]);
    std::string word;
    while (words >> word) minw[c] = std::max(minw[c], pdf::text_width(pdf::Font::sans_bold, word, size) + 2 * pad);
    minw[c] = std::min(minw[c], nat[c]);
  }
  double sum = 0, sum_min = 0;
  for (std::size_t c = 0; c < n; ++c) {
    sum += nat[c];
    sum_min += minw[c];
  }
  std::vector<double> w(n);
  for (std::size_t c = 0; c < n; ++c) {
    if (sum <= avail) w[c] = nat[c];
    else if (sum_min >= avail || sum <= sum_min) w[c] = avail * nat[c] / sum;
    else w[c] = minw[c] + (avail - sum_min) * (nat[c] - minw[c]) / (sum - sum_min);
  }

  auto row = [&](const std::vector<std::string>& cells, bool header) {
    pdf::Font f = header ? pdf::Font::sans_bold : pdf::Font::sans;
    std::vector<std::vector<std::string>> wrapped(n);
    std::size_t lines = 1;
    for (std::size_t c = 0; c < n; ++c) {
      wrapped[c] = wrap_pt(c < cells.size() ? cells[c] : std::string(), f, size, std::max(4.0, w[c] - 2 * pad));
      lines = std::max(lines, wrapped[c].size());
    }
    // A very tall row is split over pages line by line.
    std::size_t done = 0;
    while (done < lines) {
      L.need(lead + 2);
      std::size_t fit = static_cast<std::size_t>((L.y - PdfLayout::margin - PdfLayout::footer - 2) / lead);
      if (fit == 0) fit = 1;
      std::size_t take = std::min(lines - done, fit);
      double top = L.y;
      for (std::size_t l = 0; l < take; ++l) {
        L.y -= lead;
        double x = PdfLayout::margin;
        for (std::size_t c = 0; c < n; ++c) {
          if (done + l < wrapped[c].size() && !wrapped[c][done + l].empty()) {
            L.text(x + pad, size, f, wrapped[c][done + l]);
          }
          x += w[c];
        }
      }
      L.y -= 3;
      L.rule(PdfLayout::margin, avail, header ? 0 : 0.75);
      (void)top;
      done += take;
      if (done < lines) L.new_page();
    }
  };
  if (!t.caption.empty()) {
    L.need(3 * lead);
    L.y -= lead + 2;
    L.text(PdfLayout::margin, 8.5, pdf::Font::sans_bold, t.caption);
  }
  L.need(3 * lead);
  row(t.columns, true);
  std::size_t page_of_header = L.pages.size();
  for (const auto& r : t.rows) {
    if (L.pages.size() != page_of_header) {  // repeat the header on a new page
      row(t.columns, true);
      page_of_header = L.pages.size();
    }
    std::size_t before = L.pages.size();
    row(r, false);
    if (L.pages.size() != before) page_of_header = 0;  // the row moved to a new page: header next time
  }
  if (t.rows.empty()) {
    L.need(lead);
    L.y -= lead;
    L.text(PdfLayout::margin + pad, size, pdf::Font::sans, "(none)");
  }
  L.y -= 6;
}

}  // namespace

std::string render_pdf(const ReportDoc& doc, std::int64_t creation_time, const std::vector<PdfAttachment>& attachments) {
  PdfLayout L;
  L.new_page();
  const double avail = PdfLayout::page_w - 2 * PdfLayout::margin;
  L.y -= 16;
  for (const auto& l : wrap_pt(doc.title, pdf::Font::sans_bold, 15, avail)) {
    L.text(PdfLayout::margin, 15, pdf::Font::sans_bold, l);
    L.y -= 18;
  }
  for (const auto& [k, v] : doc.facts) {
    auto lines = wrap_pt(v, pdf::Font::sans, 9, avail - 150);
    L.need(11.0 * static_cast<double>(lines.size()));
    L.text(PdfLayout::margin, 9, pdf::Font::sans_bold, k);
    for (const auto& l : lines) {
      L.text(PdfLayout::margin + 150, 9, pdf::Font::sans, l);
      L.y -= 11;
    }
  }
  auto notes = [&](const std::vector<std::string>& ns) {
    for (const auto& n : ns) {
      L.y -= 4;
      for (const auto& l : wrap_pt(n, pdf::Font::sans, 8.5, avail)) {
        L.need(11);
        L.text(PdfLayout::margin, 8.5, pdf::Font::sans, l);
        L.y -= 10.5;
      }
    }
  };
  notes(doc.notes);
  for (const auto& s : doc.sections) {
    L.need(60);
    L.y -= 16;
    L.text(PdfLayout::margin, 11.5, pdf::Font::sans_bold, s.heading);
    L.y -= 4;
    L.rule(PdfLayout::margin, avail, 0.3);
    L.y -= 6;
    notes(s.notes);
    for (const auto& t : s.tables) pdf_table(L, t);
  }
  const std::size_t total = L.pages.size();
  for (std::size_t i = 0; i < total; ++i) {
    pdf::DrawOp op;
    op.kind = pdf::DrawOp::Kind::text;
    op.font = pdf::Font::sans;
    op.size = 7;
    op.gray = 0.3;
    op.x = PdfLayout::margin;
    op.y = PdfLayout::margin - 12;
    op.text = doc.title + "  -  page " + std::to_string(i + 1) + " of " + std::to_string(total);
    L.pages[i].ops.push_back(std::move(op));
  }
  pdf::DocumentSpec spec;
  spec.pages = std::move(L.pages);
  spec.title = doc.title;
  spec.creation_time = creation_time;
  for (const auto& a : attachments) spec.attachments.push_back(pdf::AttachmentSpec{a.name, a.mime, a.description, a.data});
  return pdf::write_document(spec);
}

}  // namespace declass::report
