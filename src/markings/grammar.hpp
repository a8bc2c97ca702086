// Token grammars of MARKINGS.md: banners, portion marks, class lines, captions, authority
// blocks, declassification instructions, exemption codes, release stamps and FOIA footers.
// Pure functions over strings (RE2 inside, never std::regex); no zone or document logic.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "markings/types.hpp"

namespace declass::markings {

// Letter-spaced runs ("S E C R E T", "S e c r e t") collapsed, other text unchanged.
std::string despace_letters(std::string_view line);

// A line that is a banner by itself: "SECRET", "S E C R E T", "SECRET//NOFORN",
// "TOP SECRET//SI//NF", "UNCLASSIFIED//FOR OFFICIAL USE ONLY". Rejects "SECRETARY", sentences,
// "TOP SECRET CLEARANCE". A trailing print id such as "SECRET PTO1637" is accepted.
std::optional<Marking> parse_banner_line(std::string_view line);

// State cable class line: "S E C R E T STATE 244337", "C O N F I D E N T I A L SECTION 01 OF 03 CAPE TOWN 00097",
// "UNCLAS STATE 089712", "LIMITED OFFICIAL USE STATE 017976".
struct ClassLine {
  Marking marking;
  std::string originator;  // "STATE"
  std::string number;      // "244337"
  // Bytes of marking.text (the trimmed line) that spell the classification itself, from its start:
  // "S E C R E T STATE 244337" → 11 ("S E C R E T"). What a release lines through.
  std::size_t classification_length = 0;
};
std::optional<ClassLine> parse_class_line(std::string_view line);

// A portion-mark token including its parentheses: "(S)", "(S//NF)", "(S/NF)", "(C NF)", "(SBU)",
// "(S//REL TO USA, GBR)", "(TS//SI//NF)", "(U//FOUO)". Vocabulary-restricted: "(CBS)", "(A)" → nullopt.
std::optional<Marking> parse_portion_token(std::string_view token);

// The portion mark of a paragraph, applying MARKINGS.md §2.2 position rules: after the paragraph
// number at the start, at the very end, or after "SUBJECT:"; "(5)" read as (S) only in the start slot;
// "(C)" refused when the paragraph also has (A)/(B) enumerators; "SECRET - ENTIRE TEXT" forms.
std::optional<PortionHit> find_portion_mark(std::string_view paragraph_text);

// Captions on a caption line ("NODIS", "NODIS NOT FOR ADS", "SIPDIS", "EXDIS"). Empty when the
// line is not a caption line.
std::vector<std::string> parse_caption_line(std::string_view line);

// Authority block text (lines of the E.O./classified-by/reason/decl zone joined with spaces).
// Accumulates into `into`: order, classified_by, derived_from, reasons, declassify_on.
void parse_authority_text(std::string_view text, Authority& into);

// Reason codes in any form of §4.1 → canonical "1.5(b)", "1.4(d)", "1.6(x5)".
std::vector<std::string> parse_reason_codes(std::string_view text);

// Dates as written in markings: "12/18/08" (yy<70 → 20yy), "(11/27/26)", "12/18/2008", "20411231",
// "2020/02/04", "2020-02-04". Events and instructions → nullopt.
std::optional<Date> parse_marking_date(std::string_view text);

// Exemption codes. canonical_exemption: "B1"→"(b)(1)", "b6"→"(b)(6)", "B7(C)"→"(b)(7)(C)",
// "(b)(7)(c)"→"(b)(7)(C)", "(b) (3)"→"(b)(3)", "B3 NATSECACT1947"→"(b)(3) NATSECACT1947",
// "1.4(D)"→"1.4(d)", "1.5 (B)"→"1.5(b)", "25X1"→"25X1", "25X1-human"→"25X1-HUMAN", "50X1-HUM",
// "(k)(5)"→"PA(k)(5)". Unknown → nullopt.
std::optional<std::string> canonical_exemption(std::string_view raw);
// All exemption codes in free text (margin codes, "(b)(6)" citations), with offsets.
std::vector<ExemptionHit> find_exemption_codes(std::string_view text);
// Stamp spelling of a canonical code: "(b)(1)"→"B1", "1.4(d)"→"1.4(D)", "(b)(7)(C)"→"B7(C)".
std::string stamp_form(std::string_view canonical);
// "B1, 1.4(D), B6": de-duplicated, FOIA codes first in numeric order, then E.O. codes.
std::string stamp_code_list(const std::vector<std::string>& canonical_codes);
// Plain-language meaning of a canonical code (for reports and explanations); empty if unknown.
std::string exemption_meaning(std::string_view canonical);

// Release-review stamp, tolerant of OCR and line splits: "RELEASE IN FULL", "RELEASE IN PART B1,1.4(B),1.4(D)".
std::optional<ReleaseStamp> parse_release_stamp(std::string_view text);
// "REVIEW AUTHORITY: Marvin Russell, Senior Reviewer" → "Marvin Russell, Senior Reviewer".
std::optional<std::string> parse_review_authority(std::string_view text);
// "UNCLASSIFIED U.S. Department of State Case No. F-2017-13804 Doc No. C06698642 Date: 08/26/2019".
struct FoiaFooter {
  std::string case_number;
  std::string doc_number;
  std::optional<Date> date;
};
std::optional<FoiaFooter> parse_foia_footer(std::string_view text);

// Banner computed from portion marks by the roll-up rules of §3 (max level, union of NOFORN-class
// controls, REL TO intersection, FOUO only on U).
Marking roll_up(const std::vector<Marking>& portions);

}  // namespace declass::markings
