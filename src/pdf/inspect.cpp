// PDF inspection and native release lint with libqpdf (see inspect.hpp). Hostile input is expected:
// every qpdf call is guarded, recursion is bounded, and damage is reported, not repaired silently.
#define POINTERHOLDER_TRANSITION 4
#include "pdf/inspect.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "core/multi_search.hpp"
#include "pdf/writer.hpp"

namespace declass::pdf {

namespace {

constexpr int k_max_depth = 64;

std::string decode_text_bytes(const std::string& raw) {
  // PDF text string: UTF-16BE with BOM, else PDFDocEncoding (≈ WinAnsi for our purposes).
  std::string out;
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE && static_cast<unsigned char>(raw[1]) == 0xFF) {
    return QPDFObjectHandle::newString(raw).getUTF8Value();
  }
  for (unsigned char c : raw) {
    char32_t u = from_winansi(c);
    if (u < 0x80) out += static_cast<char>(u);
    else if (u < 0x800) {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return out;
}

// Names that must not occur anywhere in a release (as keys or values), with the reason.
const std::map<std::string, std::string>& forbidden_names() {
  static const std::map<std::string, std::string> m = {
      {"/JavaScript", "JavaScript"}, {"/JS", "JavaScript"}, {"/OpenAction", "action"}, {"/AA", "action"},
      {"/Launch", "action"}, {"/SubmitForm", "action"}, {"/ImportData", "action"}, {"/GoToR", "action"},
      {"/URI", "action"}, {"/Outlines", "outline"}, {"/XFA", "XFA form"}, {"/StructTreeRoot", "structure tree"},
      {"/ActualText", "ActualText"}, {"/Alt", "Alt text"}, {"/OCProperties", "optional content"},
      {"/OCG", "optional content"}, {"/OC", "optional content"}, {"/Thumb", "thumbnail"}, {"/PieceInfo", "PieceInfo"},
      {"/PageLabels", "page labels"}, {"/LastModified", "LastModified"}, {"/Encrypt", "encryption"},
      {"/RichMedia", "rich media"}, {"/Movie", "movie"}, {"/Sound", "sound"}, {"/GoToE", "action"}};
  return m;
}

// Appends the UTF-8 value of every string directly inside `o` (not through indirect references:
// each indirect object is visited on its own), one per line.
void append_strings(QPDFObjectHandle o, std::string& out, int depth) {
  if (depth > k_max_depth) return;
  if (depth > 0 && o.isIndirect()) return;
  if (o.isString()) {
    out += o.getUTF8Value();
    out += '\n';
  } else if (o.isArray()) {
    int n = o.getArrayNItems();
    for (int i = 0; i < n; ++i) append_strings(o.getArrayItem(i), out, depth + 1);
  } else if (o.isDictionary()) {
    for (const auto& k : o.getKeys()) append_strings(o.getKey(k), out, depth + 1);
  }
}

struct Walker {
  std::set<QPDFObjGen> seen;
  std::vector<std::string>* findings;
  std::set<std::string> reported;

  void names(QPDFObjectHandle o, const std::string& where, int depth) {
    if (depth > k_max_depth) return;
    if (o.isIndirect()) {
      if (seen.count(o.getObjGen())) return;
      seen.insert(o.getObjGen());
    }
    auto flag = [&](const std::string& n) {
      auto it = forbidden_names().find(n);
      if (it == forbidden_names().end()) return;
      std::string msg = it->second + " (" + n + ") in " + where;
      if (reported.insert(msg).second) findings->push_back(msg);
    };
    if (o.isName()) flag(o.getName());
    else if (o.isArray()) {
      int n = o.getArrayNItems();
      for (int i = 0; i < n; ++i) names(o.getArrayItem(i), where, depth + 1);
    } else if (o.isDictionary() || o.isStream()) {
      QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
      for (const auto& k : d.getKeys()) {
        flag(k);
        names(d.getKey(k), where, depth + 1);
      }
    }
  }
};

void reach(QPDFObjectHandle o, std::set<QPDFObjGen>& seen, int depth) {
  if (depth > 10000) return;
  // iterative-ish: bounded recursion over containers
  if (o.isIndirect()) {
    if (!seen.insert(o.getObjGen()).second) return;
  }
  if (o.isArray()) {
    int n = o.getArrayNItems();
    for (int i = 0; i < n; ++i) reach(o.getArrayItem(i), seen, depth + 1);
  } else if (o.isDictionary()) {
    for (const auto& k : o.getKeys()) reach(o.getKey(k), seen, depth + 1);
  } else if (o.isStream()) {
    reach(o.getDict(), seen, depth + 1);
  }
}

// ---- text extraction -------------------------------------------------------------------------

struct FontInfo {
  int first = 0;
  std::vector<double> widths;  // /Widths in 1/1000
  double missing = 500;
};

FontInfo font_info(QPDFObjectHandle font) {
  FontInfo fi;
  if (!font.isDictionary()) return fi;
  if (font.getKey("/FirstChar").isInteger()) fi.first = font.getKey("/FirstChar").getIntValueAsInt();
  QPDFObjectHandle w = font.getKey("/Widths");
  if (w.isArray()) {
    int n = std::min(w.getArrayNItems(), 4096);
    for (int i = 0; i < n; ++i) {
      QPDFObjectHandle x = w.getArrayItem(i);
      fi.widths.push_back(x.isNumber() ? x.getNumericValue() : 0);
    }
  }
  QPDFObjectHandle fd = font.getKey("/FontDescriptor");
  if (fd.isDictionary() && fd.getKey("/MissingWidth").isNumber()) fi.missing = fd.getKey("/MissingWidth").getNumericValue();
  return fi;
}

struct Run {
  double x, y, size;
  std::string text;
  double width;
};

class TextCollector : public QPDFObjectHandle::ParserCallbacks {
 public:
  TextCollector(QPDFObjectHandle resources, std::set<std::string>& used, bool& invisible, std::map<QPDFObjGen, FontInfo>& cache)
      : m_res(resources), m_used(used), m_invisible(invisible), m_cache(cache) {}
  std::vector<Run> runs;

  void handleObject(QPDFObjectHandle o) override {
    if (!o.isOperator()) {
      if (m_stack.size() < 1000) m_stack.push_back(o);
      return;
    }
    std::string op = o.getOperatorValue();
    auto num = [&](std::size_t i) -> double {
      return i < m_stack.size() && m_stack[i].isNumber() ? m_stack[i].getNumericValue() : 0.0;
    };
    std::size_t n = m_stack.size();
    if (op == "BT") {
      m_tm = {1, 0, 0, 1, 0, 0};
      m_tlm = m_tm;
    } else if (op == "Tf" && n >= 2) {
      if (m_stack[n - 2].isName()) {
        std::string name = m_stack[n - 2].getName();
        m_used.insert("/Font " + name);
        QPDFObjectHandle fonts = m_res.isDictionary() ? m_res.getKey("/Font") : QPDFObjectHandle::newNull();
        QPDFObjectHandle f = fonts.isDictionary() ? fonts.getKey(name) : QPDFObjectHandle::newNull();
        if (f.isIndirect()) {
          auto it = m_cache.find(f.getObjGen());
          if (it == m_cache.end()) it = m_cache.emplace(f.getObjGen(), font_info(f)).first;
          m_font = it->second;
        } else {
          m_font = font_info(f);
        }
      }
      m_size = num(n - 1);
    } else if (op == "Tm" && n >= 6) {
      m_tm = {num(n - 6), num(n - 5), num(n - 4), num(n - 3), num(n - 2), num(n - 1)};
      m_tlm = m_tm;
    } else if ((op == "Td" || op == "TD") && n >= 2) {
      double tx = num(n - 2), ty = num(n - 1);
      m_tlm[4] += tx * m_tlm[0] + ty * m_tlm[2];
      m_tlm[5] += tx * m_tlm[1] + ty * m_tlm[3];
      m_tm = m_tlm;
      if (op == "TD") m_leading = -ty;
    } else if (op == "TL" && n >= 1) {
      m_leading = num(n - 1);
    } else if (op == "T*") {
      next_line();
    } else if (op == "Tr" && n >= 1) {
      if (static_cast<int>(num(n - 1)) == 3) m_invisible = true;
    } else if (op == "Tj" && n >= 1) {
      show(m_stack[n - 1]);
    } else if (op == "'" && n >= 1) {
      next_line();
      show(m_stack[n - 1]);
    } else if (op == "\"" && n >= 1) {
      next_line();
      show(m_stack[n - 1]);
    } else if (op == "TJ" && n >= 1 && m_stack[n - 1].isArray()) {
      QPDFObjectHandle a = m_stack[n - 1];
      int k = a.getArrayNItems();
      for (int i = 0; i < k; ++i) {
        QPDFObjectHandle it = a.getArrayItem(i);
        if (it.isString()) show(it);
        else if (it.isNumber()) {
          double adj = -it.getNumericValue() / 1000.0 * m_size;
          if (adj > m_size * 0.25) {  // a visible gap: separate words
            runs.push_back({m_tm[4], m_tm[5], m_size, " ", 0});
          }
          m_tm[4] += adj * m_tm[0];
        }
      }
    } else if (op == "Do" && n >= 1 && m_stack[n - 1].isName()) {
      m_used.insert("/XObject " + m_stack[n - 1].getName());
    } else if (op == "gs" && n >= 1 && m_stack[n - 1].isName()) {
      m_used.insert("/ExtGState " + m_stack[n - 1].getName());
    }
    m_stack.clear();
  }
  void handleEOF() override {}

 private:
  void next_line() {
    m_tlm[4] += -m_leading * m_tlm[2];
    m_tlm[5] += -m_leading * m_tlm[3];
    m_tm = m_tlm;
  }
  void show(QPDFObjectHandle s) {
    if (!s.isString()) return;
    std::string raw = s.getStringValue();
    double w = 0;
    std::string text;
    for (unsigned char c : raw) {
      int idx = static_cast<int>(c) - m_font.first;
      double gw = idx >= 0 && idx < static_cast<int>(m_font.widths.size()) ? m_font.widths[static_cast<std::size_t>(idx)] : m_font.missing;
      w += gw / 1000.0 * m_size;
      char32_t u = from_winansi(c);
      if (u < 0x80) text += static_cast<char>(u);
      else if (u < 0x800) {
        text += static_cast<char>(0xC0 | (u >> 6));
        text += static_cast<char>(0x80 | (u & 0x3F));
      } else {
        text += static_cast<char>(0xE0 | (u >> 12));
        text += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (u & 0x3F));
      }
    }
    double scale = std::sqrt(m_tm[0] * m_tm[0] + m_tm[1] * m_tm[1]);
    runs.push_back({m_tm[4], m_tm[5], m_size * (scale > 0 ? scale : 1), text, w * (scale > 0 ? scale : 1)});
    m_tm[4] += w * m_tm[0];
    m_tm[5] += w * m_tm[1];
  }

  QPDFObjectHandle m_res;
  std::set<std::string>& m_used;
  bool& m_invisible;
  std::map<QPDFObjGen, FontInfo>& m_cache;
  std::vector<QPDFObjectHandle> m_stack;
  std::array<double, 6> m_tm{1, 0, 0, 1, 0, 0}, m_tlm{1, 0, 0, 1, 0, 0};
  double m_size = 0, m_leading = 0;
  FontInfo m_font;
};

std::string runs_to_text(std::vector<Run> runs) {
  std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) {
    if (std::fabs(a.y - b.y) > 1.0) return a.y > b.y;
    return a.x < b.x;
  });
  std::string out;
  double line_y = 1e300, end_x = 0;
  for (const auto& r : runs) {
    if (std::fabs(r.y - line_y) > 1.0) {
      if (!out.empty()) out += '\n';
      line_y = r.y;
    } else if (r.x - end_x > r.size * 0.3 && !out.empty() && out.back() != ' ') {
      out += ' ';
    }
    out += r.text;
    end_x = r.x + r.width;
  }
  return out;
}

}  // namespace

std::string normalize_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '-' || c == '\xad') {
      // hyphen followed by a line break → join
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
      if (j < text.size() && text[j] == '\n') {
        i = j;
        while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\r' || text[i + 1] == '\t')) ++i;
        continue;
      }
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  }
  return out;
}

PdfInspection inspect_pdf(std::string_view bytes) {
  PdfInspection ins;
  for (std::size_t p = bytes.find("startxref"); p != std::string_view::npos; p = bytes.find("startxref", p + 9))
    ++ins.startxref_sections;
  QPDF q;
  q.setSuppressWarnings(true);
  q.setAttemptRecovery(false);
  try {
    q.processMemoryFile("input.pdf", bytes.data(), bytes.size());
  } catch (const std::exception& e) {
    ins.parse_error = e.what();
    return ins;
  }
  try {
    ins.encrypted = q.isEncrypted();
    QPDFObjectHandle trailer = q.getTrailer();
    // Reachability and all objects (incl. unreferenced).
    std::set<QPDFObjGen> reachable;
    reach(trailer, reachable, 0);
    ins.reachable_objects = reachable.size();
    std::vector<QPDFObjectHandle> all = q.getAllObjects();
    ins.xref_objects = all.size();
    Walker walker;
    walker.findings = &ins.findings;
    for (auto& o : all) {
      // The object itself (not "n 0 R": getAllObjects returns indirect handles), then every string in
      // it decoded to UTF-8, so a term in a UTF-16 or escaped string is found too.
      QPDFObjectHandle body = o.isStream() ? o.getDict() : o;
      ins.decoded_objects += body.unparseResolved();
      ins.decoded_objects += '\n';
      append_strings(body, ins.decoded_objects, 0);
      if (o.isStream()) {
        try {
          auto buf = o.getStreamData(qpdf_dl_all);
          ins.decoded_objects.append(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
          ins.decoded_objects += '\n';
        } catch (const std::exception& e) {
          ins.warnings.push_back("stream " + o.getObjGen().unparse(' ') + " cannot be decoded: " + e.what());
        }
      }
      walker.names(o, "object " + o.getObjGen().unparse(' '), 0);
    }
    walker.names(trailer, "trailer", 0);
    // Info
    QPDFObjectHandle info = trailer.getKey("/Info");
    if (info.isDictionary())
      for (const auto& k : info.getKeys()) {
        QPDFObjectHandle v = info.getKey(k);
        ins.info[k.substr(1)] = v.isString() ? decode_text_bytes(v.getStringValue()) : v.unparse();
      }
    QPDFObjectHandle root = q.getRoot();
    QPDFObjectHandle md = root.getKey("/Metadata");
    if (md.isStream()) {
      auto buf = md.getStreamData(qpdf_dl_all);
      ins.xmp.assign(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
    }
    // Attachments
    QPDFEmbeddedFileDocumentHelper efdh(q);
    for (auto& [name, fs] : efdh.getEmbeddedFiles()) {
      Attachment a;
      a.name = name;
      QPDFEFStreamObjectHelper ef(fs->getEmbeddedFileStream());
      a.mime = ef.getSubtype();
      try {
        auto buf = ef.getObjectHandle().getStreamData(qpdf_dl_all);
        a.data.assign(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
      } catch (const std::exception& e) {
        ins.warnings.push_back("attachment " + name + " cannot be decoded: " + e.what());
      }
      ins.attachments.push_back(std::move(a));
    }
    // Signatures: every dictionary with /ByteRange (in fields or not).
    for (auto& o : all) {
      QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
      if (!d.isDictionary()) continue;
      if (d.getKey("/FT").isName()) ins.fields.push_back(d.getKey("/FT").getName());
      if (d.getKey("/Type").isName() && d.getKey("/Type").getName() == "/Annot" && d.getKey("/Subtype").isName())
        ins.annotation_subtypes.push_back(d.getKey("/Subtype").getName());
      else if (d.hasKey("/Rect") && d.getKey("/Subtype").isName() && d.hasKey("/P"))
        ins.annotation_subtypes.push_back(d.getKey("/Subtype").getName());
      if (!d.hasKey("/ByteRange")) continue;
      SignatureDict s;
      if (d.getKey("/Filter").isName()) s.filter = d.getKey("/Filter").getName();
      if (d.getKey("/SubFilter").isName()) s.sub_filter = d.getKey("/SubFilter").getName();
      QPDFObjectHandle br = d.getKey("/ByteRange");
      if (br.isArray())
        for (int i = 0; i < br.getArrayNItems() && i < 16; ++i)
          s.byte_range.push_back(br.getArrayItem(i).isInteger() ? br.getArrayItem(i).getIntValue() : -1);
      if (d.getKey("/Contents").isString()) s.contents = d.getKey("/Contents").getStringValue();
      // The hole: bytes[b1, b2) must be "<" + hex(contents) + ">".
      if (s.byte_range.size() != 4) s.problem = "/ByteRange does not have 4 numbers";
      else {
        long long a0 = s.byte_range[0], a1 = s.byte_range[1], b0 = s.byte_range[2], b1 = s.byte_range[3];
        auto size = static_cast<long long>(bytes.size());
        if (a0 != 0 || a1 <= 0 || b0 <= a1 || b1 < 0 || b0 + b1 > size || a1 > size) s.problem = "/ByteRange is out of bounds";
        else {
          std::string_view hole = bytes.substr(static_cast<std::size_t>(a1), static_cast<std::size_t>(b0 - a1));
          static const char* hex = "0123456789abcdef";
          std::string want = "<";
          for (unsigned char c : s.contents) {
            want += hex[c >> 4];
            want += hex[c & 15];
          }
          want += ">";
          std::string got(hole);
          std::transform(got.begin(), got.end(), got.begin(), [](char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c + 32) : c; });
          if (got == want) s.hole_ok = true;
          else s.problem = "the bytes excluded by /ByteRange are not exactly the /Contents value";
        }
      }
      // Field name: look for the field whose /V is this object.
      ins.signatures.push_back(std::move(s));
    }
    for (auto& o : all) {
      if (!o.isDictionary() || !o.getKey("/V").isIndirect() || !o.getKey("/T").isString()) continue;
      QPDFObjectHandle v = o.getKey("/V");
      if (!v.hasKey("/ByteRange")) continue;
      for (std::size_t i = 0; i < ins.signatures.size(); ++i)
        if (ins.signatures[i].field_name.empty()) {
          ins.signatures[i].field_name = o.getKey("/T").getUTF8Value();
          break;
        }
    }
    // Pages: text and resource use.
    int pno = 0;
    std::map<QPDFObjGen, FontInfo> font_cache;
    for (auto& ph : QPDFPageDocumentHelper(q).getAllPages()) {
      ++pno;
      QPDFObjectHandle res = ph.getAttribute("/Resources", false);
      std::set<std::string> used;
      TextCollector tc(res, used, ins.invisible_text, font_cache);
      try {
        ph.parseContents(&tc);
      } catch (const std::exception& e) {
        ins.warnings.push_back("page " + std::to_string(pno) + " content cannot be parsed: " + e.what());
      }
      ins.page_text.push_back(runs_to_text(tc.runs));
      if (res.isDictionary())
        for (const char* cat : {"/Font", "/XObject", "/ExtGState"}) {
          QPDFObjectHandle d = res.getKey(cat);
          if (!d.isDictionary()) continue;
          for (const auto& k : d.getKeys())
            if (!used.count(std::string(cat) + " " + k))
              ins.unused_resources.push_back("page " + std::to_string(pno) + ": " + cat + " " + k);
        }
    }
    ins.pages = pno;
    for (auto& w : q.getWarnings()) ins.warnings.push_back(w.what());
    ins.parsed = true;
  } catch (const std::exception& e) {
    ins.parse_error = e.what();
    ins.parsed = false;
  }
  return ins;
}

std::vector<LintCheck> lint_release(const PdfInspection& ins, std::string_view bytes, const LintOptions& opt) {
  std::vector<LintCheck> out;
  auto add = [&](std::string name, bool ok, std::string detail = {}) { out.push_back({std::move(name), ok, std::move(detail)}); };
  add("parses without damage (qpdf)", ins.parsed && ins.warnings.empty(),
      ins.parsed ? (ins.warnings.empty() ? "" : ins.warnings.front()) : ins.parse_error);
  if (!ins.parsed) return out;
  int allowed = 1 + (opt.signed_release ? 1 : 0);
  add(opt.signed_release ? "single revision plus exactly one signature update" : "single revision (no incremental updates)",
      ins.startxref_sections >= 1 && ins.startxref_sections <= allowed, std::to_string(ins.startxref_sections) + " startxref sections");
  std::string all_text;
  for (const auto& t : ins.page_text) all_text += t + "\n";
  std::string norm_text = normalize_for_search(all_text);
  // Terms are withheld text: the report names them by position and length only, so a verification
  // report (often kept in pipeline logs) never repeats what was withheld. All terms are searched in
  // one pass per place (MultiSearch); a failing term gets its own check, passing ones one check per place.
  if (!opt.terms.empty()) {
    std::vector<std::string> normalized;
    normalized.reserve(opt.terms.size());
    for (const auto& t : opt.terms) normalized.push_back(t.empty() ? std::string() : normalize_for_search(t));
    const std::vector<bool> in_text = MultiSearch(normalized).occurs(norm_text);
    const MultiSearch raw(opt.terms);
    const std::vector<bool> in_objects = raw.occurs(ins.decoded_objects);
    const std::vector<bool> in_bytes = raw.occurs(bytes);
    std::size_t failures = 0;
    for (std::size_t i = 0; i < opt.terms.size(); ++i) {
      const std::string& t = opt.terms[i];
      if (t.empty()) continue;
      std::string name = "withheld term #" + std::to_string(i + 1) + " (" + std::to_string(t.size()) + " bytes)";
      if (in_text[i]) add(name + " absent from extracted text", false), ++failures;
      if (in_objects[i]) add(name + " absent from decoded objects", false), ++failures;
      if (in_bytes[i]) add(name + " absent from raw bytes", false), ++failures;
    }
    if (failures == 0) {
      std::string n = std::to_string(opt.terms.size());
      add("all " + n + " withheld terms absent from extracted text", true);
      add("all " + n + " withheld terms absent from decoded objects", true);
      add("all " + n + " withheld terms absent from raw bytes", true);
    }
  }
  {
    std::string bad;
    for (const auto& [k, v] : ins.info)
      if (k != "Title" && k != "Producer" && k != "CreationDate" && k != "ModDate") bad += k + " ";
    add("no /Info entries except Title, Producer, CreationDate, ModDate", bad.empty(), bad);
  }
  if (opt.allow_xmp) add("XMP is our own packet", ins.xmp.empty() || ins.xmp.find("xmlns:rr=") != std::string::npos);
  else add("no XMP metadata", ins.xmp.empty());
  {
    std::string bad;
    for (const auto& a : ins.attachments)
      if (std::find(opt.allowed_attachments.begin(), opt.allowed_attachments.end(), a.name) == opt.allowed_attachments.end())
        bad += a.name + " ";
    add("no embedded files except the audit excerpt", bad.empty(), bad);
  }
  {
    std::string js, outline, oc, other;
    for (const auto& f : ins.findings) {
      if (f.rfind("JavaScript", 0) == 0 || f.rfind("action", 0) == 0) js += f + "; ";
      else if (f.rfind("outline", 0) == 0) outline += f + "; ";
      else if (f.rfind("optional content", 0) == 0) oc += f + "; ";
      else other += f + "; ";
    }
    add("no JavaScript / actions", js.empty(), js);
    add("no outlines/bookmarks", outline.empty(), outline);
    add("no optional content (hidden layers)", oc.empty(), oc);
    add("no structure tree, ActualText, Alt, thumbnails, PieceInfo, page labels, encryption dictionaries", other.empty(), other);
  }
  {
    std::string bad;
    for (const auto& f : ins.fields)
      if (!(opt.signed_release && f == "/Sig")) bad += f + " ";
    for (const auto& a : ins.annotation_subtypes)
      if (!(opt.signed_release && a == "/Widget")) bad += "annotation " + a + " ";
    add(opt.signed_release ? "only the signature field and its widget" : "no form fields or annotations", bad.empty(), bad);
  }
  add("no invisible (Tr 3) text", !ins.invisible_text);
  add("no unreferenced objects", ins.xref_objects <= ins.reachable_objects,
      std::to_string(ins.xref_objects) + " objects in xref, " + std::to_string(ins.reachable_objects) + " reachable");
  {
    std::string bad;
    for (const auto& u : ins.unused_resources) bad += u + "; ";
    add("no unused page resources", bad.empty(), bad);
  }
  add("no encryption", !ins.encrypted);
  if (!opt.signed_release) add("no signature dictionaries", ins.signatures.empty());
  return out;
}

}  // namespace declass::pdf
