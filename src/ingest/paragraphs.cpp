// Paragraph reconstruction over zoned lines: numbered paragraphs, headings and signatures,
// continuation across blank lines, page banners/headers/footers and interleaved release stamps
// when the previous text did not end a sentence. Joined lines get one inserted space (none after a
// hyphenated line end "MILITARY-"); every other character maps to the source through TextSegments.
// Also per-paragraph portion marks, cancelled-mark residue (MARKINGS.md §10.1), in-text exemption codes (§11.6).
#include <re2/re2.h>

#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "ingest/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::ingest::detail {
namespace {

using re2::RE2;

const RE2& numbered_re() {
  static const RE2 re(R"(^([,.'"]?)(\d{1,2})\.(?:\s|['"(]|[A-Z]))");
  return re;
}

bool is_furniture(Zone z) {
  return z == Zone::blank || z == Zone::page_banner || z == Zone::page_header || z == Zone::page_footer ||
         z == Zone::release_stamp;
}

// A trailing portion mark ("... please call. (U)") closes its paragraph.
bool ends_with_portion_mark(std::string_view t) {
  if (t.size() < 3 || t.back() != ')') return false;
  std::size_t lp = t.rfind('(');
  if (lp == std::string_view::npos || t.size() - lp > 40) return false;
  return markings::parse_portion_token(t.substr(lp)).has_value();
}

bool is_sentence_end(std::string_view t) {
  if (ends_with_portion_mark(t)) return true;
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == ')' || t.back() == ']')) t.remove_suffix(1);
  if (t.empty()) return false;
  char c = t.back();
  if (c == '!' || c == '?') return true;
  if (c != '.') return false;
  // "WILLIAM J." / "U.S." at the end of a wrapped line are abbreviations, not sentence ends
  std::size_t sp = t.find_last_of(" \t");
  std::string_view word = sp == std::string_view::npos ? t : t.substr(sp + 1);
  word.remove_suffix(1);
  while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
  if (word.size() == 1 && text::is_alpha(word[0])) return false;
  if (word.find('.') != std::string_view::npos && word.size() <= 6) return false;
  return true;
}

bool ends_with_period(std::string_view t) {
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == ')' || t.back() == ']')) t.remove_suffix(1);
  return !t.empty() && t.back() == '.';
}

bool looks_heading(std::string_view t) {
  if (t.size() > 60 || t.size() < 2) return false;
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '-') return false;
  int letters = 0, words = 0;
  bool lower = false;
  bool in_word = false;
  bool title_ok = true;
  static const char* small[] = {"a", "an", "the", "of", "and", "to", "in", "on", "for", "with", "by", "at"};
  std::size_t wb = 0;
  for (std::size_t k = 0; k <= t.size(); ++k) {
    char c = k < t.size() ? t[k] : ' ';
    if (text::is_alpha(c)) ++letters;
    if (c >= 'a' && c <= 'z') lower = true;
    bool sp = c == ' ' || c == '\t';
    if (!sp && !in_word) {
      wb = k;
      ++words;
    }
    if (sp && in_word) {
      std::string_view w = t.substr(wb, k - wb);
      if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') {
        bool ok = false;
        for (const char* s : small)
          if (w == s) ok = true;
        if (!ok) title_ok = false;
      }
    }
    in_word = !sp;
  }
  if (letters < 2) return false;
  if (!lower) return true;
  return title_ok && words <= 8;
}

struct Builder {
  Document& doc;
  const std::vector<LineInfo>& info;
  std::vector<Paragraph> out;
  bool open = false;
  bool gap = false;
  bool prev_ended = true;         // sentence end (an initial "J." or "U.S." does not count)
  bool prev_ended_strict = true;  // ends with a period at all: ends a paragraph across a blank line
  std::size_t prev_len = 0;
  bool prev_portion_end = false;  // the previous line ended with a portion mark "(U)"

  void close() {
    if (open) open = false;
  }

  void start(Zone zone, std::size_t line_index, const std::string& number) {
    out.emplace_back();
    Paragraph& p = out.back();
    p.zone = zone;
    p.number = number;
    p.first_line = doc.lines[line_index].number;
    open = true;
  }

  // "MILITARY-" at a line end followed by "INDUSTRIAL": joined without a space, hyphen kept, so a
  // rule over paragraph text matches across the break (the segments still map each fragment).
  static bool hyphen_join(std::string_view prev, std::string_view next) {
    return prev.size() >= 2 && prev.back() == '-' && text::is_alpha(prev[prev.size() - 2]) && !next.empty() &&
           text::is_alpha(next.front());
  }

  void append(std::size_t line_index, std::size_t b, std::size_t e) {
    Paragraph& p = out.back();
    if (!p.text.empty() && !hyphen_join(p.text, std::string_view(doc.text).substr(b, e - b))) p.text += ' ';
    TextSegment seg;
    seg.text_begin = p.text.size();
    seg.source_begin = b;
    seg.length = e - b;
    seg.line = doc.lines[line_index].number;
    p.text.append(doc.text, b, e - b);
    p.segments.push_back(seg);
    p.last_line = seg.line;
  }

  void attach_codes(const std::vector<std::string>& codes) {
    if (codes.empty() || out.empty()) return;
    auto& mc = out.back().margin_codes;
    for (const auto& c : codes)
      if (std::find(mc.begin(), mc.end(), c) == mc.end()) mc.push_back(c);
  }

  // The next line after i that is not blank; its zone and whether it starts a numbered paragraph.
  bool next_is_new_or_not_body(std::size_t i) const {
    if (i + 1 >= doc.lines.size()) return true;
    const Line& n = doc.lines[i + 1];
    if (n.zone != Zone::body) return true;
    std::string_view t(doc.text.data() + info[i + 1].content_begin, info[i + 1].content_end - info[i + 1].content_begin);
    return RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), numbered_re());
  }

  void run() {
    const std::string& s = doc.text;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
      Line& line = doc.lines[i];
      const LineInfo& inf = info[i];
      Zone z = line.zone;
      bool content = z == Zone::body || z == Zone::authority || (z == Zone::eo_tags_subject && inf.subject);
      if (!content) {
        if (is_furniture(z)) {
          gap = true;
          if (z == Zone::release_stamp) attach_codes(inf.margin_codes);
        } else {
          close();
          gap = true;
          prev_ended = prev_ended_strict = true;
        }
        continue;
      }
      std::size_t b = inf.content_begin, e = inf.content_end;
      if (b >= e) continue;
      // FRUS print-page marker at the start of a line: "[Page 1090] 6. Of relatively ..."
      if (e - b > 7 && s.compare(b, 6, "[Page ") == 0) {
        std::size_t close_br = s.find(']', b);
        if (close_br != std::string::npos && close_br < e && close_br - b < 14) {
          b = close_br + 1;
          while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
          if (b >= e) continue;
        }
      }
      std::string_view t(s.data() + b, e - b);
      std::string lead, number;
      bool numbered = RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), numbered_re(), &lead, &number);
      bool portion_start = false;
      if (!numbered && t.size() > 2 && t[0] == '(') {
        std::size_t rp = t.find(')');
        if (rp != std::string_view::npos && rp < 40) portion_start = markings::parse_portion_token(t.substr(0, rp + 1)).has_value();
      }
      Zone pz = z == Zone::eo_tags_subject ? Zone::eo_tags_subject : z;
      bool cont = open && !numbered && !portion_start;
      bool heading = false;
      if (cont) {
        Zone cz = out.back().zone;
        if (cz == Zone::eo_tags_subject || pz == Zone::eo_tags_subject) {
          cont = cz == pz && !(gap);
        } else if (cz == Zone::authority && pz == Zone::authority) {
          cont = !inf.authority_start || !gap;
          if (inf.authority_start && gap) cont = true;  // "CLASSIFIED BY ..." / "REASON: ..." one block
        } else if (cz == Zone::body && pz == Zone::authority) {
          cont = false;
        } else if (cz == Zone::authority) {
          // body text continues a numbered authority paragraph ("CLASSIFIED BY: WILLIAM J." /
          // "BURNS, ..."), never a layout margin block or an unnumbered block after a gap
          const Line& first = doc.lines[static_cast<std::size_t>(out.back().first_line - 1)];
          bool indented = info[static_cast<std::size_t>(out.back().first_line - 1)].content_begin >= first.offset + 6;
          cont = !gap && !prev_ended && (!out.back().number.empty() || !indented);
        } else if (!gap) {
          cont = !((prev_ended && prev_len > 100) || prev_portion_end);
        } else {
          cont = !prev_ended_strict;
        }
      }
      if (!cont && pz == Zone::body && !numbered && !portion_start && (!open || prev_ended || gap) && looks_heading(t) &&
          next_is_new_or_not_body(i) && (!open || prev_ended)) {
        heading = true;
      }
      if (cont && pz == Zone::body && z == Zone::body && out.back().zone == Zone::authority) {
        line.zone = Zone::authority;  // continuation line of an authority paragraph
      }
      if (!cont) {
        start(pz, i, numbered ? number : std::string());
        out.back().heading = heading;
      }
      append(i, b, e);
      if (line.margin_length > 0 && line.margin_zone == Zone::release_stamp) attach_codes(inf.margin_codes);
      prev_ended = is_sentence_end(t) || heading;
      prev_portion_end = ends_with_portion_mark(t);
      prev_ended_strict = prev_ended || ends_with_period(t);
      prev_len = t.size();
      gap = false;
      if (heading) close();
    }
  }
};

bool is_residue_char(char c) {
  return c == '-' || c == '(' || c == ')' || c == '.' || c == ',' || c == ':' || c == ';' || c == '\'' || c == '*' ||
         c == '/' || c == '+' || c == '=' || c == '{' || c == '}' || c == '|' || text::is_digit(c) ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Cancelled (lined-through) portion mark residue right after the paragraph number.
std::optional<std::pair<std::size_t, std::size_t>> find_residue(const Paragraph& p) {
  if (p.number.empty()) return std::nullopt;
  const std::string& t = p.text;
  std::size_t k = 0;
  while (k < t.size() && !text::is_digit(t[k])) ++k;
  while (k < t.size() && text::is_digit(t[k])) ++k;
  if (k >= t.size() || t[k] != '.') return std::nullopt;
  ++k;
  while (k < t.size() && (t[k] == ' ' || t[k] == '\t')) ++k;
  std::size_t b = k;
  while (k < t.size() && t[k] != ' ' && t[k] != '\t') ++k;
  std::size_t e = k;
  if (e <= b || e - b > 16) return std::nullopt;
  std::string_view tok(t.data() + b, e - b);
  // the next word must be an upper-case word (the paragraph text)
  std::size_t n = e;
  while (n < t.size() && t[n] == ' ') ++n;
  // the residue ends the first source line ("7. —f-S+" / "► 1.4(D) I THE ...") or precedes a word
  bool line_end = !p.segments.empty() && e == p.segments.front().text_begin + p.segments.front().length;
  bool word_next = n + 1 < t.size() && (text::is_upper(t[n]) || t[n] == '(' || t[n] == '"' ||
                                         static_cast<unsigned char>(t[n]) >= 0x80);
  if (!line_end && !word_next) return std::nullopt;
  if (markings::parse_portion_token(tok)) return std::nullopt;
  std::string_view core = tok;
  while (!core.empty() && (core.back() == '.' || core.back() == ',' || core.back() == ':' || core.back() == ';'))
    core.remove_suffix(1);
  if (core.empty()) return std::nullopt;
  bool all_upper = true, all_lower = true, any_residue = false;
  for (char c : core) {
    if (!text::is_upper(c)) all_upper = false;
    if (!(c >= 'a' && c <= 'z')) all_lower = false;
    if (is_residue_char(c)) any_residue = true;
  }
  if (all_upper && core.size() >= 2) {
    // "CDCRET ENTIRE TEXT": a damaged level word before "ENTIRE TEXT"
    if (n < t.size() && t.compare(n, 11, "ENTIRE TEXT") == 0 && core.size() >= 5 && core.size() <= 12) return std::make_pair(b, e);
    return std::nullopt;
  }
  int uppers = 0;
  for (char c : core) uppers += text::is_upper(c) ? 1 : 0;
  if (uppers >= 4) return std::nullopt;  // "GIDARK/56", OCR-damaged words: text, not residue
  if (all_lower) return core.size() <= 4 ? std::optional(std::make_pair(b, e)) : std::nullopt;
  if (text::is_upper(core[0]) && !any_residue) return std::nullopt;  // "Kim", "Summary"
  if (core[0] == '(' || core[0] == '[') {  // "(NOTE:", "(COMMENT:", "(FDP)" are text
    bool word = core.size() >= 3;
    for (std::size_t q = 1; q < core.size(); ++q)
      if (!text::is_alpha(core[q]) && !(q + 1 == core.size() && (core[q] == ')' || core[q] == ']'))) word = false;
    if (word) return std::nullopt;
  }
  if (core[0] == '\'' || core[0] == '"') {
    bool word = true;
    for (std::size_t q = 1; q < core.size(); ++q)
      if (!text::is_alpha(core[q])) word = false;
    if (word) return std::nullopt;  // quoted word
  }
  if (!any_residue && core.size() > 4) return std::nullopt;
  // plain numbers ("1995", "12,000") are text
  bool digits_only = true;
  for (char c : core)
    if (!text::is_digit(c) && c != ',') digits_only = false;
  if (digits_only && core.size() >= 3) return std::nullopt;
  return std::make_pair(b, e);
}

}  // namespace

void build_paragraphs(Document& doc, const std::vector<LineInfo>& info) {
  Builder bld{doc, info, {}};
  bld.run();
  doc.paragraphs = std::move(bld.out);

  std::vector<std::string> stamp_codes;
  if (doc.markings.release) stamp_codes = doc.markings.release->exemptions;
  bool portion_marked = false, residue_seen = false;
  int index = 0;
  for (Paragraph& p : doc.paragraphs) {
    p.index = ++index;
    for (const TextSegment& seg : p.segments) {
      const Line* l = doc.line_at(seg.line);
      if (l && (p.pages.empty() || p.pages.back() != l->page)) p.pages.push_back(l->page);
    }
    std::sort(p.pages.begin(), p.pages.end());
    p.pages.erase(std::unique(p.pages.begin(), p.pages.end()), p.pages.end());
    if (p.heading) continue;
    p.cancelled_mark = find_residue(p);
    if (p.cancelled_mark) {
      residue_seen = true;
    } else {
      p.portion = markings::find_portion_mark(p.text);
      if (p.portion) portion_marked = true;
    }
    if (p.zone == Zone::body && !stamp_codes.empty()) {
      for (auto& h : markings::find_exemption_codes(p.text)) {
        if (std::find(stamp_codes.begin(), stamp_codes.end(), h.code) != stamp_codes.end()) p.exemptions.push_back(h);
      }
    }
  }
  doc.markings.portion_marked = portion_marked;
  doc.markings.lined_through_original = residue_seen;
}

}  // namespace declass::ingest::detail
