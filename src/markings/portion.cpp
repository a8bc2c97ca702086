// Portion marks (MARKINGS.md §2.2, §11.2): vocabulary-restricted parsing of "(S//NF)"-style tokens,
// and the position rules that find a paragraph's mark (after the paragraph number, after SUBJECT:,
// at the very end, "SECRET - ENTIRE TEXT" shortcuts) while refusing list letters and acronyms.
#include <array>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

using detail::alnum;
using detail::alpha;
using detail::digit;
using detail::space;

namespace {

struct PortionLevel {
  std::string_view word;
  Level level;
  std::string_view control;
  bool full_word;  // a spelled-out level ("SECRET"), allowed in title case
};
constexpr std::array<PortionLevel, 13> kPortionLevels = {{
    {"UNCLASSIFIED", Level::U, "", true},
    {"CONFIDENTIAL", Level::C, "", true},
    {"TOP SECRET", Level::TS, "", true},
    {"SECRET", Level::S, "", true},
    {"SBU-NF", Level::U, "SBU NOFORN", false},
    {"CUI", Level::U, "CUI", false},
    {"SBU", Level::U, "SBU", false},
    {"LOU", Level::U, "LOU", false},
    {"TS", Level::TS, "", false},
    {"S", Level::S, "", false},
    {"C", Level::C, "", false},
    {"U", Level::U, "", false},
    {"R", Level::R, "", false},
}};

enum class Case { upper, lower, mixed };
Case letter_case(std::string_view s) {
  bool has_up = false, has_low = false;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') has_up = true;
    if (c >= 'a' && c <= 'z') has_low = true;
  }
  if (has_up && has_low) return Case::mixed;
  return has_low ? Case::lower : Case::upper;
}

// "(S)" with an OCR "5" for "S": only used in the start slot after a paragraph number.
bool five_for_s(std::string_view tok) {
  return tok == "(5)" || tok == "(5.)" || tok == "($)";
}

}  // namespace

std::optional<Marking> parse_portion_token(std::string_view token) {
  std::string_view t = detail::trim(token);
  if (t.size() < 3 || t.size() > 96 || t.front() != '(' || t.back() != ')') return std::nullopt;
  std::string_view inner = detail::trim(t.substr(1, t.size() - 2));
  if (inner.empty()) return std::nullopt;
  for (char c : inner)
    if (c == '(' || c == ')' || c == '\n') return std::nullopt;
  Case cs = letter_case(inner);
  std::string u = detail::upper(inner);
  Marking m;
  m.text = std::string(t);
  std::string_view v = u;
  // FGI / joint portions: "(//GBR S)", "(//NATO S)", "(//JOINT S USA GBR)".
  if (v.size() > 2 && v[0] == '/' && v[1] == '/') {
    if (cs == Case::mixed) return std::nullopt;
    v.remove_prefix(2);
    std::size_t sp = v.find(' ');
    if (sp == std::string_view::npos || sp < 3 || sp > 5) return std::nullopt;
    std::string owner(v.substr(0, sp));
    for (char c : owner)
      if (!(c >= 'A' && c <= 'Z')) return std::nullopt;
    v.remove_prefix(sp + 1);
    std::optional<Level> lvl;
    std::size_t len = 0;
    for (std::string_view w : {"TS", "S", "C", "R", "U", "CTS", "NS", "NC", "NR", "NU"}) {
      if (v.substr(0, w.size()) == w && (v.size() == w.size() || v[w.size()] == ' ' || v[w.size()] == '/')) {
        if (w.size() > len) {
          len = w.size();
          if (w == "CTS") lvl = Level::TS;
          else if (w == "NS") lvl = Level::S;
          else if (w == "NC") lvl = Level::C;
          else if (w == "NR") lvl = Level::R;
          else if (w == "NU") lvl = Level::U;
          else lvl = parse_level_code(std::string(w));
        }
      }
    }
    if (!lvl) return std::nullopt;
    m.classification = lvl;
    std::string_view rest = v.substr(len);
    if (owner == "JOINT") {
      std::size_t slash = rest.find('/');
      std::string_view owners = rest.substr(0, slash);
      for (char c : owners)
        if (!((c >= 'A' && c <= 'Z') || c == ' ' || c == ',')) return std::nullopt;
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    } else {
      m.controls.push_back("FGI " + owner);
    }
    if (!detail::parse_controls(rest, m.controls, false)) return std::nullopt;
    detail::sort_controls(m.controls);
    return m;
  }
  const PortionLevel* pl = nullptr;
  for (const auto& cand : kPortionLevels) {
    if (v.substr(0, cand.word.size()) != cand.word) continue;
    std::size_t e = cand.word.size();
    if (e == v.size() || v[e] == '/' || v[e] == ' ' || v[e] == ',') {
      pl = &cand;
      break;
    }
  }
  if (!pl) return std::nullopt;
  if (cs == Case::mixed && !pl->full_word) return std::nullopt;
  m.classification = pl->level;
  if (!pl->control.empty()) m.controls.emplace_back(pl->control);
  std::string_view rest = v.substr(pl->word.size());
  if (!rest.empty() && rest[0] == ',') return std::nullopt;
  if (!detail::parse_controls(rest, m.controls, false)) return std::nullopt;
  // "(SBU/NF)" is the State form of SBU NOFORN.
  if (detail::has_control(m.controls, "SBU") && detail::has_control(m.controls, "NOFORN") &&
      m.classification == Level::U) {
    std::erase(m.controls, std::string("SBU"));
    std::erase(m.controls, std::string("NOFORN"));
    m.controls.push_back("SBU NOFORN");
  }
  detail::sort_controls(m.controls);
  return m;
}

namespace {

// Byte length of a dash at s[i]: '-', en dash, em dash; 0 if none.
std::size_t dash_len(std::string_view s, std::size_t i) {
  if (i < s.size() && s[i] == '-') return 1;
  if (i + 3 <= s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0x93 || static_cast<unsigned char>(s[i + 2]) == 0x94))
    return 3;
  return 0;
}

// Whole-document shortcut at pos: "SECRET - ENTIRE TEXT", "(C - ENTIRE TEXT)", "(Secret—Entire text)",
// "(C Entire text)", OCR "CDCRET ENTIRE TEXT". Sets end to the byte after the shortcut.
std::optional<Marking> entire_text_at(std::string_view s, std::size_t pos, std::size_t& end) {
  std::size_t p = pos;
  bool paren = p < s.size() && s[p] == '(';
  if (paren) ++p;
  while (p < s.size() && s[p] == ' ') ++p;
  std::size_t wb = p;
  while (p < s.size() && alpha(s[p]) && p - wb < 16) ++p;
  if (p < s.size() && alpha(s[p])) return std::nullopt;
  std::string w = detail::upper(s.substr(wb, p - wb));
  if (w == "TOP" && detail::iword_at(s, p + 1, "SECRET")) {
    w = "TOP SECRET";
    p += 7;
  }
  Marking m;
  if (w == "SECRET" || w == "S") m.classification = Level::S;
  else if (w == "CONFIDENTIAL" || w == "C") m.classification = Level::C;
  else if (w == "TOP SECRET" || w == "TS") m.classification = Level::TS;
  else if (w == "UNCLASSIFIED" || w == "U") m.classification = Level::U;
  else if (w.size() >= 5 && w.size() <= 13 && detail::edit_distance(w, "SECRET", 2) <= 2) {
    m.classification = Level::S;
    m.low_confidence = true;
  } else if (w.size() >= 10 && w.size() <= 14 && detail::edit_distance(w, "CONFIDENTIAL", 2) <= 2) {
    m.classification = Level::C;
    m.low_confidence = true;
  } else {
    return std::nullopt;
  }
  std::size_t gap = p;
  while (p < s.size()) {
    if (s[p] == ' ' || s[p] == '\t' || s[p] == ':' || s[p] == ',') {
      ++p;
    } else if (std::size_t d = dash_len(s, p)) {
      p += d;
    } else {
      break;
    }
  }
  if (p == gap) return std::nullopt;
  if (!detail::iword_at(s, p, "ENTIRE")) return std::nullopt;
  p += 6;
  while (p < s.size() && s[p] == ' ') ++p;
  if (!detail::iword_at(s, p, "TEXT")) return std::nullopt;
  p += 4;
  if (paren) {
    std::size_t q = p;
    while (q < s.size() && (s[q] == ' ' || s[q] == '.')) ++q;
    if (q < s.size() && s[q] == ')') p = q + 1;
  }
  m.text = std::string(s.substr(pos, p - pos));
  end = p;
  return m;
}

// Is the "(X)" token starting at b part of a reason-letter list ("1.5 (B) AND (D)", "1.4(b), (c)")?
// Walks back over "(x)", ",", "&", "AND", "OR" and spaces; true when the chain follows a digit.
bool in_reason_context(std::string_view s, std::size_t b) {
  std::size_t p = b;
  for (int guard = 0; guard < 32; ++guard) {
    while (p > 0 && space(s[p - 1])) --p;
    if (p == 0) return false;
    char c = s[p - 1];
    if (digit(c)) return true;
    if (c == ',' || c == '&') {
      --p;
      continue;
    }
    if (c == ')' && p >= 3 && s[p - 3] == '(' && alpha(s[p - 2])) {
      p -= 3;
      continue;
    }
    // A numbered group right before ("(b)(1) (c)", "6(1)(c)", "(1) (c)"): part of a code.
    if (c == ')' && p >= 3 && s[p - 3] == '(' && digit(s[p - 2])) return true;
    if (alpha(c)) {
      std::size_t wb = p;
      while (wb > 0 && alpha(s[wb - 1])) --wb;
      std::string w = detail::upper(s.substr(wb, p - wb));
      if (w == "AND" || w == "OR") {
        p = wb;
        continue;
      }
    }
    return false;
  }
  return false;
}

bool has_enumerator(std::string_view s, char letter) {
  const char lo = detail::low(letter), hi = detail::up(letter);
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == '(' && (s[i + 1] == lo || s[i + 1] == hi) && s[i + 2] == ')' && !in_reason_context(s, i))
      return true;
  }
  return false;
}

bool has_ab_enumerators(std::string_view s) { return has_enumerator(s, 'A') && has_enumerator(s, 'B'); }

// Balanced "( ... )" starting at pos (no nesting, ≤ 96 bytes); returns the index after ')' or npos.
std::size_t paren_end(std::string_view s, std::size_t pos) {
  if (pos >= s.size() || s[pos] != '(') return std::string_view::npos;
  for (std::size_t i = pos + 1; i < s.size() && i - pos <= 96; ++i) {
    if (s[i] == ')') return i + 1;
    if (s[i] == '(' || s[i] == '\n') return std::string_view::npos;
  }
  return std::string_view::npos;
}

bool single_letter(const Marking& m, std::string_view tok) {
  (void)m;
  std::string_view in = detail::trim(tok.substr(1, tok.size() - 2));
  return in.size() == 1;
}

}  // namespace

std::optional<PortionHit> find_portion_mark(std::string_view s) {
  if (s.size() > (1u << 24)) return std::nullopt;
  std::size_t p = 0;
  while (p < s.size() && space(s[p])) ++p;
  // "¶" (U+00B6) as in WikiLeaks HTML.
  if (p + 1 < s.size() && static_cast<unsigned char>(s[p]) == 0xC2 && static_cast<unsigned char>(s[p + 1]) == 0xB6) p += 2;
  bool numbered = false;
  bool subject = false;
  {
    std::size_t q = p;
    while (q < s.size() && digit(s[q]) && q - p < 3) ++q;
    if (q > p && q < s.size() && (s[q] == '.' || s[q] == ')') && (q + 1 == s.size() || !digit(s[q + 1]))) {
      numbered = true;
      p = q + 1;
    } else if (p + 1 < s.size() && alpha(s[p]) && s[p + 1] == '.' && (p + 2 == s.size() || space(s[p + 2]))) {
      numbered = true;
      p += 2;
    } else if (detail::iat(s, p, "SUBJECT:") || detail::iat(s, p, "SUBJ:")) {
      subject = true;
      p += detail::iat(s, p, "SUBJECT:") ? 8 : 5;
    }
    while (p < s.size() && space(s[p])) ++p;
  }
  const bool ab = has_ab_enumerators(s);
  // Whole-document shortcut.
  {
    std::size_t e = 0;
    if (auto m = entire_text_at(s, p, e)) {
      PortionHit h;
      h.marking = std::move(*m);
      h.begin = p;
      h.end = e;
      h.position = PortionPosition::entire_text;
      return h;
    }
  }
  // Start slot.
  if (std::size_t e = paren_end(s, p); e != std::string_view::npos) {
    std::string_view tok = s.substr(p, e - p);
    std::optional<Marking> m = parse_portion_token(tok);
    if (!m && numbered && five_for_s(tok)) {
      m = Marking{};
      m->text = std::string(tok);
      m->classification = Level::S;
      m->low_confidence = true;
    }
    // Glued to a following code or word ("(c)(B)", "(S)ECRET") it is not a mark.
    const bool glued = e < s.size() && (s[e] == '(' || alnum(s[e]));
    if (m && !glued && !(ab && single_letter(*m, tok) && m->classification == Level::C)) {
      PortionHit h;
      h.marking = std::move(*m);
      h.begin = p;
      h.end = e;
      h.position = subject ? PortionPosition::subject : PortionPosition::start;
      return h;
    }
  }
  // End slot: "... please call. (U)" (optionally followed by '.').
  std::size_t e = s.size();
  while (e > 0 && space(s[e - 1])) --e;
  if (e > 0 && s[e - 1] == '.') --e;
  if (e > 0 && s[e - 1] == ')') {
    std::size_t b = e - 1;
    std::size_t lim = e > 97 ? e - 97 : 0;
    while (b > lim && s[b - 1] != '(' && s[b - 1] != ')' && s[b - 1] != '\n') --b;
    if (b > 0 && s[b - 1] == '(') {
      --b;
      std::string_view tok = s.substr(b, e - b);
      // The mark must follow text, not a reason list ("1.4 (B) AND (C).").
      // ... nor glued to a word or code ("7514T(S)", "6(1)(c)", "Exemptions(s)"); a lower-case
      // single letter after a word is a plural or list marker ("Exemption (s)") outside subjects.
      const bool glued = b > 0 && (alnum(s[b - 1]) || s[b - 1] == ')');
      bool lower_after_word = false;
      if (!subject && tok.size() == 3 && s[b + 1] >= 'a' && s[b + 1] <= 'z') {
        std::size_t q = b;
        while (q > 0 && space(s[q - 1])) --q;
        lower_after_word = q > 0 && alpha(s[q - 1]);
      }
      if (b > p && !glued && !lower_after_word && !in_reason_context(s, b)) {
        std::optional<Marking> m = parse_portion_token(tok);
        if (m && !(ab && single_letter(*m, tok) && m->classification == Level::C)) {
          PortionHit h;
          h.marking = std::move(*m);
          h.begin = b;
          h.end = e;
          h.position = subject ? PortionPosition::subject : PortionPosition::end;
          return h;
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace declass::markings
