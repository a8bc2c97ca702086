// Plain-language meanings of withholding codes for reports (Vaughn index, statistics): FOIA 5 U.S.C.
// 552(b)(1)–(b)(9) including the (b)(7)(A)–(F) sub-parts, E.O. 13526 §1.4(a)–(h) categories, the 25X1–25X9
// exemptions from automatic declassification, and State's stamp spellings (B1, B6, B7(C)). Codes are
// accepted in any spelling markings::canonical_exemption understands; "(b)(3) STATUTE" keeps the statute.
#pragma once
#include <string>
#include <string_view>

namespace declass::report {

// Canonical spelling ("B6" → "(b)(6)", "1.4(D)" → "1.4(d)"), or the input trimmed when unknown.
std::string canonical_code(std::string_view code);
// The meaning in a sentence or two; "" when the code is not in the table.
std::string exemption_meaning(std::string_view code);
// Grouping key for statistics: "(b)(1)".."(b)(9)" for FOIA codes (sub-parts and statutes folded in),
// "E.O. 13526 1.4" for 1.4 categories, "25X" for 25X codes, else the canonical code.
std::string exemption_family(std::string_view code);
// For "(b)(3) STATUTE" codes: the statute as recorded, else "".
std::string statute_of(std::string_view code);

}  // namespace declass::report
