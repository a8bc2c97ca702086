// Value types of the marking grammar: classification levels, markings (banner or portion),
// authority blocks, exemption codes, release stamps, and the document-level marking facts
// that validation and the rule engine work on. Plain values: no parsing here.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace declass::markings {

// U < R (foreign RESTRICTED) < C < S < TS. RESTRICTED is never a U.S. level.
enum class Level { U = 0, R = 1, C = 2, S = 3, TS = 4 };
int rank(Level l);
const char* code(Level l);          // "U", "R", "C", "S", "TS"
const char* banner_word(Level l);   // "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"
std::optional<Level> parse_level_code(const std::string& s);  // "TS"/"S"/"C"/"R"/"U"

struct Marking {
  std::string text;                      // as written in the source (e.g. "(S//NF)", "S E C R E T")
  std::optional<Level> classification;   // null when the marking carries no level
  std::vector<std::string> controls;     // canonical banner forms, grammar order: "NOFORN", "REL TO USA, GBR",
                                         // "FOUO", "SBU", "LOU", "CUI", "AIUO", "ORCON", "FGI", "SI", "NODIS", ...
  bool low_confidence = false;           // an OCR confusable had to be folded to read it (e.g. "(5)" → S)
  std::string canonical() const;         // "SECRET//NOFORN" style banner text
};

enum class PortionPosition { start, end, subject, entire_text };
struct PortionHit {
  Marking marking;
  std::size_t begin = 0;  // byte offsets of the mark (with its parentheses) in the scanned text
  std::size_t end = 0;
  PortionPosition position = PortionPosition::start;
};

struct ExemptionHit {
  std::string code;       // canonical form, see canonical_exemption()
  std::size_t begin = 0;  // byte offsets in the scanned text
  std::size_t end = 0;
};

struct Authority {
  std::string order;                   // "12958", "13526", "12356", ... (digits only); empty if none
  std::string classified_by;           // as written, cleaned ("D ACTING SECRETARY STROBE TALBOTT")
  std::string derived_from;
  std::vector<std::string> reasons;    // canonical "1.5(b)", "1.4(d)", "1.6(x5)"
  std::string declassify_on;           // ISO date "2008-12-18" when a date, else the instruction ("25X1", "OADR", "MR", "X1")
  std::optional<Date> declassify_on_date;
  int line = 0;                        // 1-based source line where the block starts (0 = not found)
};

struct ReleaseStamp {
  std::string status;                  // "RELEASE IN FULL" | "RELEASE IN PART" | "DENIED IN FULL"
  std::vector<std::string> exemptions; // canonical codes, in the order written
  int line = 0;
};

struct Identifiers {
  std::string case_number;   // "F-2017-13804"
  std::string doc_number;    // "C06551526"
  std::string message_ref;   // "STATE 244337"
  std::string dtg;           // "291916Z DEC 99"
};

// Everything a document says about its own markings, gathered by ingest.
struct DocumentMarkings {
  Identifiers identifiers;
  std::optional<Marking> banner;       // the document's (highest) banner / class line
  int banner_line = 0;
  std::vector<std::string> captions;   // "NODIS", "SIPDIS", ...
  std::vector<std::string> tags;       // "PREL", "RS"
  std::string subject;
  std::optional<Marking> subject_portion;
  Authority authority;
  std::optional<ReleaseStamp> release;
  std::string review_authority;        // "Marvin Russell, Senior Reviewer"
  std::optional<Date> release_date;    // FOIA footer "Date:"
  std::optional<Date> document_date;   // from the DTG, dateline or cover page
  bool portion_marked = false;         // at least one paragraph carries a portion mark
  bool lined_through_original = false; // residue of cancelled marks was seen (§10, §14.1)
};

struct Finding {
  std::string code;          // stable id, e.g. "banner.below-portion"
  std::string severity;      // "error" | "warning" | "info"
  std::string message;
  int paragraph = 0;         // 1-based paragraph index, 0 = document level
  int line = 0;              // 1-based source line, 0 = unknown
};

}  // namespace declass::markings
