// Release-review marks printed on released pages (MARKINGS.md §6.1, §11.3): the State release
// decision stamp with its exemption codes (tolerant of OCR damage and line splits), the
// REVIEW AUTHORITY / Declassification Authority line, and the FOIA reading-room footer.
#include <algorithm>

#include <re2/re2.h>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

using detail::alnum;
using detail::alpha;
using detail::digit;
using detail::space;

namespace {

constexpr std::string_view kStatutes[] = {"NATSECACT1947", "CIA PERS/ORG", "CIA ACT", "CIAACT", "NATSECACT", "INA"};

// One stamp code at p in upper-cased text u (newlines kept). Returns canonical and sets end.
std::optional<std::string> stamp_code_at(std::string_view u, std::size_t p, std::size_t& end) {
  if (p >= u.size()) return std::nullopt;
  // OCR forms of B5/B6 ("BS", "BG", "BE", "B€").
  if (u[p] == 'B' && p + 1 < u.size()) {
    char c = u[p + 1];
    std::size_t after = p + 2;
    char num = 0;
    if (c == 'S') num = '5';
    else if (c == 'G' || c == 'E') num = '6';
    else if (static_cast<unsigned char>(c) == 0xE2 && p + 3 < u.size() && static_cast<unsigned char>(u[p + 2]) == 0x82 &&
             static_cast<unsigned char>(u[p + 3]) == 0xAC) {
      num = '6';
      after = p + 4;
    }
    std::size_t q = after;
    while (q < u.size() && u[q] == ' ') ++q;
    if (num && (q >= u.size() || u[q] == '\n' || u[q] == ',' || u[q] == '|' || u[q] == ')')) {
      end = after;
      return std::string("(b)(") + num + ")";
    }
  }
  // Longest plausible token up to a separator.
  std::size_t e = p;
  while (e < u.size() && u[e] != ',' && u[e] != '\n' && u[e] != ' ' && u[e] != '|' && u[e] != ';') ++e;
  std::string_view tok = u.substr(p, e - p);
  while (!tok.empty() && (tok.back() == ')' || tok.back() == '.' || tok.back() == ']')) {
    // Keep a balanced ')' of "B7(C)" / "1.4(D)".
    if (tok.back() == ')' && tok.find('(') != std::string_view::npos &&
        std::count(tok.begin(), tok.end(), '(') >= std::count(tok.begin(), tok.end(), ')'))
      break;
    tok.remove_suffix(1);
  }
  if (tok.empty()) return std::nullopt;
  auto c = canonical_exemption(tok);
  if (!c) {
    // "1.4 (D)" split by a space.
    std::size_t e2 = e;
    if (e2 < u.size() && u[e2] == ' ' && e2 + 1 < u.size() && u[e2 + 1] == '(') {
      std::size_t e3 = e2 + 1;
      while (e3 < u.size() && u[e3] != ')' && e3 - e2 < 6) ++e3;
      if (e3 < u.size() && u[e3] == ')') {
        c = canonical_exemption(u.substr(p, e3 + 1 - p));
        if (c) e = e3 + 1;
      }
    }
    if (!c) return std::nullopt;
  }
  end = e;
  if (*c == "(b)(3)") {
    std::size_t q = e;
    while (q < u.size() && u[q] == ' ') ++q;
    for (auto st : kStatutes) {
      if (u.substr(q, st.size()) == st && (q + st.size() == u.size() || !alnum(u[q + st.size()]))) {
        *c += " " + std::string(st);
        end = q + st.size();
        break;
      }
    }
  }
  return c;
}

}  // namespace

std::optional<ReleaseStamp> parse_release_stamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.size() > (1u << 20)) text = text.substr(0, 1u << 20);
  if (detail::ifind(text, "EASE") == std::string_view::npos && detail::ifind(text, "DENIED") == std::string_view::npos)
    return std::nullopt;
  std::string u = detail::upper(text);
  for (auto& c : u)
    if (c == '[' || c == '\t' || c == '\r') c = ' ';
  // Decision phrase: RELEASE / OCR "PECEASE" etc. (three letters + EASE), IN, FULL / PART / PAR.
  static const RE2 re(R"((?:^|[^A-Z])(([A-Z]{3}EASE|DENIED)[\s|]+IN[\s|]+(FULL|PART|PAR))(?:[^A-Z]|$))");
  re2::StringPiece input(u), whole;
  std::string word, kind;
  if (!RE2::PartialMatch(input, re, &whole, &word, &kind)) return std::nullopt;
  ReleaseStamp st;
  if (word == "DENIED") {
    if (kind != "FULL") return std::nullopt;
    st.status = "DENIED IN FULL";
  } else {
    st.status = kind == "FULL" ? "RELEASE IN FULL" : "RELEASE IN PART";
  }
  std::size_t p = static_cast<std::size_t>(whole.data() - u.data()) + whole.size();
  if (p < u.size() && u[p] == '1' && kind == "FULL") ++p;  // "[RELEASE IN FULL1"
  // Codes: separated by commas, spaces, '|' and line breaks; stop at the first non-code.
  for (int guard = 0; guard < 64; ++guard) {
    while (p < u.size() && (space(u[p]) || u[p] == ',' || u[p] == '|' || u[p] == ';')) ++p;
    if (p >= u.size()) break;
    std::size_t e = p;
    auto c = stamp_code_at(u, p, e);
    if (!c || e <= p) break;
    st.exemptions.push_back(*c);
    p = e;
    while (p < u.size() && (u[p] == ')' || u[p] == '|' || u[p] == '.')) ++p;  // "B6)" "B6|"
  }
  return st;
}

std::optional<std::string> parse_review_authority(std::string_view text) {
  std::size_t pos = std::string_view::npos, len = 0;
  for (std::string_view lbl : {"REVIEW AUTHORITY", "DECLASSIFICATION AUTHORITY"}) {
    std::size_t f = detail::ifind(text, lbl);
    if (f != std::string_view::npos && (pos == std::string_view::npos || f < pos)) {
      pos = f;
      len = lbl.size();
    }
  }
  if (pos == std::string_view::npos) return std::nullopt;
  std::size_t p = pos + len;
  while (p < text.size() && (space(text[p]) || text[p] == ':')) ++p;
  std::string_view rest = text.substr(p, std::min<std::size_t>(text.size() - p, 200));
  // Stop at a following label ("Date:", "Classification Extended", footer).
  for (std::string_view stop : {"UNCLASSIFIED U.S.", "CLASSIFICATION EXTENDED", "RELEASE IN", "U.S. DEPARTMENT"}) {
    std::size_t f = detail::ifind(rest, stop);
    if (f != std::string_view::npos) rest = rest.substr(0, f);
  }
  std::string v = detail::collapse(rest);
  // The review date printed after the name ("..., A/GIS/IPS 6/18/2019") is not part of it.
  if (std::size_t sp = v.rfind(' '); sp != std::string::npos && parse_marking_date(std::string_view(v).substr(sp + 1)))
    v.resize(sp);
  while (!v.empty() && (v.back() == '.' || v.back() == ',' || v.back() == ';' || v.back() == ' ')) v.pop_back();
  if (v.empty()) return std::nullopt;
  return v;
}

std::optional<FoiaFooter> parse_foia_footer(std::string_view text) {
  if (text.size() > (1u << 20)) text = text.substr(0, 1u << 20);
  static const RE2 case_re(R"((?i)Case\s*No[.,:]?\s*([A-Z]{0,2}-?\d{4}-\d{5}|\d{5}-\d{5}))");
  static const RE2 doc_re(R"((?i)Doc\s*No[.,:]?\s*([CO0Q]?\s?[0-9OQ]{8}))");
  static const RE2 date_re(R"((?i)Date\s*:\s*(\d{1,2}/\d{1,2}/\d{4}))");
  if (detail::ifind(text, "DOC") == std::string_view::npos) return std::nullopt;
  std::string c, d, dt;
  if (!RE2::PartialMatch(text, case_re, &c) || !RE2::PartialMatch(text, doc_re, &d)) return std::nullopt;
  FoiaFooter f;
  // Case number: "F-2017-13804", "FL-2017-13804", "M-2019-00123"; OCR "22014-20439" → "F-2014-20439".
  std::string cu = detail::upper(c);
  if (!cu.empty() && digit(cu[0])) {
    if (cu.size() == 11 && cu[5] == '-') cu = "F-" + cu.substr(1);
    else cu = "F-" + cu;
  } else if (cu.find('-') != 1 && cu.find('-') != 2) {
    // "F2017-13804"
    std::size_t k = 0;
    while (k < cu.size() && alpha(cu[k])) ++k;
    cu = cu.substr(0, k) + "-" + cu.substr(k);
  }
  f.case_number = cu;
  // Doc number: "C06698642"; OCR "CO6131108" (O for 0), "05771423" (C lost).
  std::string du;
  for (char ch : detail::upper(d))
    if (ch != ' ') du.push_back(ch);
  std::string digits;
  std::size_t k = 0;
  if (!du.empty() && du[0] == 'C') k = 1;
  for (; k < du.size(); ++k) digits.push_back(du[k] == 'O' || du[k] == 'Q' ? '0' : du[k]);
  if (digits.size() == 9 && digits[0] == '0' && du[0] != 'C') digits = digits.substr(1);
  if (digits.size() == 7) digits = "0" + digits;
  if (digits.size() != 8) return std::nullopt;
  f.doc_number = "C" + digits;
  if (RE2::PartialMatch(text, date_re, &dt)) f.date = parse_marking_date(dt);
  return f;
}

}  // namespace declass::markings
