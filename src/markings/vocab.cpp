// Control-marking vocabulary of MARKINGS.md §1.2, §2 and §2.3: portion abbreviations and legacy
// phrases mapped to canonical banner forms, grammar-order ranking, REL TO country lists, and the
// small string helpers (case folding, bounded edit distance) the other markings sources share.
#include <algorithm>
#include <array>
#include <utility>

#include "markings/detail.hpp"

namespace declass::markings::detail {

std::string upper(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = up(c);
  return r;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool sp = false;
  for (char c : s) {
    if (space(c)) {
      sp = !out.empty();
      continue;
    }
    if (sp) out.push_back(' ');
    sp = false;
    out.push_back(c);
  }
  return out;
}

bool iat(std::string_view hay, std::size_t pos, std::string_view word) {
  if (pos > hay.size() || hay.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (up(hay[pos + i]) != up(word[i])) return false;
  return true;
}

bool iword_at(std::string_view hay, std::size_t pos, std::string_view word) {
  if (!iat(hay, pos, word)) return false;
  std::size_t e = pos + word.size();
  return e >= hay.size() || !alnum(hay[e]);
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  if (hay.size() < needle.size()) return std::string_view::npos;
  const char first = up(needle[0]);
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (up(hay[i]) == first && iat(hay, i, needle)) return i;
  return std::string_view::npos;
}

int edit_distance(std::string_view a, std::string_view b, int max) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > max) return max + 1;
  if (la > 64 || lb > 64) return max + 1;
  std::array<int, 65> prev{}, cur{};
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int best = cur[0];
    for (int j = 1; j <= lb; ++j) {
      int cost = up(a[i - 1]) == up(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      best = std::min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[lb] > max ? max + 1 : prev[lb];
}

namespace {

// Canonical controls per category, in CVE order. A trailing '*' means "this prefix".
constexpr std::array<std::string_view, 7> kSci = {"SI", "SI-*", "TK", "HCS*", "KDK*", "RSV*", "EL*"};
constexpr std::array<std::string_view, 2> kSap = {"SAR-*", "SPECIAL ACCESS REQUIRED-*"};
constexpr std::array<std::string_view, 8> kAea = {"RD", "RD-CNWDI", "RD-SIGMA*", "FRD", "CNWDI", "DOD UCNI", "DOE UCNI", "TFNI"};
constexpr std::array<std::string_view, 1> kFgi = {"FGI*"};
constexpr std::array<std::string_view, 13> kDissem = {"RSEN",     "FOUO", "ORCON", "ORCON-USGOV", "IMCON",
                                                      "NOFORN",   "PROPIN", "RELIDO", "FISA", "DSEN",
                                                      "EYES ONLY", "REL TO*", "DISPLAY ONLY*"};
constexpr std::array<std::string_view, 11> kNonIc = {"LIMDIS", "EXDIS",  "NODIS", "STADIS", "SBU", "SBU NOFORN",
                                                     "LES",    "LES NOFORN", "SSI", "ACCM-*", "NNPI"};

template <std::size_t N>
int index_in(const std::array<std::string_view, N>& list, std::string_view c) {
  for (std::size_t i = 0; i < N; ++i) {
    std::string_view p = list[i];
    if (!p.empty() && p.back() == '*') {
      p.remove_suffix(1);
      if (c.substr(0, p.size()) == p) return static_cast<int>(i);
    } else if (c == p) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Single-word portion/banner tokens → canonical control ("" = accepted but carries nothing).
struct WordMap {
  std::string_view word;
  std::string_view canonical;
};
constexpr WordMap kWords[] = {
    {"NF", "NOFORN"},        {"NOFORN", "NOFORN"},     {"OC", "ORCON"},        {"ORCON", "ORCON"},
    {"ORCON-USGOV", "ORCON-USGOV"},                    {"IMC", "IMCON"},       {"IMCON", "IMCON"},
    {"PR", "PROPIN"},        {"PROPIN", "PROPIN"},     {"RELIDO", "RELIDO"},   {"FISA", "FISA"},
    {"RSEN", "RSEN"},        {"DSEN", "DSEN"},         {"FOUO", "FOUO"},       {"AIUO", "AIUO"},
    {"LOU", "LOU"},          {"CUI", "CUI"},           {"SBU", "SBU"},         {"SBU-NF", "SBU NOFORN"},
    {"LES", "LES"},          {"LES-NF", "LES NOFORN"}, {"SSI", "SSI"},         {"NNPI", "NNPI"},
    {"DS", "LIMDIS"},        {"LIMDIS", "LIMDIS"},     {"XD", "EXDIS"},        {"EXDIS", "EXDIS"},
    {"ND", "NODIS"},         {"NODIS", "NODIS"},       {"STADIS", "STADIS"},   {"SI", "SI"},
    {"TK", "TK"},            {"HCS", "HCS"},           {"KDK", "KDK"},         {"RSV", "RSV"},
    {"RD", "RD"},            {"FRD", "FRD"},           {"CNWDI", "CNWDI"},     {"RD-CNWDI", "RD-CNWDI"},
    {"TFNI", "TFNI"},        {"EYES", "EYES ONLY"},    {"WNINTEL", "WNINTEL"}, {"NOCONTRACT", "NOCONTRACT"},
    {"RYBAT", "RYBAT"},
};

struct Phrase {
  std::array<std::string_view, 7> words;
  std::size_t n;
  std::string_view canonical;  // "" = accepted, no control
};
constexpr Phrase kPhrases[] = {
    {{"WARNING", "NOTICE-SENSITIVE", "INTELLIGENCE", "SOURCES", "AND", "METHODS", "INVOLVED"}, 7, "WNINTEL"},
    {{"NOT", "RELEASABLE", "TO", "FOREIGN", "NATIONALS"}, 5, "NOFORN"},
    {{"FOR", "OFFICIAL", "USE", "ONLY"}, 4, "FOUO"},
    {{"LIMITED", "OFFICIAL", "USE"}, 3, "LOU"},
    {{"SENSITIVE", "BUT", "UNCLASSIFIED"}, 3, "SBU"},
    {{"NO", "FOREIGN", "DISSEM"}, 3, "NOFORN"},
    {{"NO", "DISSEM", "ABROAD"}, 3, "NO DISSEM ABROAD"},
    {{"BACKGROUND", "USE", "ONLY"}, 3, "BACKGROUND USE ONLY"},
    {{"CONTROLLED", "DISSEM"}, 2, "CONTROLLED DISSEM"},
    {{"SBU", "NOFORN"}, 2, "SBU NOFORN"},
    {{"LES", "NOFORN"}, 2, "LES NOFORN"},
    {{"EYES", "ONLY"}, 2, "EYES ONLY"},
    {{"DOD", "UCNI"}, 2, "DOD UCNI"},
    {{"DOE", "UCNI"}, 2, "DOE UCNI"},
    {{"HANDLE", "ACCORDINGLY"}, 2, ""},
};

std::optional<std::string_view> word_control(std::string_view w) {
  for (const auto& m : kWords)
    if (m.word == w) return m.canonical;
  return std::nullopt;
}

bool is_keyword(std::string_view w) {
  return word_control(w).has_value() || w == "REL" || w == "FGI" || w == "DISPLAY";
}

bool all_alpha(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w)
    if (!(c >= 'A' && c <= 'Z')) return false;
  return true;
}

// SCI / SAP / AEA / ACCM compartment forms with suffixes: SI-G, SI-GAMMA-ABCD, HCS-P, KDK-BLFH-XX,
// RSV-ABC, EL-EU, SAR-BP, RD-SIGMA 14 (sigma number handled by the caller), ACCM-NAME.
bool compartment_form(std::string_view w) {
  auto starts = [&](std::string_view p) { return w.size() > p.size() && w.substr(0, p.size()) == p; };
  if (!(starts("SI-") || starts("HCS-") || starts("KDK-") || starts("RSV-") || starts("EL-") ||
        starts("SAR-") || starts("ACCM-") || starts("RD-SIGMA")))
    return false;
  if (w.size() > 40) return false;
  for (char c : w)
    if (!((c >= 'A' && c <= 'Z') || digit(c) || c == '-' || c == '_')) return false;
  return true;
}

struct CountryName {
  std::string_view name;
  std::string_view code;
};
constexpr CountryName kCountries[] = {
    {"US", "USA"},          {"UK", "GBR"},          {"ROYG", "YEM"},        {"YEMEN", "YEM"},
    {"GERMANY", "DEU"},     {"CHINA", "CHN"},       {"FRANCE", "FRA"},      {"BRITAIN", "GBR"},
    {"ENGLAND", "GBR"},     {"CANADA", "CAN"},      {"AUSTRALIA", "AUS"},   {"JAPAN", "JPN"},
    {"ISRAEL", "ISR"},      {"ITALY", "ITA"},       {"SPAIN", "ESP"},       {"SAUDI", "SAU"},
    {"IRAQ", "IRQ"},        {"AFGHANISTAN", "AFG"}, {"PAKISTAN", "PAK"},    {"KOREA", "KOR"},
    {"TURKEY", "TUR"},      {"NETHERLANDS", "NLD"}, {"POLAND", "POL"},      {"RUSSIA", "RUS"},
    {"EGYPT", "EGY"},       {"JORDAN", "JOR"},      {"MEXICO", "MEX"},      {"INDIA", "IND"},
    {"NORWAY", "NOR"},      {"DENMARK", "DNK"},     {"SWEDEN", "SWE"},      {"BELGIUM", "BEL"},
    {"UKRAINE", "UKR"},     {"GEORGIA", "GEO"},     {"TAIWAN", "TWN"},      {"GREECE", "GRC"},
};

}  // namespace

int control_category(std::string_view c) {
  if (index_in(kSci, c) >= 0) return 0;
  if (index_in(kSap, c) >= 0) return 1;
  if (index_in(kAea, c) >= 0) return 2;
  if (index_in(kFgi, c) >= 0) return 3;
  if (index_in(kDissem, c) >= 0) return 4;
  if (index_in(kNonIc, c) >= 0) return 5;
  return 6;
}

int control_rank(std::string_view c) {
  int i;
  if ((i = index_in(kSci, c)) >= 0) return i;
  if ((i = index_in(kSap, c)) >= 0) return 100 + i;
  if ((i = index_in(kAea, c)) >= 0) return 200 + i;
  if ((i = index_in(kFgi, c)) >= 0) return 300 + i;
  if ((i = index_in(kDissem, c)) >= 0) return 400 + i;
  if ((i = index_in(kNonIc, c)) >= 0) return 500 + i;
  return 600;
}

void sort_controls(std::vector<std::string>& controls) {
  std::stable_sort(controls.begin(), controls.end(), [](const std::string& a, const std::string& b) {
    int ra = control_rank(a), rb = control_rank(b);
    if (ra != rb) return ra < rb;
    return a < b;
  });
  controls.erase(std::unique(controls.begin(), controls.end()), controls.end());
}

bool has_control(const std::vector<std::string>& controls, std::string_view c) {
  return std::find(controls.begin(), controls.end(), c) != controls.end();
}

bool has_control_prefix(const std::vector<std::string>& controls, std::string_view prefix) {
  for (const auto& c : controls)
    if (std::string_view(c).substr(0, prefix.size()) == prefix) return true;
  return false;
}

std::optional<std::string> country_code(std::string_view w) {
  for (const auto& c : kCountries)
    if (c.name == w) return std::string(c.code);
  if (w.size() < 3 || w.size() > 20 || !all_alpha(w)) return std::nullopt;
  return std::string(w);
}

std::string rel_to(std::vector<std::string> countries) {
  countries.erase(std::remove(countries.begin(), countries.end(), "USA"), countries.end());
  std::sort(countries.begin(), countries.end(), [](const std::string& a, const std::string& b) {
    bool ta = a.size() == 3, tb = b.size() == 3;
    if (ta != tb) return ta;
    return a < b;
  });
  countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
  std::string r = "REL TO USA";
  for (const auto& c : countries) r += ", " + c;
  return r;
}

std::vector<std::string> rel_countries(std::string_view control) {
  std::vector<std::string> out;
  if (control.substr(0, 7) != "REL TO ") return out;
  std::string_view rest = control.substr(7);
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view tok = trim(rest.substr(0, comma));
    if (!tok.empty()) out.emplace_back(tok);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

bool parse_controls(std::string_view rest, std::vector<std::string>& out, bool banner) {
  // Segments split at '/' (any run); "--" (legacy banners) acts like "//".
  std::vector<std::vector<std::string_view>> segments;
  {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    auto flush_segment = [&] {
      if (!words.empty()) segments.push_back(words);
      words.clear();
    };
    while (i < rest.size()) {
      char c = rest[i];
      if (c == '/' || (c == '-' && i + 1 < rest.size() && rest[i + 1] == '-')) {
        flush_segment();
        while (i < rest.size() && (rest[i] == '/' || rest[i] == '-')) ++i;
        continue;
      }
      if (c == ' ' || c == ',' || c == '\t') {
        ++i;
        continue;
      }
      std::size_t b = i;
      while (i < rest.size() && rest[i] != ' ' && rest[i] != ',' && rest[i] != '/' && rest[i] != '\t' &&
             !(rest[i] == '-' && i + 1 < rest.size() && rest[i + 1] == '-'))
        ++i;
      words.push_back(rest.substr(b, i - b));
    }
    flush_segment();
  }
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const auto& w = segments[s];
    std::size_t i = 0;
    while (i < w.size()) {
      bool matched = false;
      for (const auto& p : kPhrases) {
        if (i + p.n > w.size()) continue;
        bool ok = true;
        for (std::size_t k = 0; k < p.n && ok; ++k) ok = w[i + k] == p.words[k];
        if (ok) {
          if (!p.canonical.empty()) out.emplace_back(p.canonical);
          i += p.n;
          matched = true;
          break;
        }
      }
      if (matched) continue;
      std::string_view t = w[i];
      if (t == "REL" || t == "RELTO") {
        ++i;
        if (i < w.size() && w[i] == "TO") ++i;
        std::vector<std::string> countries;
        while (i < w.size() && !is_keyword(w[i])) {
          auto cc = country_code(w[i]);
          if (!cc) break;
          countries.push_back(*cc);
          ++i;
        }
        out.push_back(rel_to(std::move(countries)));
        continue;
      }
      if (t == "DISPLAY" && i + 1 < w.size() && w[i + 1] == "ONLY") {
        i += 2;
        std::vector<std::string> countries;
        while (i < w.size() && !is_keyword(w[i])) {
          auto cc = country_code(w[i]);
          if (!cc) break;
          countries.push_back(*cc);
          ++i;
        }
        std::sort(countries.begin(), countries.end());
        std::string r = "DISPLAY ONLY";
        for (std::size_t k = 0; k < countries.size(); ++k) r += (k ? ", " : " ") + countries[k];
        out.push_back(r);
        continue;
      }
      if (t == "FGI") {
        ++i;
        std::vector<std::string> countries;
        while (i < w.size() && !is_keyword(w[i]) && (w[i].size() == 3 || w[i].size() == 4) && all_alpha(w[i]))
          countries.emplace_back(w[i++]);
        std::sort(countries.begin(), countries.end());
        std::string r = "FGI";
        for (const auto& c : countries) r += " " + c;
        out.push_back(r);
        continue;
      }
      if (auto c = word_control(t)) {
        if (!c->empty()) out.emplace_back(*c);
        ++i;
        continue;
      }
      if (compartment_form(t)) {
        std::string v(t);
        ++i;
        if (v == "RD-SIGMA" && i < w.size() && !w[i].empty() && digit(w[i][0])) v += " " + std::string(w[i++]);
        out.push_back(v);
        continue;
      }
      if (banner) {
        if (t == "MR" || t == "OADR" || (t.size() == 2 && t[0] == 'X' && t[1] >= '1' && t[1] <= '8')) {
          ++i;
          continue;
        }
        // Trailing print id ("SECRET PTO1637"): last word of the line, letters and digits.
        bool last = s + 1 == segments.size() && i + 1 == w.size();
        bool has_digit = false, ok = t.size() <= 16;
        for (char c : t) {
          if (digit(c)) has_digit = true;
          else if (!(c >= 'A' && c <= 'Z')) ok = false;
        }
        if (last && has_digit && ok) {
          ++i;
          continue;
        }
      }
      return false;
    }
  }
  return true;
}

}  // namespace declass::markings::detail
