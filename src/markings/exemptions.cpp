// Exemption codes of MARKINGS.md §4.1, §6 and §7: FOIA (b)(1)-(b)(9) in State "B6" and DOJ "(b)(6)"
// spellings, E.O. categories 1.4(a-h)/1.5(a-g), 25X/50X/75X, Privacy Act (j)/(k). Canonical forms,
// free-text search with offsets, State stamp spelling and ordering, and plain-language meanings.
#include <algorithm>
#include <array>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

using detail::alnum;
using detail::alpha;
using detail::digit;
using detail::space;

namespace {

void skip_sp(std::string_view s, std::size_t& p) {
  while (p < s.size() && s[p] == ' ') ++p;
}

// "(x)" with optional inner spaces at p; returns the character and advances.
std::optional<char> paren_char(std::string_view s, std::size_t& p) {
  std::size_t q = p;
  if (q >= s.size() || s[q] != '(') return std::nullopt;
  ++q;
  skip_sp(s, q);
  if (q >= s.size()) return std::nullopt;
  char c = s[q++];
  skip_sp(s, q);
  if (q >= s.size() || s[q] != ')') return std::nullopt;
  p = q + 1;
  return c;
}

// FOIA code at p: "(b)(7)(C)", "(b) (3)", "b(6)", "B7(C)", "B6". Sets end; digit and sub-letter out.
bool foia_at(std::string_view s, std::size_t p, std::size_t& end, char& num, char& sub) {
  sub = 0;
  std::size_t q = p;
  if (q < s.size() && s[q] == '(') {
    auto b = paren_char(s, q);
    if (!b || (*b != 'b' && *b != 'B')) return false;
    skip_sp(s, q);
    auto d = paren_char(s, q);
    if (!d || *d < '1' || *d > '9') return false;
    num = *d;
  } else if (q < s.size() && (s[q] == 'B' || s[q] == 'b')) {
    ++q;
    if (q < s.size() && s[q] == '(') {
      auto d = paren_char(s, q);
      if (!d || *d < '1' || *d > '9') return false;
      num = *d;
    } else if (q < s.size() && s[q] >= '1' && s[q] <= '9') {
      num = s[q++];
      if (q < s.size() && digit(s[q])) return false;  // "B52"
    } else {
      return false;
    }
  } else {
    return false;
  }
  if (num == '7') {
    std::size_t r = q;
    skip_sp(s, r);
    if (auto l = paren_char(s, r)) {
      char L = detail::up(*l);
      if (L >= 'A' && L <= 'F') {
        sub = L;
        q = r;
      }
    }
  }
  end = q;
  return true;
}

// E.O. category at p: "1.4(D)", "1 4(D)", "1,4 (c)", "1.5 (B)", "1.4.D" (bare form only when
// allow_bare). Sets end, section ('4'/'5') and lower-case letter.
bool eo_at(std::string_view s, std::size_t p, std::size_t& end, char& sec, char& letter, bool allow_bare) {
  std::size_t q = p;
  if (q >= s.size() || s[q] != '1') return false;
  ++q;
  bool sep = false;
  if (q < s.size() && (s[q] == '.' || s[q] == ',')) {
    sep = true;
    ++q;
  }
  if (q < s.size() && s[q] == ' ') {
    sep = true;
    ++q;
  }
  if (!sep || q >= s.size() || (s[q] != '4' && s[q] != '5')) return false;
  sec = s[q++];
  if (q < s.size() && digit(s[q])) return false;
  std::size_t r = q;
  skip_sp(s, r);
  if (auto l = paren_char(s, r)) {
    letter = detail::low(*l);
  } else if (allow_bare) {
    r = q;
    if (r < s.size() && (s[r] == '.' || s[r] == ' ')) ++r;
    if (r >= s.size() || !alpha(s[r]) || (r + 1 < s.size() && alnum(s[r + 1]))) return false;
    letter = detail::low(s[r++]);
  } else {
    return false;
  }
  if (letter < 'a' || letter > 'h' || (sec == '5' && letter == 'h')) return false;
  // OCR margin rule read as a trailing "1": "1.4(D)1".
  if (r < s.size() && s[r] == '1' && (r + 1 == s.size() || !alnum(s[r + 1]))) ++r;
  end = r;
  return true;
}

// 25X/50X/75X at p. Returns canonical and sets end.
std::optional<std::string> xcode_at(std::string_view s, std::size_t p, std::size_t& end) {
  if (p + 4 > s.size()) return std::nullopt;
  std::string pre(s.substr(p, 2));
  if (pre != "25" && pre != "50" && pre != "75") return std::nullopt;
  if (s[p + 2] != 'X' && s[p + 2] != 'x') return std::nullopt;
  char d = s[p + 3];
  if (d < '1' || d > '9') return std::nullopt;
  std::size_t q = p + 4;
  std::string code = pre + "X" + d;
  auto suffix = [&](std::string_view word, std::string_view canon) {
    std::size_t r = q;
    if (r < s.size() && (s[r] == '-' || s[r] == ' ')) ++r;
    if (detail::iword_at(s, r, word)) {
      code += canon;
      q = r + word.size();
      return true;
    }
    return false;
  };
  if (pre == "25" && d == '1') {
    if (!suffix("HUMAN", "-HUMAN") && !suffix("HUM", "-HUMAN")) {
      std::size_t r = q;
      if (r < s.size() && s[r] == '-') ++r;
      if (detail::iat(s, r, "EO")) {
        std::size_t t = r + 2;
        if (t < s.size() && (s[t] == '-' || s[t] == ' ')) ++t;
        if (detail::iword_at(s, t, "12951")) {
          code += "-EO-12951";
          q = t + 5;
        }
      }
    }
  } else if (pre == "50" && d == '1') {
    suffix("HUM", "-HUM");
  } else if (pre == "50" && d == '2') {
    suffix("WMD", "-WMD");
  }
  if (q < s.size() && alnum(s[q])) return std::nullopt;
  end = q;
  return code;
}

bool pa_at(std::string_view s, std::size_t p, std::size_t& end, char& kind, char& num) {
  std::size_t q = p;
  auto k = paren_char(s, q);
  if (!k || (*k != 'j' && *k != 'k')) return false;
  skip_sp(s, q);
  auto d = paren_char(s, q);
  if (!d) return false;
  if ((*k == 'j' && (*d < '1' || *d > '2')) || (*k == 'k' && (*d < '1' || *d > '7'))) return false;
  kind = *k;
  num = *d;
  end = q;
  return true;
}

std::string foia_canonical(char num, char sub) {
  std::string c = "(b)(";
  c += num;
  c += ')';
  if (sub) {
    c += '(';
    c += sub;
    c += ')';
  }
  return c;
}

// Known B3 statute tags printed on State stamps.
constexpr std::array<std::string_view, 6> kStatutes = {"NATSECACT1947", "CIA PERS/ORG", "CIA ACT", "CIAACT", "INA",
                                                       "NATSECACT"};

bool preceded_by_label(std::string_view s, std::size_t p, std::initializer_list<std::string_view> labels,
                       std::size_t window) {
  std::size_t b = p > window ? p - window : 0;
  std::string_view pre = s.substr(b, p - b);
  std::size_t nl = pre.rfind('\n');
  if (nl != std::string_view::npos) pre = pre.substr(nl + 1);
  for (auto l : labels)
    if (detail::ifind(pre, l) != std::string_view::npos) return true;
  return false;
}

}  // namespace

std::optional<std::string> canonical_exemption(std::string_view raw) {
  std::string_view t = detail::trim(raw);
  while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';')) t.remove_suffix(1);
  t = detail::trim(t);
  if (t.empty() || t.size() > 80) return std::nullopt;
  std::size_t end = 0;
  char num = 0, sub = 0;
  if (foia_at(t, 0, end, num, sub)) {
    std::string_view rest = detail::trim(t.substr(end));
    if (rest.empty()) return foia_canonical(num, sub);
    if (num == '3') return "(b)(3) " + detail::collapse(rest);
    return std::nullopt;
  }
  char sec = 0, letter = 0;
  if (eo_at(t, 0, end, sec, letter, true) && end == t.size())
    return std::string("1.") + sec + "(" + letter + ")";
  if (auto x = xcode_at(t, 0, end); x && end == t.size()) return x;
  char kind = 0;
  if (pa_at(t, 0, end, kind, num) && end == t.size()) return std::string("PA(") + kind + ")(" + num + ")";
  return std::nullopt;
}

std::vector<ExemptionHit> find_exemption_codes(std::string_view s) {
  std::vector<ExemptionHit> out;
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[i];
    bool boundary = i == 0 || !alnum(s[i - 1]);
    if (!boundary) continue;
    std::size_t end = 0;
    if (c == '(') {
      char num = 0, sub = 0, kind = 0;
      if (foia_at(s, i, end, num, sub)) {
        out.push_back({foia_canonical(num, sub), i, end});
        i = end - 1;
      } else if (pa_at(s, i, end, kind, num)) {
        out.push_back({std::string("PA(") + kind + ")(" + num + ")", i, end});
        i = end - 1;
      }
      continue;
    }
    if (c == 'B') {
      char num = 0, sub = 0;
      if (foia_at(s, i, end, num, sub) && (end == n || !alnum(s[end]))) {
        std::string code = foia_canonical(num, sub);
        if (num == '3') {
          std::size_t q = end;
          skip_sp(s, q);
          for (auto st : kStatutes) {
            if (detail::iat(s, q, st) && (q + st.size() == n || !alnum(s[q + st.size()]))) {
              code += " " + std::string(st);
              end = q + st.size();
              break;
            }
          }
        }
        out.push_back({code, i, end});
        i = end - 1;
      }
      continue;
    }
    if (c == '1') {
      char sec = 0, letter = 0;
      if (eo_at(s, i, end, sec, letter, false) && (end == n || !alnum(s[end]))) {
        if (!preceded_by_label(s, i, {"REASON", "CLASSIFIED BY", "CL BY"}, 80))
          out.push_back({std::string("1.") + sec + "(" + letter + ")", i, end});
        i = end - 1;
      }
      continue;
    }
    if (c == '2' || c == '5' || c == '7') {
      if (auto x = xcode_at(s, i, end)) {
        if (!preceded_by_label(s, i, {"DECL", "SOURCE MARKED"}, 40)) out.push_back({*x, i, end});
        i = end - 1;
      }
    }
  }
  return out;
}

std::string stamp_form(std::string_view c) {
  if (c.size() >= 6 && c.substr(0, 4) == "(b)(" && c[5] == ')') {
    std::string r = "B";
    r += c[4];
    std::string_view rest = c.substr(6);
    if (rest.size() >= 3 && rest[0] == '(' && rest[2] == ')') {
      r += rest.substr(0, 3);
      rest.remove_prefix(3);
    }
    rest = detail::trim(rest);
    if (!rest.empty()) r += " " + std::string(rest);
    return r;
  }
  if (c.size() == 6 && c[0] == '1' && c[1] == '.' && c[3] == '(' && c[5] == ')') {
    std::string r(c);
    r[4] = detail::up(r[4]);
    return r;
  }
  if (c.substr(0, 2) == "PA") return std::string(c.substr(2));
  return std::string(c);
}

namespace {
int order_key(std::string_view c) {
  if (c.substr(0, 4) == "(b)(" && c.size() >= 6) {
    int d = c[4] - '0';
    return d == 1 ? 0 : 100 + d * 10;
  }
  if (c.substr(0, 2) == "1.") return 10;
  if (c.size() >= 3 && c[2] == 'X') return 20;
  if (c.substr(0, 2) == "PA") return 300;
  return 400;
}
}  // namespace

std::string stamp_code_list(const std::vector<std::string>& codes) {
  std::vector<std::string> v;
  for (const auto& c : codes)
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  std::stable_sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) {
    int ka = order_key(a), kb = order_key(b);
    if (ka != kb) return ka < kb;
    return a < b;
  });
  std::string out;
  for (const auto& c : v) {
    if (!out.empty()) out += ", ";
    out += stamp_form(c);
  }
  return out;
}

std::string exemption_meaning(std::string_view c) {
  struct M {
    std::string_view code, text;
  };
  static constexpr M kMeanings[] = {
      {"(b)(1)", "FOIA (b)(1): properly classified under an Executive Order (national security)"},
      {"(b)(2)", "FOIA (b)(2): internal personnel rules and practices of an agency"},
      {"(b)(3)", "FOIA (b)(3): specifically exempted from disclosure by another statute"},
      {"(b)(4)", "FOIA (b)(4): trade secrets and confidential commercial or financial information"},
      {"(b)(5)", "FOIA (b)(5): inter- or intra-agency deliberative, attorney-client or work-product material"},
      {"(b)(6)", "FOIA (b)(6): personnel, medical and similar files; clearly unwarranted invasion of personal privacy"},
      {"(b)(7)", "FOIA (b)(7): records compiled for law-enforcement purposes"},
      {"(b)(7)(A)", "FOIA (b)(7)(A): could reasonably be expected to interfere with enforcement proceedings"},
      {"(b)(7)(B)", "FOIA (b)(7)(B): would deprive a person of a right to a fair trial or impartial adjudication"},
      {"(b)(7)(C)", "FOIA (b)(7)(C): unwarranted invasion of personal privacy in law-enforcement records"},
      {"(b)(7)(D)", "FOIA (b)(7)(D): could disclose a confidential source"},
      {"(b)(7)(E)", "FOIA (b)(7)(E): law-enforcement techniques, procedures or guidelines"},
      {"(b)(7)(F)", "FOIA (b)(7)(F): could endanger the life or physical safety of any individual"},
      {"(b)(8)", "FOIA (b)(8): regulation or supervision of financial institutions"},
      {"(b)(9)", "FOIA (b)(9): geological and geophysical information concerning wells"},
      {"a", "military plans, weapons systems, or operations"},
      {"b", "foreign government information"},
      {"c", "intelligence activities (including covert action), intelligence sources or methods, or cryptology"},
      {"d", "foreign relations or foreign activities of the United States, including confidential sources"},
      {"e", "scientific, technological, or economic matters relating to the national security"},
      {"f", "United States Government programs for safeguarding nuclear materials or facilities"},
      {"g", "vulnerabilities or capabilities of systems, installations, infrastructures, projects, plans, or protection services relating to the national security"},
      {"h", "the development, production, or use of weapons of mass destruction"},
      {"25X1", "25X1: reveal the identity of a confidential human source or a human intelligence source, or reveal information about the application of an intelligence source or method"},
      {"25X1-HUMAN", "25X1-human: reveal a confidential human source (legacy form of 50X1-HUM)"},
      {"25X1-EO-12951", "25X1-EO-12951: imagery covered by E.O. 12951"},
      {"25X2", "25X2: assist in the development, production, or use of weapons of mass destruction"},
      {"25X3", "25X3: impair U.S. cryptologic systems or activities"},
      {"25X4", "25X4: impair the application of state-of-the-art technology within a U.S. weapon system"},
      {"25X5", "25X5: reveal formally named or numbered U.S. military war plans that remain in effect"},
      {"25X6", "25X6: cause serious harm to relations between the U.S. and a foreign government, or to ongoing diplomatic activities"},
      {"25X7", "25X7: impair the ability of officials to protect the President, Vice President, and other protectees"},
      {"25X8", "25X8: seriously impair national security emergency preparedness plans or reveal current vulnerabilities"},
      {"25X9", "25X9: violate a statute, treaty, or international agreement"},
      {"50X1-HUM", "50X1-HUM: clearly and demonstrably reveal the identity of a confidential human source or human intelligence source"},
      {"50X2-WMD", "50X2-WMD: clearly and demonstrably reveal key design concepts of weapons of mass destruction"},
      {"PA(j)(1)", "Privacy Act (j)(1): records maintained by the CIA"},
      {"PA(j)(2)", "Privacy Act (j)(2): criminal law-enforcement records"},
      {"PA(k)(1)", "Privacy Act (k)(1): classified information (as FOIA (b)(1))"},
      {"PA(k)(2)", "Privacy Act (k)(2): investigatory material compiled for law-enforcement purposes"},
      {"PA(k)(3)", "Privacy Act (k)(3): Secret Service protective records"},
      {"PA(k)(4)", "Privacy Act (k)(4): records required by statute to be used only as statistical records"},
      {"PA(k)(5)", "Privacy Act (k)(5): suitability or clearance investigations (confidential source)"},
      {"PA(k)(6)", "Privacy Act (k)(6): testing or examination material"},
      {"PA(k)(7)", "Privacy Act (k)(7): armed-services promotion evaluation material (confidential source)"},
  };
  if (c.size() == 6 && c[0] == '1' && c[1] == '.' && (c[2] == '4' || c[2] == '5') && c[3] == '(' && c[5] == ')') {
    for (const auto& m : kMeanings)
      if (m.code.size() == 1 && m.code[0] == c[4]) {
        if (c[2] == '5' && c[4] == 'h') return {};
        return std::string("E.O. ") + (c[2] == '4' ? "13526 / 12958 as amended section 1.4(" : "12958 (1995) section 1.5(") +
               c[4] + "): " + std::string(m.text);
      }
    return {};
  }
  if (c.substr(0, 7) == "(b)(3) ") return std::string(kMeanings[2].text) + " (" + std::string(c.substr(7)) + ")";
  if (c.size() == 4 && (c.substr(0, 2) == "50" || c.substr(0, 2) == "75") && c[2] == 'X')
    return std::string(c) + ": exemption from automatic declassification beyond " + std::string(c.substr(0, 2)) +
           " years under an ISCAP-approved declassification guide";
  for (const auto& m : kMeanings)
    if (m.code == c) return std::string(m.text);
  return {};
}

}  // namespace declass::markings
