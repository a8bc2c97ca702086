// Banner roll-up of MARKINGS.md §3 (ISM rules R1-R11): the banner a set of portion marks requires.
// Highest level; union of NOFORN-class, SCI, SAP, AEA and NODIS/LIMDIS controls; EXDIS only without
// NODIS; REL TO as the intersection when every classified portion is REL; FOUO/SBU only on U banners.
#include <algorithm>
#include <set>

#include "markings/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::markings {

namespace {

bool unioned(const std::string& c) {
  int cat = detail::control_category(c);
  if (cat <= 2) return true;  // SCI, SAP, AEA
  static constexpr std::string_view kUnion[] = {"NOFORN", "ORCON",  "ORCON-USGOV", "IMCON", "PROPIN", "FISA",
                                                "DSEN",   "RSEN",   "LIMDIS",      "NODIS", "STADIS", "EYES ONLY",
                                                "SSI",    "NNPI",   "WNINTEL",     "NOCONTRACT", "RYBAT",
                                                "NO DISSEM ABROAD", "CONTROLLED DISSEM", "BACKGROUND USE ONLY"};
  for (auto u : kUnion)
    if (c == u) return true;
  return c.substr(0, 5) == "ACCM-";
}

}  // namespace

Marking roll_up(const std::vector<Marking>& portions) {
  Marking r;
  for (const auto& p : portions)
    if (p.classification && (!r.classification || rank(*p.classification) > rank(*r.classification)))
      r.classification = p.classification;
  const bool classified = r.classification && rank(*r.classification) > rank(Level::U);

  std::vector<std::string> out;
  bool any_nodis = false, any_exdis = false, any_fouo = false, any_sbu_les = false;
  bool fgi_concealed = false, any_fgi = false;
  std::set<std::string> fgi_countries;
  for (const auto& p : portions) {
    for (const auto& c : p.controls) {
      if (c == "NODIS") any_nodis = true;
      if (c == "EXDIS") any_exdis = true;
      if (c == "FOUO") any_fouo = true;
      if (c == "SBU" || c == "SBU NOFORN" || c == "LES" || c == "LES NOFORN") any_sbu_les = true;
      if (c.substr(0, 3) == "FGI") {
        any_fgi = true;
        if (c.size() <= 4) fgi_concealed = true;
        else {
          std::string_view rest = std::string_view(c).substr(4);
          while (!rest.empty()) {
            std::size_t sp = rest.find(' ');
            fgi_countries.emplace(rest.substr(0, sp));
            if (sp == std::string_view::npos) break;
            rest.remove_prefix(sp + 1);
          }
        }
      }
      if (unioned(c)) out.push_back(c);
      if (c == "SBU NOFORN" || c == "LES NOFORN") out.push_back(classified ? "NOFORN" : c);
      if (!classified && (c == "SBU" || c == "LES" || c == "LOU" || c == "CUI" || c == "AIUO")) out.push_back(c);
    }
  }
  if (any_exdis && !any_nodis) out.push_back("EXDIS");
  if (!classified && any_fouo && !any_sbu_les && r.classification) out.push_back("FOUO");
  if (any_fgi) {
    if (fgi_concealed || fgi_countries.empty()) {
      out.push_back("FGI");
    } else {
      std::string f = "FGI";
      for (const auto& c : fgi_countries) f += " " + c;
      out.push_back(f);
    }
  }
  if (classified) {
    bool all_rel = true, all_relido = true, blocks_rel = detail::has_control(out, "NOFORN");
    bool first = true;
    int ncls = 0;
    std::vector<std::string> inter;
    for (const auto& p : portions) {
      if (!p.classification || rank(*p.classification) <= rank(Level::U)) continue;
      ++ncls;
      const std::string* rel = nullptr;
      bool relido = false;
      for (const auto& c : p.controls) {
        if (c.substr(0, 7) == "REL TO ") rel = &c;
        if (c == "RELIDO") relido = true;
        if (c == "NOFORN" || c == "RELIDO" || c.substr(0, 12) == "DISPLAY ONLY") blocks_rel = true;
      }
      if (!relido) all_relido = false;
      if (!rel) {
        all_rel = false;
        continue;
      }
      auto cs = detail::rel_countries(*rel);
      std::sort(cs.begin(), cs.end());
      if (first) {
        inter = cs;
        first = false;
      } else {
        std::vector<std::string> next;
        std::set_intersection(inter.begin(), inter.end(), cs.begin(), cs.end(), std::back_inserter(next));
        inter = std::move(next);
      }
    }
    if (all_relido && ncls > 0) out.push_back("RELIDO");
    if (all_rel && !first && !blocks_rel) {
      std::string rel = detail::rel_to(inter);
      if (rel == "REL TO USA") out.push_back("NOFORN");  // nothing left to release to
      else out.push_back(rel);
    }
  }
  detail::sort_controls(out);
  r.controls = std::move(out);
  r.text = r.canonical();
  return r;
}

}  // namespace declass::markings
