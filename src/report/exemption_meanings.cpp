// The table of withholding codes and their plain-language meanings used in reports (see
// exemption_meanings.hpp). Written for requesters and judges reading a Vaughn index, not as legal text;
// unknown codes (1.5, 50X, Privacy Act) fall back to the markings module's own short meanings.
#include "report/exemption_meanings.hpp"

#include <array>
#include <utility>

#include "markings/grammar.hpp"

namespace declass::report {

namespace {

struct Meaning {
  const char* code;
  const char* text;
};

constexpr std::array<Meaning, 40> table{{
    // FOIA, 5 U.S.C. 552(b)
    {"(b)(1)", "Properly classified national security information: the passage is currently and properly "
               "classified under an executive order (E.O. 13526) because its release could damage national defense "
               "or foreign relations."},
    {"(b)(2)", "Internal personnel rules and practices: material related only to the agency's internal personnel "
               "rules and practices, of no public interest."},
    {"(b)(3)", "Withheld because another federal statute specifically requires or allows it to be kept from "
               "disclosure (the statute is named with the code when it was recorded)."},
    {"(b)(4)", "Trade secrets or commercial or financial information obtained from a person outside the government "
               "and treated as privileged or confidential."},
    {"(b)(5)", "Inter- or intra-agency memoranda protected by a litigation privilege, such as the deliberative "
               "process, attorney-client or attorney work-product privilege."},
    {"(b)(6)", "Personnel, medical or similar files whose release would be a clearly unwarranted invasion of a "
               "person's privacy (for example names and personal details of private individuals)."},
    {"(b)(7)", "Records compiled for law enforcement purposes whose release could cause one of the harms listed in "
               "(b)(7)(A)-(F)."},
    {"(b)(7)(A)", "Law enforcement records whose release could reasonably be expected to interfere with pending or "
                  "prospective enforcement proceedings."},
    {"(b)(7)(B)", "Law enforcement records whose release would deprive a person of the right to a fair trial or an "
                  "impartial hearing."},
    {"(b)(7)(C)", "Law enforcement records whose release could reasonably be expected to be an unwarranted invasion "
                  "of personal privacy (for example names of witnesses, suspects or investigators)."},
    {"(b)(7)(D)", "Law enforcement records whose release could reveal a confidential source or information that "
                  "source gave in confidence."},
    {"(b)(7)(E)", "Law enforcement records whose release would disclose investigative techniques, procedures or "
                  "guidelines and could help someone evade the law."},
    {"(b)(7)(F)", "Law enforcement records whose release could reasonably be expected to endanger someone's life or "
                  "physical safety."},
    {"(b)(8)", "Information in or about examination, operating or condition reports prepared for or used by "
               "agencies that regulate or supervise financial institutions."},
    {"(b)(9)", "Geological and geophysical information and data, including maps, concerning wells."},
    // E.O. 13526 section 1.4 classification categories
    {"1.4(a)", "E.O. 13526 1.4(a): military plans, weapons systems or operations."},
    {"1.4(b)", "E.O. 13526 1.4(b): foreign government information, given in confidence by another government."},
    {"1.4(c)", "E.O. 13526 1.4(c): intelligence activities (including covert action), intelligence sources or "
               "methods, or cryptology."},
    {"1.4(d)", "E.O. 13526 1.4(d): foreign relations or foreign activities of the United States, including "
               "confidential sources."},
    {"1.4(e)", "E.O. 13526 1.4(e): scientific, technological or economic matters relating to national security."},
    {"1.4(f)", "E.O. 13526 1.4(f): United States Government programs for safeguarding nuclear materials or "
               "facilities."},
    {"1.4(g)", "E.O. 13526 1.4(g): vulnerabilities or capabilities of systems, installations, infrastructures, "
               "projects, plans or protection services relating to national security."},
    {"1.4(h)", "E.O. 13526 1.4(h): the development, production or use of weapons of mass destruction."},
    // E.O. 13526 section 3.3(b): exemptions from automatic declassification at 25 years
    {"25X1", "Kept classified beyond 25 years (E.O. 13526 3.3(b)(1)): would reveal the identity of a confidential "
             "human source or a human intelligence source, or a relationship with an intelligence or security "
             "service of a foreign government, or intelligence sources or methods."},
    {"25X2", "Kept classified beyond 25 years (3.3(b)(2)): would reveal information that would assist in the "
             "development, production or use of weapons of mass destruction."},
    {"25X3", "Kept classified beyond 25 years (3.3(b)(3)): would reveal information that would impair U.S. "
             "cryptologic systems or activities."},
    {"25X4", "Kept classified beyond 25 years (3.3(b)(4)): would reveal information that would impair the "
             "application of state-of-the-art technology within a U.S. weapon system."},
    {"25X5", "Kept classified beyond 25 years (3.3(b)(5)): would reveal formally named or numbered U.S. military "
             "war plans that remain in effect, or operational or tactical elements of prior plans still in use."},
    {"25X6", "Kept classified beyond 25 years (3.3(b)(6)): would cause serious harm to relations between the United "
             "States and a foreign government, or to ongoing diplomatic activities."},
    {"25X7", "Kept classified beyond 25 years (3.3(b)(7)): would impair the ability of officials to protect the "
             "President, Vice President and others under protection, or would damage national-security emergency "
             "preparedness."},
    {"25X8", "Kept classified beyond 25 years (3.3(b)(8)): would seriously impair current national security "
             "emergency preparedness plans or reveal current vulnerabilities of systems, installations or "
             "infrastructures relating to national security."},
    {"25X9", "Kept classified beyond 25 years (3.3(b)(9)): would violate a statute, treaty or international "
             "agreement that does not permit automatic or unilateral declassification."},
    // Privacy Act and E.O. 12958 section 1.5 spellings seen in older stamps
    {"1.5(a)", "E.O. 12958 1.5(a) (older order): military plans, weapons systems or operations."},
    {"1.5(b)", "E.O. 12958 1.5(b) (older order): foreign government information."},
    {"1.5(c)", "E.O. 12958 1.5(c) (older order): intelligence activities, sources or methods, or cryptology."},
    {"1.5(d)", "E.O. 12958 1.5(d) (older order): foreign relations or foreign activities of the United States, "
               "including confidential sources."},
    {"1.5(e)", "E.O. 12958 1.5(e) (older order): scientific, technological or economic matters relating to national "
               "security."},
    {"1.5(f)", "E.O. 12958 1.5(f) (older order): programs for safeguarding nuclear materials or facilities."},
    {"1.5(g)", "E.O. 12958 1.5(g) (older order): vulnerabilities or capabilities of systems, installations, projects "
               "or plans relating to national security."},
    {"PA(k)(5)", "Privacy Act (k)(5): investigatory material compiled to decide suitability for federal employment "
                 "or access to classified information, that would reveal a source promised confidentiality."},
}};

std::string trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

const char* lookup(std::string_view canonical) {
  for (const auto& m : table)
    if (canonical == m.code) return m.text;
  return nullptr;
}

}  // namespace

std::string canonical_code(std::string_view code) {
  auto c = markings::canonical_exemption(trimmed(code));
  return c ? *c : trimmed(code);
}

std::string statute_of(std::string_view code) {
  std::string c = canonical_code(code);
  if (c.rfind("(b)(3)", 0) != 0 || c.size() <= 6) return "";
  return trimmed(std::string_view(c).substr(6));
}

std::string exemption_meaning(std::string_view code) {
  std::string c = canonical_code(code);
  if (const char* m = lookup(c)) return m;
  if (c.rfind("(b)(3)", 0) == 0) {  // (b)(3) with a statute
    std::string statute = statute_of(c);
    return std::string(lookup("(b)(3)")) + (statute.empty() ? "" : " Statute recorded: " + statute + ".");
  }
  // 25X1-HUMAN and similar suffixed forms mean their base code.
  if (c.size() > 4 && c.rfind("25X", 0) == 0 && c[4] == '-')
    if (const char* m = lookup(c.substr(0, 4))) return m;
  return markings::exemption_meaning(c);
}

std::string exemption_family(std::string_view code) {
  std::string c = canonical_code(code);
  if (c.size() >= 6 && c.rfind("(b)(", 0) == 0 && c[5] == ')') return c.substr(0, 6);
  if (c.rfind("1.4(", 0) == 0) return "E.O. 13526 1.4";
  if (c.rfind("1.5(", 0) == 0) return "E.O. 12958 1.5";
  if (c.rfind("25X", 0) == 0) return "25X";
  return c;
}

}  // namespace declass::report
