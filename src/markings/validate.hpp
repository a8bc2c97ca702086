// Document-level validation of MARKINGS.md §12: banner roll-up, unmarked paragraphs, FOUO on
// classified portions, passed declassify-on dates, reason codes foreign to the cited order,
// release-stamp codes that disagree with in-text codes. Produces findings with locations.
#pragma once
#include <vector>

#include "core/date.hpp"
#include "markings/types.hpp"

namespace declass::markings {

struct ParagraphMarks {          // what validation needs to know about one paragraph
  int index = 0;                 // 1-based
  int line = 0;                  // first source line
  std::optional<Marking> portion;
  std::vector<std::string> exemptions;  // in-text (margin) codes, canonical
  bool is_body = true;           // body paragraph (headings/signatures may be unmarked)
};

std::vector<Finding> validate(const DocumentMarkings& doc, const std::vector<ParagraphMarks>& paragraphs,
                              const Date& review_date);

}  // namespace declass::markings
