// Classification authority blocks (MARKINGS.md §4): E.O. number, Classified By / Derived From,
// reason codes in every historical numbering ("1.5 (B) AND (D)", "1,4 (C) AND (D)", "1.6(X5)"),
// declassification instructions (dates, events, OADR, MR, X1-X8, 25X/50X codes) and marking dates.
#include <array>

#include <re2/re2.h>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

using detail::alnum;
using detail::alpha;
using detail::digit;
using detail::space;

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

int month_of(std::string_view w) {
  if (w.size() < 3) return 0;
  std::string u = detail::upper(w);
  static constexpr std::array<std::string_view, 12> full = {"JANUARY", "FEBRUARY", "MARCH",     "APRIL",
                                                            "MAY",     "JUNE",     "JULY",      "AUGUST",
                                                            "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};
  for (std::size_t i = 0; i < 12; ++i) {
    if (u == kMonths[i] || u == full[i] || (u.size() == 4 && u.back() == '.' && u.substr(0, 3) == kMonths[i]) ||
        (i == 8 && u == "SEPT"))
      return static_cast<int>(i) + 1;
  }
  return 0;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!digit(c)) return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (!digit(c) || v > 100000) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int expand_year(std::string_view y) {
  int v = to_int(y);
  if (v < 0) return -1;
  if (y.size() == 2) return v < 70 ? 2000 + v : 1900 + v;
  if (y.size() == 4) return v;
  return -1;
}

std::optional<Date> make_date(int y, int m, int d) {
  if (y < 1900 || y > 2200 || !Date::valid(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> w;
  std::size_t i = 0;
  while (i < s.size()) {
    if (space(s[i]) || s[i] == ',') {
      ++i;
      continue;
    }
    std::size_t b = i;
    while (i < s.size() && !space(s[i]) && s[i] != ',') ++i;
    w.push_back(s.substr(b, i - b));
  }
  return w;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  for (const auto& x : v)
    if (x == s) return;
  v.push_back(std::move(s));
}

// Trims spaces, punctuation and dangling connector words from the end of a name.
std::string clean_tail(std::string_view s) {
  for (;;) {
    s = detail::trim(s);
    while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == ':' ||
                          s.back() == '-' || s.back() == '~'))
      s.remove_suffix(1);
    s = detail::trim(s);
    bool changed = false;
    for (std::string_view w : {"FOR", "PER", "DUE TO", "SECTION", "CL", "BASED ON", "UNDER", "ON"}) {
      if (s.size() > w.size() && detail::iat(s, s.size() - w.size(), w) && s[s.size() - w.size() - 1] == ' ') {
        s.remove_suffix(w.size());
        changed = true;
        break;
      }
      if (s.size() == w.size() && detail::iat(s, 0, w)) {
        s = {};
        changed = true;
        break;
      }
    }
    if (!changed) break;
  }
  return detail::collapse(s);
}

}  // namespace

std::optional<Date> parse_marking_date(std::string_view text) {
  std::string_view t = detail::trim(text);
  while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';')) t.remove_suffix(1);
  t = detail::trim(t);
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = detail::trim(t.substr(1, t.size() - 2));
  if (t.empty() || t.size() > 40) return std::nullopt;
  if (t.size() == 8 && all_digits(t))
    return make_date(to_int(t.substr(0, 4)), to_int(t.substr(4, 2)), to_int(t.substr(6, 2)));
  // Numeric with separators.
  {
    std::array<std::string_view, 3> parts;
    std::size_t n = 0, b = 0;
    char sep = 0;
    bool ok = true;
    for (std::size_t i = 0; i <= t.size() && ok; ++i) {
      if (i == t.size() || t[i] == '/' || t[i] == '-' || t[i] == '.') {
        if (i < t.size()) {
          if (sep == 0) sep = t[i];
          else if (t[i] != sep) ok = false;
        }
        if (n >= 3) {
          ok = false;
          break;
        }
        parts[n++] = t.substr(b, i - b);
        b = i + 1;
      } else if (!digit(t[i])) {
        ok = false;
      }
    }
    if (ok && n == 3 && !parts[0].empty() && !parts[1].empty() && !parts[2].empty()) {
      if (parts[0].size() == 4 && parts[1].size() <= 2 && parts[2].size() <= 2)
        return make_date(to_int(parts[0]), to_int(parts[1]), to_int(parts[2]));
      if (parts[0].size() <= 2 && parts[1].size() <= 2 && (parts[2].size() == 2 || parts[2].size() == 4))
        return make_date(expand_year(parts[2]), to_int(parts[0]), to_int(parts[1]));
      return std::nullopt;
    }
  }
  // Month names: "MAY 1999", "October 30, 2008", "30 October 2008", "JUNE 21, 2006".
  auto w = words_of(t);
  if (w.size() == 2) {
    int m = month_of(w[0]);
    if (m && w[1].size() == 4 && all_digits(w[1])) return make_date(to_int(w[1]), m, 1);
  } else if (w.size() == 3) {
    int m = month_of(w[0]);
    if (m && all_digits(w[1]) && w[1].size() <= 2 && w[2].size() == 4 && all_digits(w[2]))
      return make_date(to_int(w[2]), m, to_int(w[1]));
    m = month_of(w[1]);
    if (m && all_digits(w[0]) && w[0].size() <= 2 && (w[2].size() == 4 || w[2].size() == 2) && all_digits(w[2]))
      return make_date(expand_year(w[2]), m, to_int(w[0]));
  }
  return std::nullopt;
}

std::vector<std::string> parse_reason_codes(std::string_view s) {
  std::vector<std::string> out;
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Bare X-codes after a REASON label: "REASON: X5,X6".
    if ((s[i] == 'R' || s[i] == 'r') && (i == 0 || !alnum(s[i - 1])) && detail::iat(s, i, "REASON")) {
      std::size_t p = i + 6;
      if (p < n && (s[p] == 'S' || s[p] == 's')) ++p;
      if (p < n && alnum(s[p])) continue;
      while (p < n && (space(s[p]) || s[p] == ':')) ++p;
      while (p + 1 < n && (s[p] == 'X' || s[p] == 'x') && s[p + 1] >= '1' && s[p + 1] <= '8' &&
             (p + 2 == n || !alnum(s[p + 2]))) {
        add_unique(out, std::string("1.6(x") + s[p + 1] + ")");
        p += 2;
        while (p < n && (space(s[p]) || s[p] == ',')) ++p;
        if (detail::iword_at(s, p, "AND")) p += 3;
        while (p < n && space(s[p])) ++p;
      }
      continue;
    }
    if (s[i] != '1' || (i > 0 && (digit(s[i - 1]) || s[i - 1] == '.'))) continue;
    std::size_t p = i + 1;
    if (p < n && s[p] == ' ') ++p;
    if (p >= n || (s[p] != '.' && s[p] != ',')) continue;
    ++p;
    if (p < n && s[p] == ' ') ++p;
    if (p >= n || (s[p] != '4' && s[p] != '5' && s[p] != '6')) continue;
    const char sec = s[p];
    ++p;
    if (p < n && digit(s[p])) continue;  // "1.45", a number
    std::vector<char> letters;
    std::vector<char> xcodes;
    bool stop = false;
    while (p < n && !stop) {
      char c = s[p];
      if (c == ' ' || c == '(' || c == ')' || c == ',' || c == '&' || c == '\t' || c == '\n' || c == '\r') {
        ++p;
        continue;
      }
      if (c == '.') {
        // A period ends the list once letters were read ("1.5 (D). THE ..."), else it is "1.5.D.".
        if (!letters.empty() || !xcodes.empty()) break;
        ++p;
        continue;
      }
      if (!alnum(c)) break;
      std::size_t b = p;
      while (p < n && alnum(s[p])) ++p;
      std::string_view w = s.substr(b, p - b);
      if (sec == '6') {
        if (w.size() == 2 && (w[0] == 'X' || w[0] == 'x') && w[1] >= '1' && w[1] <= '8') {
          xcodes.push_back(w[1]);
          continue;
        }
      } else if (w.size() == 1 && detail::low(w[0]) >= 'a' && detail::low(w[0]) <= 'h') {
        // A bare first letter followed by an ordinary word is prose ("1.4 A MEETING"), not a category.
        const bool in_paren = b > 0 && s[b - 1] == '(';
        if (!in_paren && letters.empty()) {
          std::size_t q = p;
          while (q < n && s[q] == ' ') ++q;
          std::size_t wb = q;
          while (q < n && alpha(s[q])) ++q;
          std::string_view nw = s.substr(wb, q - wb);
          if (nw.size() > 1 && !detail::iword_at(nw, 0, "AND") && !detail::iword_at(nw, 0, "OR")) {
            p = b;
            break;
          }
        }
        letters.push_back(detail::low(w[0]));
        continue;
      }
      if ((detail::iat(w, 0, "AND") && w.size() == 3) || (detail::iat(w, 0, "OR") && w.size() == 2)) {
        if (letters.empty() && xcodes.empty()) stop = true;
        continue;
      }
      p = b;
      stop = true;
    }
    for (char l : letters) add_unique(out, std::string("1.") + sec + "(" + l + ")");
    for (char x : xcodes) add_unique(out, std::string("1.6(x") + x + ")");
    if (p > i + 1) i = p - 1;
  }
  return out;
}

namespace {

// End of a value that runs until the next label of the authority block.
std::size_t value_end(std::string_view s, std::size_t from, std::size_t max_len) {
  std::size_t lim = std::min(s.size(), from + max_len);
  for (std::size_t i = from; i < lim; ++i) {
    char c = s[i];
    if (c == '\n') return i;
    if (c == '~') return i;
    if (c == ' ' && i + 2 < s.size() && s[i + 1] == '-' && s[i + 2] == ' ') return i;
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0x94 || static_cast<unsigned char>(s[i + 2]) == 0x93))
      return i;
    if (i > from && alpha(c) && !alnum(s[i - 1])) {
      for (std::string_view lbl : {"TAGS", "SUBJECT", "CLASSIFIED BY", "REASON", "DERIVED FROM", "DRV FROM",
                                   "DECLASSIFY ON", "DECL", "CLASS:", "E.O.", "CL BY", "CL REASON"}) {
        if (detail::iword_at(s, i, lbl) || (lbl.back() == ':' && detail::iat(s, i, lbl))) return i;
      }
    }
  }
  return lim;
}

std::optional<std::string> xcode_list(std::string_view v) {
  std::string out;
  std::size_t p = 0;
  if (p + 3 <= v.size() && v[0] == '1' && v[1] == '.' && v[2] == '6') {
    p = 3;
    while (p < v.size() && (v[p] == ' ' || v[p] == '(')) ++p;
  }
  int count = 0;
  while (p < v.size()) {
    while (p < v.size() && (v[p] == ' ' || v[p] == ',' || v[p] == '(' || v[p] == ')')) ++p;
    if (p >= v.size()) break;
    if (p + 1 < v.size() && (v[p] == 'X' || v[p] == 'x') && v[p + 1] >= '1' && v[p + 1] <= '8' &&
        (p + 2 == v.size() || !alnum(v[p + 2]))) {
      if (count++) out += ", ";
      out += 'X';
      out += v[p + 1];
      p += 2;
      continue;
    }
    if (detail::iword_at(v, p, "AND")) {
      p += 3;
      continue;
    }
    break;
  }
  if (count == 0 || p < v.size()) return std::nullopt;
  return out;
}

// Declassification instruction value → (declassify_on text, date).
void classify_decl(std::string_view raw, Authority& a) {
  std::string_view v = detail::trim(raw);
  while (!v.empty() && (v.back() == '.' || v.back() == ',' || v.back() == ';' || v.back() == ':')) v.remove_suffix(1);
  v = detail::trim(v);
  if (v.empty()) return;
  auto w = words_of(v);
  if (w.empty()) return;
  // Date as the first one to three words.
  for (std::size_t k = 1; k <= std::min<std::size_t>(3, w.size()); ++k) {
    std::string_view span(w[0].data(), static_cast<std::size_t>(w[k - 1].data() + w[k - 1].size() - w[0].data()));
    if (auto d = parse_marking_date(span)) {
      a.declassify_on = d->iso();
      a.declassify_on_date = d;
      return;
    }
  }
  std::string u = detail::upper(w[0]);
  while (!u.empty() && (u.back() == '.' || u.back() == ',')) u.pop_back();
  if (u == "OADR" || u == "OAOR" || u == "0ADR" || u == "QADR") {
    a.declassify_on = "OADR";
    return;
  }
  if (u == "MR") {
    a.declassify_on = "MR";
    return;
  }
  if (u == "N/A" || u == "NA") {
    a.declassify_on = "N/A";
    return;
  }
  if (auto x = xcode_list(v)) {
    a.declassify_on = *x;
    return;
  }
  // "Source marked 25X1-human, Date of source: ..."
  std::size_t start = 0;
  if (detail::iat(v, 0, "SOURCE MARKED ")) start = 14;
  {
    std::string_view first = words_of(v.substr(start)).empty() ? std::string_view() : words_of(v.substr(start))[0];
    if (auto c = canonical_exemption(first); c && (c->find('X') != std::string::npos)) {
      a.declassify_on = *c;
      auto rest_words = words_of(v.substr(start));
      if (start == 0) {
        for (std::size_t k = 1; k < rest_words.size() && k <= 3; ++k) {
          std::string_view span(rest_words[1].data(),
                                static_cast<std::size_t>(rest_words[k].data() + rest_words[k].size() - rest_words[1].data()));
          if (auto d = parse_marking_date(span)) {
            a.declassify_on += ", " + d->iso();
            a.declassify_on_date = d;
            break;
          }
        }
      }
      return;
    }
  }
  // Event or other instruction, as written (first sentence, collapsed).
  std::size_t dot = v.find(". ");
  a.declassify_on = detail::collapse(v.substr(0, dot));
}

}  // namespace

void parse_authority_text(std::string_view s, Authority& a) {
  if (s.size() > (1u << 22)) s = s.substr(0, 1u << 22);
  // Executive order (only when a five-digit number starting with 1 is present).
  bool five_digits = false;
  for (std::size_t i = 0, run = 0; i < s.size() && !five_digits; ++i) {
    run = digit(s[i]) ? run + 1 : 0;
    five_digits = run == 5 && s[i - 4] == '1';
  }
  if (a.order.empty() && five_digits) {
    static const RE2 eo(R"((?i)(?:^|[^A-Za-z0-9])E\s?[.,]?\s?[O0]\s?[.,]?\s*(1[0-3]\d{3})(?:[^0-9]|$))");
    std::string num;
    if (RE2::PartialMatch(s, eo, &num)) {
      if (num == "12366") num = "12356";
      if (num == "10501" || num == "11652" || num == "12065" || num == "12356" || num == "12958" || num == "13292" ||
          num == "13526")
        a.order = num;
    }
  }
  // Classified by.
  if (a.classified_by.empty()) {
    std::size_t pos = std::string_view::npos, lab_len = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((s[i] != 'C' && s[i] != 'c') || (i > 0 && alnum(s[i - 1]))) continue;
      if (detail::iat(s, i, "CLASSIFIED BY")) {
        pos = i;
        lab_len = 13;
        break;
      }
      if (detail::iword_at(s, i, "CL BY")) {
        pos = i;
        lab_len = 5;
        break;
      }
    }
    if (pos != std::string_view::npos) {
      std::size_t p = pos + lab_len;
      for (;;) {  // "Classified By: Classified By: ..."
        while (p < s.size() && (space(s[p]) || s[p] == ':')) ++p;
        if (detail::iat(s, p, "CLASSIFIED BY")) {
          p += 13;
          continue;
        }
        break;
      }
      if (!detail::iword_at(s, p, "DERIVED") && !detail::iword_at(s, p, "SECTION")) {
        std::size_t e = p;
        std::size_t lim = std::min(s.size(), p + 160);
        for (; e < lim; ++e) {
          char c = s[e];
          if (c == '\n') {
            // A wrapped block continues when the next line carries the reason ("... DURHAM FOR\nREASONS 1.4").
            std::size_t nl = s.find('\n', e + 1);
            std::string_view next = s.substr(e + 1, nl == std::string_view::npos ? std::string_view::npos : nl - e - 1);
            if (detail::ifind(next, "REASON") == std::string_view::npos && parse_reason_codes(next).empty()) break;
            continue;
          }
          if (c == ' ' && e + 2 < s.size() && s[e + 1] == '-' && s[e + 2] == ' ') break;
          if (c == '~') break;
          if (static_cast<unsigned char>(c) == 0xE2 && e + 2 < s.size() && static_cast<unsigned char>(s[e + 1]) == 0x80 &&
              (static_cast<unsigned char>(s[e + 2]) == 0x94 || static_cast<unsigned char>(s[e + 2]) == 0x93))
            break;
          if (e > p && !alnum(s[e - 1])) {
            if (detail::iword_at(s, e, "REASON") || detail::iword_at(s, e, "REASONS") ||
                detail::iword_at(s, e, "DECL") || detail::iword_at(s, e, "DECLASSIFY") ||
                detail::iword_at(s, e, "DERIVED") || detail::iword_at(s, e, "DRV") || detail::iat(s, e, "CLASS:"))
              break;
            if (c == '1' && e + 2 < s.size() && (s[e + 1] == '.' || s[e + 1] == ',') &&
                (s[e + 2] == '4' || s[e + 2] == '5' || s[e + 2] == '6'))
              break;
            if (detail::iword_at(s, e, "ON") && e + 3 < s.size() && digit(s[e + 3])) break;
          }
        }
        std::string who = clean_tail(s.substr(p, e - p));
        if (!who.empty()) a.classified_by = who;
      }
    }
  }
  // Derived from.
  if (a.derived_from.empty()) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((s[i] != 'D' && s[i] != 'd') || (i > 0 && alnum(s[i - 1]))) continue;
      std::size_t len = detail::iat(s, i, "DERIVED FROM") ? 12 : detail::iat(s, i, "DRV FROM") ? 8 : 0;
      if (!len) continue;
      std::size_t p = i + len;
      while (p < s.size() && (space(s[p]) || s[p] == ':')) ++p;
      std::string v = clean_tail(s.substr(p, value_end(s, p, 120) - p));
      if (!v.empty()) a.derived_from = v;
      break;
    }
  }
  // Reasons.
  for (auto& r : parse_reason_codes(s)) add_unique(a.reasons, std::move(r));
  // Declassify on.
  if (a.declassify_on.empty()) {
    for (std::size_t i = 0; i < s.size() && a.declassify_on.empty(); ++i) {
      const char c0 = detail::up(s[i]);
      if ((c0 != 'D' && c0 != 'O') || (i > 0 && alnum(s[i - 1]))) continue;
      std::size_t len = 0;
      if (detail::iword_at(s, i, "DECLASSIFY")) len = 10;
      else if (detail::iword_at(s, i, "DECL")) len = 4;
      else if (detail::iword_at(s, i, "OECL")) len = 4;
      if (!len) continue;
      std::size_t p = i + len;
      while (p < s.size() && (s[p] == ' ' || s[p] == ':' || s[p] == ';')) ++p;
      if (detail::iword_at(s, p, "ON")) p += 2;
      while (p < s.size() && (s[p] == ' ' || s[p] == ':' || s[p] == ';')) ++p;
      std::size_t e = value_end(s, p, 80);
      // value_end stops at a nested "DECL" label: allow "DECLASSIFIED BY NARA ..." as a value.
      if (e == p && detail::iat(s, p, "DECLASSIFIED")) e = std::min(s.size(), p + 60);
      classify_decl(s.substr(p, e - p), a);
    }
  }
  // Older schedules: GDS / XGDS-n / RDS-n / XDS-n, "E2 IMPDET", "GROUP 1", "E.O. 12958: N/A".
  if (a.declassify_on.empty() &&
      (s.find("DS") != std::string_view::npos || s.find("IMPDET") != std::string_view::npos ||
       s.find("GROUP") != std::string_view::npos || (five_digits && detail::ifind(s, "N") != std::string_view::npos))) {
    static const RE2 sched(R"((?:^|[^A-Z0-9-])(XGDS-\d|GDS|RDS-\d|XDS-\d|IMPDET|GROUP [1-4])(?:[^A-Z0-9]|$)\s*(\d{1,2}/\d{1,2}/\d{2,4})?\s*(?:\(([^()]{2,40})\))?)");
    std::string code_s, date_s, who;
    if (RE2::PartialMatch(s, sched, &code_s, &date_s, &who)) {
      a.declassify_on = code_s;
      if (!date_s.empty())
        if (auto d = parse_marking_date(date_s)) a.declassify_on_date = d;
      if (a.classified_by.empty() && !who.empty()) a.classified_by = detail::collapse(who);
    } else {
      static const RE2 na(R"((?i)E\s?[.,]?\s?O\s?[.,]?\s*1\d{4}\s*[:;]\s*N/?A(?:[^A-Za-z]|$))");
      if (RE2::PartialMatch(s, na)) a.declassify_on = "N/A";
    }
  }
}

}  // namespace declass::markings
