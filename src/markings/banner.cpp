// Whole-line markings of MARKINGS.md §2.1, §5 and §11.1: letter-spacing removal, banner lines
// ("SECRET//NOFORN", "S E C R E T"), State cable class lines ("S E C R E T STATE 244337") and
// caption lines ("NODIS", "NODIS NOT FOR ADS", "SIPDIS").
#include <array>

#include <re2/re2.h>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

using detail::alnum;
using detail::alpha;

std::string despace_letters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    bool isolated_start = alpha(s[i]) && (i == 0 || !alnum(s[i - 1])) && (i + 1 == n || !alnum(s[i + 1]));
    if (isolated_start) {
      std::size_t j = i;
      int letters = 1;
      while (j + 2 < n && s[j + 1] == ' ' && alpha(s[j + 2]) && (j + 3 == n || !alnum(s[j + 3]))) {
        j += 2;
        ++letters;
      }
      if (letters >= 4) {
        for (std::size_t k = i; k <= j; k += 2) out.push_back(s[k]);
        i = j + 1;
        continue;
      }
      out.append(s.substr(i, j + 1 - i));
      i = j + 1;
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

namespace {

struct LevelWord {
  std::string_view word;
  Level level;
  std::string_view control;  // implied control ("" none)
};
// Longest first so "TOP SECRET" wins over "SECRET".
constexpr std::array<LevelWord, 15> kBannerLevels = {{
    {"COSMIC TOP SECRET", Level::TS, "FGI NATO"},
    {"SENSITIVE BUT UNCLASSIFIED", Level::U, "SBU"},
    {"LIMITED OFFICIAL USE", Level::U, "LOU"},
    {"NATO UNCLASSIFIED", Level::U, "FGI NATO"},
    {"NATO CONFIDENTIAL", Level::C, "FGI NATO"},
    {"NATO RESTRICTED", Level::R, "FGI NATO"},
    {"NATO SECRET", Level::S, "FGI NATO"},
    {"UNCLASSIFIED", Level::U, ""},
    {"CONFIDENTIAL", Level::C, ""},
    {"TOP SECRET", Level::TS, ""},
    {"RESTRICTED", Level::R, ""},
    {"CONTROLLED", Level::U, "CUI"},
    {"UNCLAS", Level::U, ""},
    {"SECRET", Level::S, ""},
    {"CUI", Level::U, "CUI"},
}};

// Level word at the start of an upper-cased string followed by a separator; returns its length.
const LevelWord* level_at_start(std::string_view u, std::size_t& len) {
  for (const auto& lw : kBannerLevels) {
    if (u.substr(0, lw.word.size()) != lw.word) continue;
    std::size_t e = lw.word.size();
    if (e == u.size() || u[e] == ' ' || u[e] == '/' || u[e] == '\t' ||
        (u[e] == '-' && e + 1 < u.size() && u[e + 1] == '-')) {
      len = e;
      return &lw;
    }
  }
  return nullptr;
}

bool cui_categories(std::string_view rest) {
  for (char c : rest)
    if (!((c >= 'A' && c <= 'Z') || detail::digit(c) || c == '-' || c == '/' || c == ' ' || c == '_')) return false;
  return true;
}

// OCR-damaged banner alone on its line ("UNCLASSWED:", "UNCLASSI.FIEA", "CORP1DENTIAL"): only the
// long level words, marked low-confidence. SECRET is too short to guess safely.
std::optional<Marking> fuzzy_single_word_banner(std::string_view u, Marking& m) {
  std::string_view w = u;
  while (!w.empty() && (w.back() == ':' || w.back() == '.' || w.back() == ';' || w.back() == ',')) w.remove_suffix(1);
  if (w.size() < 10 || w.size() > 14) return std::nullopt;
  for (char c : w)
    if (c == ' ' || c == '/') return std::nullopt;
  int letters = 0;
  for (char c : w) letters += (c >= 'A' && c <= 'Z') ? 1 : 0;
  if (letters + 2 < static_cast<int>(w.size())) return std::nullopt;
  // Distance <= 3 and the first or last two letters intact.
  auto near = [&](std::string_view word) {
    bool ends = w.substr(0, 2) == word.substr(0, 2) || w.substr(w.size() - 2) == word.substr(word.size() - 2);
    return ends && detail::edit_distance(w, word, 3) <= 3;
  };
  if (near("UNCLASSIFIED")) m.classification = Level::U;
  else if (near("CONFIDENTIAL")) m.classification = Level::C;
  else return std::nullopt;
  m.low_confidence = true;
  return m;
}

}  // namespace

std::optional<Marking> parse_banner_line(std::string_view line) {
  std::string_view t = detail::trim(line);
  if (t.empty() || t.size() > 200) return std::nullopt;
  switch (detail::up(t[0])) {  // first letters of the level words (and "//" foreign banners)
    case 'S': case 'C': case 'U': case 'T': case 'L': case 'N': case 'R': case '/': break;
    default: return std::nullopt;
  }
  std::string u = detail::upper(detail::trim(despace_letters(t)));
  if (u.compare(0, 9, "TOPSECRET") == 0) u.insert(3, 1, ' ');  // "T O P S E C R E T"
  Marking m;
  m.text = std::string(t);
  std::string_view rest;
  std::size_t len = 0;
  if (u.size() > 2 && u[0] == '/' && u[1] == '/') {
    // Foreign / joint banner: "//GBR SECRET", "//COSMIC TOP SECRET", "//JOINT SECRET USA GBR".
    std::string_view v = std::string_view(u).substr(2);
    std::string owner;
    if (v.substr(0, 6) == "JOINT ") {
      owner = "JOINT";
      v.remove_prefix(6);
    } else if (const LevelWord* lw0 = level_at_start(v, len); lw0 == nullptr) {
      std::size_t sp = v.find(' ');
      if (sp == std::string_view::npos || sp < 3 || sp > 4) return std::nullopt;
      owner = std::string(v.substr(0, sp));
      for (char c : owner)
        if (!(c >= 'A' && c <= 'Z')) return std::nullopt;
      v.remove_prefix(sp + 1);
    }
    const LevelWord* lw = level_at_start(v, len);
    if (!lw) return std::nullopt;
    m.classification = lw->level;
    if (!lw->control.empty()) m.controls.emplace_back(lw->control);
    rest = v.substr(len);
    if (owner == "JOINT") {
      // Trailing country list of the joint owners.
      std::size_t slash = rest.find('/');
      std::string_view owners = rest.substr(0, slash);
      for (char c : owners)
        if (!((c >= 'A' && c <= 'Z') || c == ' ' || c == ',')) return std::nullopt;
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    } else if (!owner.empty()) {
      m.controls.push_back("FGI " + owner);
    }
    if (!detail::parse_controls(rest, m.controls, true)) return std::nullopt;
    detail::sort_controls(m.controls);
    return m;
  }
  const LevelWord* lw = level_at_start(u, len);
  if (!lw) return fuzzy_single_word_banner(u, m);
  m.classification = lw->level;
  if (!lw->control.empty()) m.controls.emplace_back(lw->control);
  rest = std::string_view(u).substr(len);
  // Prose such as "Controlled by Originator" or "Secret service agents": a mixed-case line and the
  // bare word CONTROLLED are banners only when nothing or a "/" category follows.
  bool mixed = false;
  {
    bool has_up = false, has_low = false;
    for (char c : t) {
      if (c >= 'A' && c <= 'Z') has_up = true;
      if (c >= 'a' && c <= 'z') has_low = true;
    }
    mixed = has_up && has_low;
  }
  std::string_view rt = detail::trim(rest);
  if ((mixed || lw->control == "CUI") && !rt.empty() && rt[0] != '/') return std::nullopt;
  if (lw->control == "CUI") {
    if (!cui_categories(rest)) return std::nullopt;
  } else if (!detail::parse_controls(rest, m.controls, true)) {
    return std::nullopt;
  }
  detail::sort_controls(m.controls);
  return m;
}

std::optional<ClassLine> parse_class_line(std::string_view line) {
  std::string_view t = detail::trim(line);
  if (t.size() < 8 || t.size() > 300 || !alpha(t[0])) return std::nullopt;
  {
    int digits = 0;
    for (char c : t) digits += detail::digit(c) ? 1 : 0;
    if (digits < 3) return std::nullopt;
  }
  std::string u = detail::upper(despace_letters(t));
  if (u.compare(0, 9, "TOPSECRET") == 0) u.insert(3, 1, ' ');
  static const RE2 re(
      R"(^\s*(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE)(?:\s+SECTION\s+\d{1,3}\s+OF\s+\d{1,3})?\s+([A-Z][A-Z ]{0,25}?)\s+(\d{3,6})(?:\s|$))");
  static const RE2 glued(R"(^\s*([A-Z]{4,14})(STATE)\s+(\d{3,6})(?:\s|$))");
  std::string cls, orig, num;
  ClassLine cl;
  if (RE2::PartialMatch(u, re, &cls, &orig, &num)) {
    if (orig == "SECTION") return std::nullopt;
  } else if (RE2::PartialMatch(u, glued, &cls, &orig, &num)) {
    static constexpr std::array<std::string_view, 4> words = {"SECRET", "CONFIDENTIAL", "UNCLAS", "UNCLASSIFIED"};
    std::string best;
    for (auto w : words) {
      if (cls == w) {
        best = cls;
        break;
      }
      if (best.empty() && detail::edit_distance(cls, w, 2) <= 2) {
        best = std::string(w);
        cl.marking.low_confidence = true;
      }
    }
    if (best.empty()) return std::nullopt;
    cls = best;
  } else {
    return std::nullopt;
  }
  if (cls == "LIMITED OFFICIAL USE") {
    cl.marking.classification = Level::U;
    cl.marking.controls.push_back("LOU");
  } else {
    cl.marking.classification = parse_level_code(cls);
  }
  cl.marking.text = std::string(t);
  {
    // the classification's letters ("TOP SECRET" has 9) counted through the line as written,
    // where its letters may be spaced out or glued to the originator
    std::size_t letters = 0;
    for (char c : cls) letters += c == ' ' ? 0 : 1;
    std::size_t i = 0;
    for (std::size_t seen = 0; i < t.size() && seen < letters; ++i)
      if (t[i] != ' ' && t[i] != '\t') ++seen;
    cl.classification_length = i;
  }
  cl.originator = std::string(detail::trim(orig));
  cl.number = num;
  return cl;
}

std::vector<std::string> parse_caption_line(std::string_view line) {
  std::vector<std::string> out;
  std::string_view t = detail::trim(line);
  if (t.empty() || t.size() > 200) return out;
  {
    bool any = false;
    for (std::string_view w : {"DIS", "D I S", "MERCURY", "CHEROKEE", "ROGER", "NOFORN", "SPECAT", "SENSITIVE"})
      if (detail::ifind(t, w) != std::string_view::npos) {
        any = true;
        break;
      }
    if (!any) return out;
  }
  std::string u = detail::upper(despace_letters(t));
  std::string_view v = detail::trim(u);
  if (v.substr(0, 21) == "DESIRED DISTRIBUTION:") v = detail::trim(v.substr(21));
  if (v.substr(0, 9) == "CAPTIONS:") v = detail::trim(v.substr(9));
  if (v.substr(0, 8) == "CAPTION:") v = detail::trim(v.substr(8));
  if (v.empty()) return out;
  // Words split at spaces and light punctuation.
  std::vector<std::string_view> w;
  std::size_t i = 0;
  while (i < v.size()) {
    char c = v[i];
    if (c == ' ' || c == '-' || c == ',' || c == ';' || c == '/' || c == '\t' || c == '.' || c == ':') {
      ++i;
      continue;
    }
    std::size_t b = i;
    while (i < v.size() && !(v[i] == ' ' || v[i] == '-' || v[i] == ',' || v[i] == ';' || v[i] == '/' ||
                             v[i] == '\t' || v[i] == '.' || v[i] == ':'))
      ++i;
    w.push_back(v.substr(b, i - b));
  }
  auto add = [&](std::string_view c) {
    for (const auto& o : out)
      if (o == c) return;
    out.emplace_back(c);
  };
  for (std::size_t k = 0; k < w.size();) {
    std::string_view x = w[k];
    if (x == "NODIS" || x == "EXDIS" || x == "LIMDIS" || x == "STADIS" || x == "SIPDIS" || x == "NOFORN" ||
        x == "MERCURY" || x == "CHEROKEE" || x == "SPECAT" || x == "SENSITIVE") {
      add(x);
      ++k;
      continue;
    }
    if (x == "ROGER" && k + 1 < w.size() && w[k + 1] == "CHANNEL") {
      add("ROGER");
      k += 2;
      continue;
    }
    if (x == "NOT" && k + 2 < w.size() && w[k + 1] == "FOR" && w[k + 2] == "ADS") {
      k += 3;
      continue;
    }
    if (x == "EYES" && k + 1 < w.size() && w[k + 1] == "ONLY" && !out.empty()) break;  // "... EYES ONLY FOR <name>"
    out.clear();
    return out;
  }
  return out;
}

}  // namespace declass::markings
