// Document-level marking validation (MARKINGS.md §3, §4.2, §12): banner vs portion roll-up,
// unmarked paragraphs, FOUO and other control conflicts on portions, authority-block regime checks,
// passed declassify-on dates, and release stamp vs in-text exemption codes. Stable finding codes.
#include <algorithm>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"
#include "markings/validate.hpp"

namespace declass::markings {

namespace {

Finding make(std::string code, std::string severity, std::string message, int paragraph = 0, int line = 0) {
  return Finding{std::move(code), std::move(severity), std::move(message), paragraph, line};
}

// Controls whose presence in any portion requires them in the banner (R3, R4, R5, R11).
bool required_in_banner(const std::string& c) {
  int cat = detail::control_category(c);
  if (cat <= 3) return true;  // SCI, SAP, AEA, FGI
  static constexpr std::string_view kReq[] = {"NOFORN", "ORCON", "ORCON-USGOV", "IMCON", "PROPIN", "FISA",
                                              "DSEN",   "RSEN",  "LIMDIS",      "NODIS", "EXDIS"};
  for (auto r : kReq)
    if (c == r) return true;
  return false;
}

bool banner_has(const std::vector<std::string>& banner, const std::string& c) {
  if (c.substr(0, 3) == "FGI") return detail::has_control_prefix(banner, "FGI");
  if (c == "ORCON-USGOV") return detail::has_control(banner, c) || detail::has_control(banner, "ORCON");
  if (c == "EXDIS") return detail::has_control(banner, c) || detail::has_control(banner, "NODIS");  // R5
  return detail::has_control(banner, c);
}

std::string base_code(const std::string& c) {
  if (c.substr(0, 7) == "(b)(3) ") return "(b)(3)";
  return c;
}

bool is_eo_category(const std::string& c) {
  return c.substr(0, 4) == "1.4(" || c.substr(0, 4) == "1.5(" ||
         (c.size() >= 4 && c[2] == 'X' && (c.substr(0, 2) == "25" || c.substr(0, 2) == "50" || c.substr(0, 2) == "75"));
}

}  // namespace

std::vector<Finding> validate(const DocumentMarkings& doc, const std::vector<ParagraphMarks>& paragraphs,
                              const Date& review_date) {
  std::vector<Finding> out;
  const bool historical = doc.lined_through_original || (doc.document_date && doc.document_date->year < 2005);
  const std::string rollup_severity = historical ? "warning" : "error";

  // ---- Portions ----
  std::vector<Marking> portions;
  bool portion_marked = doc.portion_marked;
  bool entire_text = false;
  if (doc.subject_portion) portions.push_back(*doc.subject_portion);
  for (const auto& p : paragraphs) {
    if (!p.portion) continue;
    portions.push_back(*p.portion);
    portion_marked = true;
    if (detail::ifind(p.portion->text, "ENTIRE") != std::string::npos) entire_text = true;
  }

  // ---- Banner vs roll-up ----
  if (!portions.empty()) {
    Marking need = roll_up(portions);
    if (!doc.banner || !doc.banner->classification) {
      if (need.classification)
        out.push_back(make("banner.missing", "warning",
                           std::string("portion-marked document has no banner; roll-up requires ") + need.canonical(),
                           0, doc.banner_line));
    } else if (need.classification) {
      const Level b = *doc.banner->classification, m = *need.classification;
      if (rank(b) < rank(m)) {
        out.push_back(make("banner.below-portion", rollup_severity,
                           std::string("banner ") + banner_word(b) + " is below the highest portion " + banner_word(m) +
                               (historical ? " (historical or lined-through original)" : ""),
                           0, doc.banner_line));
      } else if (rank(b) > rank(m) && rank(b) > rank(Level::U)) {
        out.push_back(make("banner.above-portion", "warning",
                           std::string("banner ") + banner_word(b) + " is above the highest portion " + banner_word(m) +
                               " (legal only as classification by compilation)",
                           0, doc.banner_line));
      }
    }
    if (doc.banner) {
      std::vector<std::string> have = doc.banner->controls;
      for (const auto& c : doc.captions) have.push_back(c);
      for (const auto& c : need.controls) {
        if (!required_in_banner(c) || banner_has(have, c)) continue;
        out.push_back(make("banner.missing-control", rollup_severity,
                           "a portion carries " + c + " but the banner and captions do not", 0, doc.banner_line));
      }
    }
  }

  // FOUO never appears in a classified banner (R6, ISM-ID-00030).
  if (doc.banner && doc.banner->classification && rank(*doc.banner->classification) > rank(Level::U) &&
      detail::has_control(doc.banner->controls, "FOUO"))
    out.push_back(make("banner.fouo-on-classified", "error", "FOUO in a classified banner (FOUO requires U)", 0,
                       doc.banner_line));

  // ---- Paragraph checks ----
  for (const auto& p : paragraphs) {
    if (p.portion) {
      const Marking& m = *p.portion;
      const bool cls = m.classification && rank(*m.classification) > rank(Level::U);
      if (cls && detail::has_control(m.controls, "FOUO"))
        out.push_back(make("portion.fouo-on-classified", "error",
                           std::string("FOUO on a ") + banner_word(*m.classification) + " portion (FOUO requires U)",
                           p.index, p.line));
      const bool rel = detail::has_control_prefix(m.controls, "REL TO ");
      if (rel && (detail::has_control(m.controls, "NOFORN") || detail::has_control(m.controls, "EYES ONLY")))
        out.push_back(make("portion.control-conflict", "error", "REL TO together with NOFORN/EYES ONLY in one portion",
                           p.index, p.line));
      if (!cls && m.classification && (detail::has_control(m.controls, "ORCON") || detail::has_control(m.controls, "RSEN")))
        out.push_back(make("portion.control-conflict", "error", "ORCON/RSEN on an unclassified portion", p.index, p.line));
    } else if (p.is_body && portion_marked && !entire_text) {
      out.push_back(make("portion.unmarked", "warning", "body paragraph without a portion mark in a portion-marked document",
                         p.index, p.line));
    }
  }

  // ---- Authority block ----
  const Authority& a = doc.authority;
  if (a.declassify_on_date && *a.declassify_on_date < review_date) {
    out.push_back(make("authority.declassify-date-passed", "warning",
                       "declassify-on date " + a.declassify_on_date->iso() + " has passed (review date " +
                           review_date.iso() + ")",
                       0, a.line));
  }
  bool has_x = false;
  for (const auto& r : a.reasons) {
    if (r.size() < 6) continue;
    const char sec = r[2];
    const char letter = r[4];
    if (sec == '6') has_x = true;
    if (sec == '5' && a.order == "13526")
      out.push_back(make("authority.reason-order", "error",
                         "reason " + r + " uses the 1995 E.O. 12958 numbering, but the cited order is E.O. 13526 (use 1.4)",
                         0, a.line));
    if (sec == '5' && letter == 'h')
      out.push_back(make("authority.reason-invalid", "error", "reason " + r + " does not exist (1.5 had letters a-g)", 0, a.line));
    if (sec == '4' && letter == 'h' && doc.document_date && *doc.document_date < Date{2003, 3, 25})
      out.push_back(make("authority.reason-before-amendment", "error",
                         "reason 1.4(h) was added by E.O. 13292 (2003) but the document is dated " +
                             doc.document_date->iso(),
                         0, a.line));
  }
  if (a.declassify_on.size() >= 2 && a.declassify_on[0] == 'X' && detail::digit(a.declassify_on[1])) has_x = true;
  if (has_x && !a.order.empty() && a.order != "12958")
    out.push_back(make("authority.x-code-order", "error",
                       "X1-X8 exemptions exist only under E.O. 12958 (1995-2003), but the cited order is E.O. " + a.order,
                       0, a.line));
  if (a.declassify_on == "OADR" && !a.order.empty() && a.order != "12356") {
    const bool tolerated = a.order == "12958";
    out.push_back(make("authority.oadr-order", tolerated ? "warning" : "error",
                       "OADR belongs to E.O. 12356; under E.O. " + a.order +
                           (tolerated ? " it is tolerated only as a carried-forward source marking" : " it is invalid"),
                       0, a.line));
  }
  if (a.declassify_on == "MR" && a.order == "13526")
    out.push_back(make("authority.mr-order", "error", "MR (manual review) is invalid under E.O. 13526", 0, a.line));
  if ((a.declassify_on.substr(0, 8) == "50X1-HUM" || a.declassify_on.substr(0, 8) == "50X2-WMD") && a.declassify_on_date)
    out.push_back(make("authority.50x-with-date", "error", a.declassify_on.substr(0, 8) + " allows no declassification date",
                       0, a.line));

  // ---- Release stamp vs in-text codes ----
  if (doc.release) {
    const ReleaseStamp& st = *doc.release;
    std::vector<std::string> stamp_base;
    for (const auto& c : st.exemptions) stamp_base.push_back(base_code(c));
    std::vector<std::string> text_base;
    for (const auto& p : paragraphs) {
      for (const auto& c : p.exemptions) {
        std::string b = base_code(c);
        if (std::find(text_base.begin(), text_base.end(), b) == text_base.end()) text_base.push_back(b);
        if (st.status == "RELEASE IN FULL") continue;
        if (std::find(stamp_base.begin(), stamp_base.end(), b) == stamp_base.end())
          out.push_back(make("release.code-not-in-stamp", "error",
                             "in-text code " + stamp_form(c) + " is not listed in the release stamp", p.index, p.line));
      }
    }
    if (st.status == "RELEASE IN PART" && st.exemptions.empty())
      out.push_back(make("release.part-without-codes", "error", "RELEASE IN PART stamp lists no exemption codes", 0, st.line));
    if (st.status == "RELEASE IN FULL" && !text_base.empty())
      out.push_back(make("release.full-with-codes", "warning", "RELEASE IN FULL but exemption codes appear in the text", 0,
                         st.line));
    std::vector<std::string> seen;
    for (const auto& c : st.exemptions) {
      std::string b = base_code(c);
      if (std::find(seen.begin(), seen.end(), b) != seen.end()) continue;
      seen.push_back(b);
      if (std::find(text_base.begin(), text_base.end(), b) == text_base.end())
        out.push_back(make("release.stamp-code-unused", "warning",
                           "stamp code " + stamp_form(c) + " does not appear at any redaction in the text", 0, st.line));
      if (c == "(b)(3)")
        out.push_back(make("release.b3-without-statute", "warning", "B3 in the stamp names no statute", 0, st.line));
      if (c == "(b)(7)")
        out.push_back(make("release.b7-without-letter", "warning", "B7 in the stamp has no sub-letter (A)-(F)", 0, st.line));
    }
    if (std::find(stamp_base.begin(), stamp_base.end(), "(b)(1)") != stamp_base.end() &&
        std::none_of(stamp_base.begin(), stamp_base.end(), is_eo_category))
      out.push_back(make("release.b1-without-category", "error",
                         "B1 in the stamp without any 1.4/1.5/25X classification category", 0, st.line));
  }
  return out;
}

}  // namespace declass::markings
