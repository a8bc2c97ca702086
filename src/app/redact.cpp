// Storeless PDF redaction and the redaction half of a PDF record's release (see redact.hpp):
// code/box/term/regex/rules parsing, RE2 matching on paragraph and line text with a whitespace- and
// hyphenation-tolerant view mapped back to Document::text, areas from glyph rectangles, stamps placed
// from the page boxes, then pdf::redact_pdf. Never logs or reports matched text.
#include "app/redact.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "ingest/pdf_reader.hpp"
#include "markings/grammar.hpp"
#include "pdf/inspect.hpp"
#include "pdf/page_geometry.hpp"
#include "pdf/worker.hpp"
#include "pdf/writer.hpp"

namespace declass::app {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  try {
    std::size_t used = 0;
    out = std::stod(s, &used);
    return used == s.size() && std::isfinite(out);
  } catch (const std::exception&) {
    return false;
  }
}

bool parse_int(const std::string& s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  out = std::stoi(s);
  return true;
}

std::string re2_error_name(RE2::ErrorCode c) {
  switch (c) {
    case RE2::ErrorBadEscape: return "bad escape sequence";
    case RE2::ErrorBadCharClass: return "bad character class";
    case RE2::ErrorBadCharRange: return "bad character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing parenthesis";
    case RE2::ErrorTrailingBackslash: return "trailing backslash";
    case RE2::ErrorRepeatArgument: return "repetition operator without an argument";
    case RE2::ErrorRepeatSize: return "bad repetition size";
    case RE2::ErrorRepeatOp: return "bad repetition operator";
    case RE2::ErrorBadPerlOp: return "bad Perl operator";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "bad named capture";
    case RE2::ErrorPatternTooLarge: return "pattern too large";
    default: return "invalid pattern";
  }
}

// Splits "TEXT:CODES" at the last ':' (codes never contain one).
std::pair<std::string, std::string> split_last_colon(const std::string& arg, const std::string& where, const char* form) {
  std::size_t colon = arg.rfind(':');
  if (colon == std::string::npos)
    throw Error(ErrorCategory::usage, where, std::string("expected ") + form + " (the exemption codes after the last ':', e.g. ...:B6)");
  return {arg.substr(0, colon), arg.substr(colon + 1)};
}

// A view of paragraph or line text for matching: whitespace runs collapsed to one space; at a line break
// after '-' the break is dropped (variant 0: "MILITARY-INDUSTRIAL") or the hyphen too (variant 1:
// "CHIKVISHVILI" from "CHIKVISH-" / "VILI"). pos[i] = index in the original text of view[i].
struct MatchView {
  std::string text;
  std::vector<std::size_t> pos;
};

// End (exclusive) of the UTF-8 character starting at byte i of t.
std::size_t char_end(std::string_view t, std::size_t i) {
  std::size_t e = i + 1;
  while (e < t.size() && (static_cast<unsigned char>(t[e]) & 0xC0) == 0x80) ++e;
  return e;
}

// `line_of(i)` gives the source line of original position i (or -1 for inserted characters).
template <typename LineOf>
MatchView build_view(std::string_view t, LineOf line_of, int variant, bool* has_hyphen_break) {
  MatchView v;
  v.text.reserve(t.size());
  v.pos.reserve(t.size());
  std::size_t i = 0;
  while (i < t.size()) {
    if (!is_space(t[i])) {
      // "CHIKVISH-" + "VILI" joined without a space by the paragraph builder: a hyphen ending a line
      if (t[i] == '-' && i + 1 < t.size() && !is_space(t[i + 1])) {
        int la = line_of(i), lb = line_of(i + 1);
        if (la >= 0 && lb >= 0 && la != lb) {
          if (has_hyphen_break) *has_hyphen_break = true;
          if (variant == 1) {
            ++i;
            continue;
          }
        }
      }
      // Typographic quotes match their ASCII forms: O'NEIL finds O’NEIL (U+2018/2019 → ', U+201C/201D → ").
      if (static_cast<unsigned char>(t[i]) == 0xE2 && i + 2 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0x80) {
        unsigned char c3 = static_cast<unsigned char>(t[i + 2]);
        char ascii = (c3 == 0x98 || c3 == 0x99) ? '\'' : (c3 == 0x9C || c3 == 0x9D) ? '"' : 0;
        if (ascii) {
          v.text += ascii;
          v.pos.push_back(i);
          i += 3;
          continue;
        }
      }
      v.text += t[i];
      v.pos.push_back(i);
      ++i;
      continue;
    }
    std::size_t a = i;
    while (i < t.size() && is_space(t[i])) ++i;
    std::size_t b = i;  // run [a, b)
    if (a == 0 || b >= t.size()) continue;  // leading/trailing whitespace
    bool line_break = false;
    int la = line_of(a - 1), lb = line_of(b);
    if (la >= 0 && lb >= 0 && la != lb) line_break = true;
    for (std::size_t k = a; k < b && !line_break; ++k)
      if (t[k] == '\n' || t[k] == '\f' || t[k] == '\r' || line_of(k) < 0) line_break = true;
    if (line_break && t[a - 1] == '-') {
      if (has_hyphen_break) *has_hyphen_break = true;
      if (variant == 1 && !v.text.empty() && v.text.back() == '-') {
        v.text.pop_back();
        v.pos.pop_back();
      }
      continue;
    }
    v.text += ' ';
    v.pos.push_back(a);
  }
  return v;
}

std::string join_codes_text(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + release::stamp_code(c);
  return out;
}

pdf::Box to_box(const ingest::PageRect& r) { return pdf::Box{r.x0, r.y0, r.x1, r.y1}; }

double round2(double v) { return std::round(v * 100.0) / 100.0; }

// Header lines of `declass redact --stamp`: left-aligned at the top margin of every page as displayed
// (after /Rotate), shrunk to fit.
std::vector<pdf::StampText> header_stamps(const std::vector<std::string>& lines, const std::vector<pdf::PageGeometry>& geo) {
  std::vector<pdf::StampText> out;
  if (lines.empty() || geo.empty()) return out;
  bool uniform = std::all_of(geo.begin(), geo.end(), [&](const pdf::PageGeometry& g) {
    return std::abs(g.box.x0 - geo[0].box.x0) < 0.01 && std::abs(g.box.x1 - geo[0].box.x1) < 0.01 &&
           std::abs(g.box.y0 - geo[0].box.y0) < 0.01 && std::abs(g.box.y1 - geo[0].box.y1) < 0.01 && g.rotate == geo[0].rotate;
  });
  std::size_t n = uniform ? 1 : geo.size();
  for (std::size_t p = 0; p < n; ++p) {
    const pdf::Box b = pdf::display_box(geo[p].box, geo[p].rotate);  // stamps read upright on rotated pages
    double margin = std::min(36.0, (b.x1 - b.x0) / 10);
    double avail = (b.x1 - b.x0) - 2 * margin;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      pdf::StampText s;
      s.page = uniform ? 0 : static_cast<int>(p + 1);
      s.bold = true;
      s.size = 9;
      double w = pdf::text_width(pdf::Font::sans_bold, lines[k], s.size);
      if (w > avail && w > 0) s.size = std::max(4.0, s.size * avail / w);
      s.x = b.x0 + margin;
      s.y = b.y1 - std::min(18.0, (b.y1 - b.y0) / 20) - static_cast<double>(k) * (s.size + 2);
      s.text = lines[k];
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

// ---- codes, specs, rules ----

std::vector<std::string> parse_exemption_codes(const std::string& list, const std::string& where) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string piece = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::vector<std::string> tokens = split_ws(piece);
    std::string prev_raw;
    for (const auto& tok : tokens) {
      if (auto c = markings::canonical_exemption(tok)) {
        out.push_back(*c);
        prev_raw = tok;
        continue;
      }
      // "(b) (3)" or "B3 NATSECACT1947": the token continues the previous one
      if (!prev_raw.empty()) {
        if (auto c = markings::canonical_exemption(prev_raw + " " + tok)) {
          out.back() = *c;
          prev_raw += " " + tok;
          continue;
        }
      } else if (auto c = markings::canonical_exemption(piece)) {
        out.push_back(*c);
        break;
      }
      throw Error(ErrorCategory::usage, where,
                  "unknown exemption code '" + tok + "'; use forms like B6, (b)(6), B7(C), B1,1.4(D) or 25X1");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.empty())
    throw Error(ErrorCategory::usage, where, "no exemption code given; add the codes after the last ':' (e.g. :B6 or :B1,1.4(D))");
  return out;
}

std::string label_for_codes(const std::vector<std::string>& codes) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& c : codes) {
    std::string s = release::stamp_code(c);
    if (s.empty() || !seen.insert(s).second) continue;
    out += (out.empty() ? "" : " ") + s;
  }
  return out.empty() ? "WITHHELD" : out;
}

BoxSpec parse_box_spec(const std::string& arg, std::size_t index) {
  std::string where = "--box #" + std::to_string(index);
  const char* form = "PAGE:x0,y0,x1,y1:CODES, e.g. 2:72,500,300,520:B6 (points from the lower-left corner)";
  std::size_t c1 = arg.find(':');
  std::size_t c2 = c1 == std::string::npos ? std::string::npos : arg.find(':', c1 + 1);
  if (c1 == std::string::npos || c2 == std::string::npos)
    throw Error(ErrorCategory::usage, where, std::string("expected ") + form);
  BoxSpec b;
  if (!parse_int(trim(arg.substr(0, c1)), b.page) || b.page < 1)
    throw Error(ErrorCategory::usage, where, "page must be a whole number >= 1; expected " + std::string(form));
  std::string coords = arg.substr(c1 + 1, c2 - c1 - 1);
  double v[4];
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t comma = coords.find(',', start);
    if ((i < 3) != (comma != std::string::npos))
      throw Error(ErrorCategory::usage, where, "needs exactly four comma-separated coordinates; expected " + std::string(form));
    std::string s = trim(coords.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!parse_double(s, v[i]))
      throw Error(ErrorCategory::usage, where, "coordinate '" + s + "' is not a number; expected " + std::string(form));
    start = comma == std::string::npos ? coords.size() : comma + 1;
  }
  if (!(v[2] > v[0]) || !(v[3] > v[1]))
    throw Error(ErrorCategory::usage, where, "needs x1 > x0 and y1 > y0 (lower-left corner first); expected " + std::string(form));
  b.box = pdf::Box{v[0], v[1], v[2], v[3]};
  b.codes = parse_exemption_codes(arg.substr(c2 + 1), where);
  return b;
}

PatternSpec parse_term_spec(const std::string& arg, std::size_t index) {
  PatternSpec p;
  p.origin = "term #" + std::to_string(index);
  auto [text, codes] = split_last_colon(arg, "--term #" + std::to_string(index), "TEXT:CODES");
  p.literal = true;
  p.pattern = text;
  if (trim(text).empty()) throw Error(ErrorCategory::usage, "--term #" + std::to_string(index), "the text to redact is empty");
  p.codes = parse_exemption_codes(codes, "--term #" + std::to_string(index));
  p.label = label_for_codes(p.codes);
  return p;
}

PatternSpec parse_regex_spec(const std::string& arg, std::size_t index) {
  PatternSpec p;
  p.origin = "regex #" + std::to_string(index);
  auto [text, codes] = split_last_colon(arg, "--regex #" + std::to_string(index), "RE:CODES");
  p.literal = false;
  p.pattern = text;
  if (text.empty()) throw Error(ErrorCategory::usage, "--regex #" + std::to_string(index), "the regular expression is empty");
  p.codes = parse_exemption_codes(codes, "--regex #" + std::to_string(index));
  p.label = label_for_codes(p.codes);
  return p;
}

std::vector<PatternSpec> parse_rules_tsv(std::string_view text, const std::string& source_name) {
  std::vector<PatternSpec> out;
  std::size_t i = 0;
  int line_no = 0;
  std::string base = source_name;
  if (auto slash = base.find_last_of('/'); slash != std::string::npos) base = base.substr(slash + 1);
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string line(text.substr(i, j - i));
    i = j + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    std::string where = source_name + ":" + std::to_string(line_no);
    std::size_t t1 = line.find('\t');
    std::size_t t2 = t1 == std::string::npos ? std::string::npos : line.find('\t', t1 + 1);
    if (t2 == std::string::npos)
      throw Error(ErrorCategory::input, where, "expected label<TAB>lit|re<TAB>pattern");
    std::string label = line.substr(0, t1), kind = trim(line.substr(t1 + 1, t2 - t1 - 1)), pattern = line.substr(t2 + 1);
    if (kind != "lit" && kind != "re") throw Error(ErrorCategory::input, where, "kind must be 'lit' or 're', not '" + kind + "'");
    if (pattern.empty()) throw Error(ErrorCategory::input, where, "empty pattern");
    PatternSpec p;
    p.literal = kind == "lit";
    p.pattern = pattern;
    try {
      p.codes = parse_exemption_codes(label, where);
    } catch (const Error& e) {
      throw Error(ErrorCategory::input, where, e.message());
    }
    p.label = label_for_codes(p.codes);
    p.origin = base + " line " + std::to_string(line_no);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<PatternSpec> load_rules_tsv(const std::string& path) {
  return parse_rules_tsv(io::read_file(path, 16u << 20), path);
}

// ---- matcher ----

struct PatternMatcher::Impl {
  std::vector<PatternSpec> specs;
  std::vector<std::unique_ptr<RE2>> res;
  std::unique_ptr<RE2::Set> set;

  void match_view(const MatchView& v, std::vector<int>& ids, const std::function<void(std::size_t, std::size_t, std::size_t)>& emit) const {
    if (!set || v.text.empty()) return;
    ids.clear();
    if (!set->Match(v.text, &ids)) return;
    std::sort(ids.begin(), ids.end());
    for (int id : ids) {
      if (id < 0 || static_cast<std::size_t>(id) >= res.size()) continue;
      const RE2& re = *res[static_cast<std::size_t>(id)];
      re2::StringPiece input(v.text);
      std::size_t pos = 0;
      re2::StringPiece m;
      while (pos <= v.text.size() && re.Match(input, pos, v.text.size(), RE2::UNANCHORED, &m, 1)) {
        std::size_t b = static_cast<std::size_t>(m.data() - v.text.data());
        std::size_t e = b + m.size();
        if (e > b) {
          emit(static_cast<std::size_t>(id), b, e);
          pos = e;
        } else {
          pos = b + 1;
        }
      }
    }
  }
};

PatternMatcher::PatternMatcher(std::vector<PatternSpec> patterns, bool case_sensitive) : m_impl(std::make_unique<Impl>()) {
  m_impl->specs = std::move(patterns);
  RE2::Options opt;
  opt.set_log_errors(false);
  opt.set_max_mem(64 << 20);
  if (m_impl->specs.empty()) return;
  m_impl->set = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
  for (const auto& p : m_impl->specs) {
    std::string src;
    if (p.literal) {
      // whitespace in a term matches one collapsed space of the view
      std::vector<std::string> words = split_ws(p.pattern);
      for (std::size_t k = 0; k < words.size(); ++k) src += (k ? " " : "") + RE2::QuoteMeta(words[k]);
      if (!case_sensitive) src = "(?i)" + src;
    } else {
      src = p.pattern;
    }
    auto re = std::make_unique<RE2>(src, opt);
    if (!re->ok())
      throw Error(ErrorCategory::usage, p.origin, "is not a valid RE2 regular expression (" + re2_error_name(re->error_code()) + ")");
    std::string err;
    if (m_impl->set->Add(src, &err) < 0)
      throw Error(ErrorCategory::usage, p.origin, "is not a valid RE2 regular expression");
    m_impl->res.push_back(std::move(re));
  }
  if (!m_impl->set->Compile()) throw Error(ErrorCategory::usage, "patterns", "too many or too large patterns for RE2 (memory limit)");
}

PatternMatcher::~PatternMatcher() = default;
PatternMatcher::PatternMatcher(PatternMatcher&&) noexcept = default;
PatternMatcher& PatternMatcher::operator=(PatternMatcher&&) noexcept = default;
const std::vector<PatternSpec>& PatternMatcher::patterns() const { return m_impl->specs; }

std::vector<TextMatch> PatternMatcher::find(const ingest::Document& doc) const {
  std::vector<TextMatch> out;
  if (!m_impl->set) return out;
  std::set<std::pair<std::size_t, std::vector<std::pair<std::size_t, std::size_t>>>> seen;
  std::vector<int> ids;
  auto add = [&](std::size_t pattern, std::vector<std::pair<std::size_t, std::size_t>> ranges) {
    ranges.erase(std::remove_if(ranges.begin(), ranges.end(), [&](const auto& r) { return r.second <= r.first || r.second > doc.text.size(); }),
                 ranges.end());
    if (ranges.empty()) return;
    if (!seen.insert({pattern, ranges}).second) return;
    out.push_back(TextMatch{std::move(ranges), pattern});
  };
  // Paragraphs: the text a reader sees, across line breaks and hyphenated line ends.
  for (const auto& p : doc.paragraphs) {
    std::vector<int> line_at(p.text.size(), -1);
    for (const auto& s : p.segments)
      for (std::size_t k = 0; k < s.length && s.text_begin + k < line_at.size(); ++k) line_at[s.text_begin + k] = s.line;
    auto line_of = [&](std::size_t i) { return i < line_at.size() ? line_at[i] : -1; };
    bool hyphen_break = false;
    for (int variant = 0; variant < 2; ++variant) {
      if (variant == 1 && !hyphen_break) break;
      MatchView v = build_view(p.text, line_of, variant, variant == 0 ? &hyphen_break : nullptr);
      m_impl->match_view(v, ids, [&](std::size_t id, std::size_t b, std::size_t e) {
        std::size_t pb = v.pos[b], pe = char_end(p.text, v.pos[e - 1]);
        add(id, p.source_ranges(pb, pe));
      });
    }
  }
  // Lines: page furniture and everything outside paragraphs (duplicates of paragraph matches drop out).
  for (const auto& l : doc.lines) {
    if (l.offset > doc.text.size()) continue;
    std::string_view t = std::string_view(doc.text).substr(l.offset, std::min(l.length, doc.text.size() - l.offset));
    MatchView v = build_view(t, [](std::size_t) { return 0; }, 0, nullptr);
    m_impl->match_view(v, ids, [&](std::size_t id, std::size_t b, std::size_t e) {
      add(id, {{l.offset + v.pos[b], l.offset + char_end(t, v.pos[e - 1])}});
    });
  }
  // Pairs of lines that no paragraph joins (a stamp or header line followed by a body line, a body line
  // and the page footer, two furniture lines): a match across their break ("POC IS MARY" / "SMITH").
  // Matches that stay on one line were found above.
  std::vector<const ingest::Paragraph*> paragraph_of(doc.lines.size() + 2, nullptr);  // by 1-based line number
  for (const auto& p : doc.paragraphs)
    for (const auto& s : p.segments)
      if (s.line >= 1 && static_cast<std::size_t>(s.line) < paragraph_of.size()) paragraph_of[static_cast<std::size_t>(s.line)] = &p;
  // Across blank lines only where a paragraph really ends (or begins): one that goes on past the blank
  // lines and the footer is matched whole by the paragraph pass, and joining it to the footer would only
  // remove the footer.
  auto ends_paragraph = [](const ingest::Line& l, const ingest::Paragraph* p) { return !p || p->last_line == l.number; };
  auto starts_paragraph = [](const ingest::Line& l, const ingest::Paragraph* p) { return !p || p->first_line == l.number; };
  auto line_text = [&](const ingest::Line& l) {
    std::size_t off = std::min(l.offset, doc.text.size());
    return std::string_view(doc.text).substr(off, std::min(l.length, doc.text.size() - off));
  };
  auto blank = [](std::string_view t) { return std::all_of(t.begin(), t.end(), [](char ch) { return is_space(ch); }); };
  auto para = [&](const ingest::Line& l) -> const ingest::Paragraph* {
    auto n = static_cast<std::size_t>(std::max(l.number, 0));
    return n < paragraph_of.size() ? paragraph_of[n] : nullptr;
  };
  std::string joined;
  for (std::size_t k = 0; k + 1 < doc.lines.size(); ++k) {
    const ingest::Line& la = doc.lines[k];
    std::string_view ta = line_text(la);
    if (blank(ta)) continue;
    // The next non-blank line. Up to 3 blank lines are skipped on the same page when one of the two
    // lines is outside every paragraph (a stamp, a header or footer): the safe side at such a seam is
    // to remove too much — a name cut off by the page footer is still matched, footer included.
    std::size_t j = k + 1;
    while (j < doc.lines.size() && j <= k + 4 && blank(line_text(doc.lines[j])) && doc.lines[j].page == la.page) ++j;
    if (j >= doc.lines.size() || blank(line_text(doc.lines[j]))) continue;
    const ingest::Line& lb = doc.lines[j];
    if (j > k + 1 && (lb.page != la.page || (para(la) && para(lb)))) continue;
    if (para(la) && para(la) == para(lb)) continue;
    std::string_view tb = line_text(lb);
    if (j > k + 1 && (!ends_paragraph(la, para(la)) || !starts_paragraph(lb, para(lb)))) continue;
    joined.assign(ta);
    joined += '\n';
    joined.append(tb);
    const std::size_t split = ta.size();  // index of the '\n'
    auto line_of = [&](std::size_t i) { return i < split ? 0 : i == split ? -1 : 1; };
    bool hyphen_break = false;
    for (int variant = 0; variant < 2; ++variant) {
      if (variant == 1 && !hyphen_break) break;
      MatchView v = build_view(joined, line_of, variant, variant == 0 ? &hyphen_break : nullptr);
      m_impl->match_view(v, ids, [&](std::size_t id, std::size_t b, std::size_t e) {
        std::size_t pb = v.pos[b], pe = char_end(joined, v.pos[e - 1]);
        if (pe <= split || pb > split) return;  // on one line only
        std::size_t a_end = split;
        while (a_end > pb && is_space(joined[a_end - 1])) --a_end;
        std::size_t b_begin = split + 1;
        while (b_begin < pe && is_space(joined[b_begin])) ++b_begin;
        add(id, {{la.offset + pb, la.offset + a_end}, {lb.offset + (b_begin - split - 1), lb.offset + (pe - split - 1)}});
      });
    }
  }
  return out;
}

// ---- verification terms ----

std::vector<std::string> pdf_withheld_terms(const ingest::Document& doc,
                                            const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                                            const std::string& added_text) {
  std::string kept = doc.text;
  for (const auto& [b, e] : ranges)
    for (std::size_t i = b; i < e && i < kept.size(); ++i) kept[i] = '\n';
  const std::string raw_released = kept + "\n" + added_text;
  std::string released = pdf::normalize_for_search(raw_released);
  std::vector<std::string> candidates;
  std::set<std::string> seen;
  for (const auto& [b, e] : ranges) {
    if (b >= e || b >= doc.text.size()) continue;
    std::string_view piece_all = std::string_view(doc.text).substr(b, std::min(e, doc.text.size()) - b);
    std::size_t i = 0;
    while (i <= piece_all.size()) {
      std::size_t j = piece_all.find_first_of("\n\f\r", i);
      if (j == std::string_view::npos) j = piece_all.size();
      std::string piece = trim(piece_all.substr(i, j - i));
      if (!piece.empty() && seen.insert(piece).second) candidates.push_back(piece);
      i = j + 1;
    }
  }
  return release::distinctive_subset(candidates, released, raw_released);
}

namespace {

// Lines through the cancelled classification markings of a PDF source, where they are kept (withheld
// parts are boxed instead), one per line fragment of each range — as a text release draws them.
std::vector<pdf::StrikeLine> cancel_strikes(const ingest::Document& doc, const std::vector<release::CancelRange>& cancel,
                                            std::vector<std::pair<std::size_t, std::size_t>> withheld, double width, int pages) {
  std::sort(withheld.begin(), withheld.end());
  std::vector<std::pair<std::size_t, std::size_t>> kept;
  for (const auto& c : cancel) {
    std::size_t at = c.begin;
    for (const auto& [b, e] : withheld) {
      if (e <= at || b >= c.end) continue;
      if (b > at) kept.emplace_back(at, b);
      at = std::max(at, e);
    }
    if (at < c.end) kept.emplace_back(at, c.end);
  }
  std::vector<pdf::StrikeLine> out;
  for (const auto& r : ingest::rects_for_text_ranges(doc, kept)) {
    if (r.page < 1 || r.page > pages || !(r.x1 > r.x0)) continue;
    out.push_back(pdf::StrikeLine{r.page, r.x0, r.x1, r.y0 + 0.45 * (r.y1 - r.y0), width});
  }
  return out;
}

}  // namespace

// ---- storeless redaction ----

RedactOutcome redact_pdf_bytes(std::string_view bytes, const std::string& path, const RedactSpec& spec,
                               const PatternMatcher& matcher, const Clock& clock) {
  using clk = std::chrono::steady_clock;
  auto secs = [](clk::time_point a, clk::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  RedactOutcome o;
  auto t0 = clk::now();
  // One worker reads the file and, once the areas are known, redacts it.
  pdf::ExtractOptions eo;
  eo.password = spec.password;
  pdf::PdfWorker worker(bytes, path.empty() ? std::string("<input>") : path, eo);
  std::vector<pdf::PageGeometry> geo;  // from the reading worker: no second parse of the file
  ingest::PdfReadOptions ro;
  ro.password = spec.password;
  ro.geometry = &geo;
  ro.glyph_source = [&worker](const std::function<void(std::string_view)>& consume) { worker.read_glyphs(consume); };
  ingest::Document doc = ingest::parse_pdf(bytes, path, ro);
  o.pages = static_cast<int>(geo.size());
  auto t1 = clk::now();

  std::vector<pdf::RedactionArea> areas;
  for (std::size_t i = 0; i < spec.boxes.size(); ++i) {
    const BoxSpec& b = spec.boxes[i];
    if (b.page > o.pages)
      throw Error(ErrorCategory::input, path,
                  "--box #" + std::to_string(i + 1) + " names page " + std::to_string(b.page) + " but the file has " +
                      std::to_string(o.pages) + " page(s)");
    AreaRecord r;
    r.area = pdf::RedactionArea{b.page, b.box, label_for_codes(b.codes)};
    r.codes = b.codes;
    r.found_by = "box #" + std::to_string(i + 1);
    o.areas.push_back(r);
  }
  std::vector<TextMatch> matches = matcher.find(doc);
  o.matches = matches.size();
  std::vector<std::pair<std::size_t, std::size_t>> all_ranges;
  const auto& pats = matcher.patterns();
  for (const auto& m : matches) {
    const PatternSpec& ps = pats.at(m.pattern);
    for (const auto& r : m.ranges) all_ranges.push_back(r);
    for (const auto& rect : ingest::rects_for_text_ranges(doc, m.ranges)) {
      if (rect.page < 1 || rect.page > o.pages) continue;
      AreaRecord r;
      r.area = pdf::RedactionArea{rect.page, to_box(rect), ps.label};
      r.codes = ps.codes;
      r.found_by = ps.origin;
      o.areas.push_back(std::move(r));
    }
  }
  auto t2 = clk::now();

  pdf::RedactOptions opt;
  opt.password = spec.password;
  opt.rasterize_unsafe_pages = spec.rasterize_unsafe_pages;
  opt.stamps = header_stamps(spec.stamps, geo);
  opt.producer = "declass 0.1.0";
  opt.creation_time = clock.now_unix();
  std::string added;
  for (const auto& s : spec.stamps) added += s + "\n";
  std::set<std::string> labels;
  for (const auto& a : o.areas) labels.insert(a.area.label);
  for (const auto& l : labels) added += l + "\n";
  opt.withheld_terms = pdf_withheld_terms(doc, all_ranges, added);
  // Literal terms must be absent too, wherever they were (a term found nowhere in the text layer may
  // still sit in metadata or an annotation); skipped when they are part of released or added text.
  {
    std::string kept = doc.text;
    for (const auto& [b, e] : all_ranges)
      for (std::size_t i = b; i < e && i < kept.size(); ++i) kept[i] = '\n';
    std::string released = pdf::normalize_for_search(kept + "\n" + added);
    for (const auto& p : pats) {
      if (!p.literal) continue;
      std::string term = trim(p.pattern);
      if (release::is_distinctive(term, released) &&
          std::find(opt.withheld_terms.begin(), opt.withheld_terms.end(), term) == opt.withheld_terms.end())
        opt.withheld_terms.push_back(term);
    }
  }
  std::vector<pdf::RedactionArea> pass;
  pass.reserve(o.areas.size());
  for (const auto& a : o.areas) pass.push_back(a.area);
  pdf::RedactResult res = worker.redact(pass, opt);
  auto t3 = clk::now();
  o.pdf = std::move(res.pdf);
  o.report = std::move(res.report);
  o.parse_seconds = secs(t0, t1);
  o.match_seconds = secs(t1, t2);
  o.redact_seconds = secs(t2, t3);
  spdlog::debug("redact: {} pages, {} matches, {} areas; parse {:.1f} ms, match {:.1f} ms, redact {:.1f} ms", o.pages,
                o.matches, o.areas.size(), o.parse_seconds * 1e3, o.match_seconds * 1e3, o.redact_seconds * 1e3);
  return o;
}

Json redact_report_json(const RedactOutcome& o, const std::string& input_path, const std::string& input_sha256,
                        const std::string& output_path, const std::string& output_sha256) {
  Json j;
  j["schema"] = "declass.redact/1";
  j["input"] = {{"path", input_path}, {"sha256", input_sha256}};
  j["output"] = {{"path", output_path}, {"sha256", output_sha256}, {"bytes", o.pdf.size()}};
  j["pages"] = o.pages;
  j["matches"] = o.matches;
  j["areas"] = o.areas.size();
  std::map<int, Json> pages;
  for (const auto& a : o.areas) {
    Json ja{{"box", {round2(a.area.box.x0), round2(a.area.box.y0), round2(a.area.box.x1), round2(a.area.box.y1)}},
            {"codes", Json::array()},
            {"label", a.area.label},
            {"found_by", a.found_by}};
    for (const auto& c : a.codes) ja["codes"].push_back(release::stamp_code(c));
    Json& pj = pages[a.area.page];
    if (pj.is_null()) pj = {{"page", a.area.page}, {"areas", Json::array()}};
    pj["areas"].push_back(std::move(ja));
  }
  for (const auto& pr : o.report.page_reports) {
    Json& pj = pages[pr.page];
    if (pj.is_null()) pj = {{"page", pr.page}, {"areas", Json::array()}};
    pj["removed"] = {{"glyphs", pr.glyphs_removed},
                     {"images_blanked", pr.images_blanked},
                     {"images_removed", pr.images_removed},
                     {"inline_images_removed", pr.inline_images_removed},
                     {"paths_removed", pr.paths_removed}};
    pj["forms_instanced"] = pr.forms_instanced;
    if (pr.rasterized) pj["rasterized"] = {{"reason", pr.rasterize_reason}};
  }
  Json pa = Json::array();
  for (auto& [n, pj] : pages) pa.push_back(std::move(pj));
  j["page_reports"] = std::move(pa);
  std::size_t images_blanked = 0, images_removed = 0, inline_removed = 0, paths = 0, forms = 0;
  for (const auto& pr : o.report.page_reports) {
    images_blanked += pr.images_blanked;
    images_removed += pr.images_removed;
    inline_removed += pr.inline_images_removed;
    paths += pr.paths_removed;
    forms += pr.forms_instanced;
  }
  j["removed"] = {{"glyphs", o.report.glyphs_removed}, {"images_blanked", images_blanked}, {"images_removed", images_removed},
                  {"inline_images_removed", inline_removed}, {"paths", paths}, {"objects_dropped", o.report.objects_dropped}};
  j["forms_instanced"] = forms;
  j["dropped_features"] = o.report.dropped_features;
  Json rast = Json::array();
  for (const auto& pr : o.report.page_reports)
    if (pr.rasterized) rast.push_back({{"page", pr.page}, {"reason", pr.rasterize_reason}});
  for (int p : o.report.rasterized_pages) {
    bool listed = false;
    for (const auto& r : rast) listed = listed || r.value("page", 0) == p;
    if (!listed) rast.push_back({{"page", p}, {"reason", ""}});
  }
  j["rasterized_pages"] = std::move(rast);
  Json checks = Json::array();
  bool all_ok = true;
  for (const auto& c : o.report.checks) {
    checks.push_back({{"name", c.name}, {"ok", c.ok}});
    all_ok = all_ok && c.ok;
  }
  j["verification"] = {{"ok", all_ok},
                       {"checks", std::move(checks)},
                       {"kept_glyphs_checked", o.report.kept_glyphs_checked},
                       {"max_position_deviation", o.report.max_position_deviation}};
  j["timing"] = {{"parse_seconds", o.parse_seconds}, {"match_seconds", o.match_seconds}, {"redact_seconds", o.redact_seconds}};
  return j;
}

// ---- release of a PDF record ----

PdfReleaseBuild build_pdf_release(const ingest::Document& doc, std::string_view source_pdf, const release::ReleaseRequest& req,
                                  const PdfReleaseOptions& o) {
  SystemClock sys;
  const Clock& clock = req.clock ? *req.clock : static_cast<const Clock&>(sys);
  release::StampTemplate tpl = req.template_path.empty() ? release::builtin_state_template() : release::load_template(req.template_path);
  std::vector<pdf::PageGeometry> geo = pdf::page_geometry(source_pdf, o.password);
  if (geo.empty()) throw Error(ErrorCategory::input, "release", "the PDF has no pages");

  PdfReleaseBuild out;
  release::ReleaseResult& res = out.result;
  // Areas: every withheld range → the rectangles of its glyphs, labelled with its codes.
  std::vector<pdf::RedactionArea> areas;
  std::vector<std::pair<std::size_t, std::size_t>> all_ranges;
  std::string labels_text;
  for (std::size_t i = 0; i < req.withheld.size(); ++i) {
    const auto& w = req.withheld[i];
    if (w.begin >= w.end || w.end > doc.text.size())
      throw Error(ErrorCategory::input, "withheld range " + std::to_string(i + 1), "is empty or outside the document text");
    all_ranges.emplace_back(w.begin, w.end);
    std::string label = label_for_codes(w.codes);
    labels_text += label + "\n";
    for (const auto& r : ingest::rects_for_text_ranges(doc, {{w.begin, w.end}})) {
      if (r.page < 1 || r.page > static_cast<int>(geo.size())) continue;
      areas.push_back(pdf::RedactionArea{r.page, to_box(r), label});
      release::PlacedBox pb;
      pb.page = r.page;
      pb.x = r.x0;
      pb.y = r.y0;
      pb.w = r.x1 - r.x0;
      pb.h = r.y1 - r.y0;
      pb.label = label;
      pb.range = i;
      res.boxes.push_back(pb);
    }
  }

  // Stamps from the template, placed relative to each page's box (the template is drawn for a Letter page:
  // stamps in its upper half keep their distance from the top edge, the others from the bottom edge).
  std::vector<std::string> codes = req.stamp.codes;
  if (codes.empty()) {
    std::set<std::string> seen;
    for (const auto& r : req.withheld)
      for (const auto& c : r.codes) {
        std::string s = release::stamp_code(c);
        if (!s.empty() && seen.insert(s).second) codes.push_back(s);
      }
  }
  std::string codes_text = join_codes_text(codes);
  if (req.stamp.disposition == "RELEASE IN FULL") codes_text.clear();
  std::map<std::string, std::string> values = {
      {"disposition", req.stamp.disposition},
      {"codes", codes_text},
      {"review_authority_name", req.stamp.review_authority_name},
      {"review_authority_title", req.stamp.review_authority_title},
      {"case_no", req.stamp.case_no},
      {"doc_no", req.stamp.doc_no},
      {"date", req.stamp.date.empty() ? clock.today().us() : req.stamp.date},
      {"agency", req.stamp.agency},
      {"declassified", req.stamp.declassified ? "DECLASSIFIED" : ""},
      {"pages", std::to_string(geo.size())}};
  std::vector<pdf::StampText> stamps;
  std::string stamp_text_all;
  for (std::size_t p = 0; p < geo.size(); ++p) {
    values["page"] = std::to_string(p + 1);
    const pdf::Box b = pdf::display_box(geo[p].box, geo[p].rotate);  // the page as displayed
    for (const auto& s : tpl.stamps) {
      if ((s.pages == "first" && p != 0) || (s.pages == "rest" && p == 0)) continue;
      std::string text = release::render_stamp_text(s.text, values, tpl.name);
      if (text.empty()) continue;
      pdf::StampText st;
      st.page = static_cast<int>(p + 1);
      st.bold = s.font == pdf::Font::sans_bold;
      st.size = s.size;
      double w = pdf::text_width(st.bold ? pdf::Font::sans_bold : pdf::Font::sans, text, st.size);
      double avail = (b.x1 - b.x0) - 24;
      if (w > avail && w > 0) {
        st.size = std::max(4.0, st.size * avail / w);
        w = pdf::text_width(st.bold ? pdf::Font::sans_bold : pdf::Font::sans, text, st.size);
      }
      double anchor;
      if (s.align == "left")
        anchor = b.x0 + s.x;
      else if (s.align == "right")
        anchor = b.x1 - (tpl.page_width - s.x);
      else
        anchor = (b.x0 + b.x1) / 2 + (s.x - tpl.page_width / 2);
      st.x = s.align == "left" ? anchor : s.align == "center" ? anchor - w / 2 : anchor - w;
      st.x = std::clamp(st.x, b.x0 + 4, std::max(b.x0 + 4, b.x1 - 4 - w));
      st.y = s.y > tpl.page_height / 2 ? b.y1 - (tpl.page_height - s.y) : b.y0 + s.y;
      st.text = text;
      stamp_text_all += text + "\n";
      stamps.push_back(std::move(st));
    }
  }

  pdf::RedactOptions opt;
  opt.password = o.password;
  opt.rasterize_unsafe_pages = o.rasterize_unsafe_pages;
  opt.stamps = std::move(stamps);
  opt.strikes = cancel_strikes(doc, req.cancel, all_ranges, tpl.cancel_line_width, static_cast<int>(geo.size()));
  opt.title = req.title;
  opt.producer = "declass 0.1.0";
  opt.creation_time = clock.now_unix();
  res.audit_sha256 = req.audit_json.empty() ? "" : crypto::sha256_hex(req.audit_json);
  std::string disposition_full = req.stamp.disposition + (codes_text.empty() ? "" : " " + codes_text);
  opt.xmp = release::release_xmp(req, disposition_full, opt.creation_time, res.audit_sha256, "pdf");
  if (!req.audit_json.empty()) opt.attachments.push_back(pdf::Attachment{"release-audit.json", "application/json", req.audit_json});
  opt.withheld_terms = pdf_withheld_terms(doc, all_ranges, stamp_text_all + labels_text);
  res.withheld_terms = opt.withheld_terms;

  pdf::RedactResult rr = pdf::redact_pdf_isolated(source_pdf, areas, opt);
  res.pdf = std::move(rr.pdf);
  res.pages = rr.report.pages;
  out.report = std::move(rr.report);
  return out;
}

}  // namespace declass::app
