// Compliance reports as a library call (used by `declass report`, tests, the future server): builds a
// report of the store (report module), renders it as text, JSON, HTML, CSV (Vaughn index) or PDF, and
// signs it with the review authority's key: a PDF with the release signature (PAdES, CAdES detached),
// any other format with a detached CMS signature (DER, written beside the output as FILE.p7s).
#pragma once
#include <optional>
#include <string>

#include "app/release.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/json.hpp"

namespace declass::app {

struct ReportRequest {
  std::string kind;              // vaughn | exemptions | consistency | overrides | audit
  std::string format = "text";   // text | json | html | csv (vaughn only) | pdf
  std::string case_id;           // vaughn: required; consistency, overrides: optional filter
  std::optional<Date> from, to;  // exemptions
  double threshold = 0.9;        // consistency
  std::size_t min_words = 6;     // consistency
  std::size_t sample = 0;        // overrides
  bool sign = false;             // sign the output (PDF: PAdES; other formats: detached CMS)
  SigningOptions signing;
};

struct ReportOutput {
  std::string bytes;            // the rendered report
  std::string signature;        // DER CMS over `bytes` (non-PDF formats with sign), else ""
  std::string signer_subject;   // when signed
  std::string schema;           // declass.report.<kind>/1
  int exit_code = 0;            // 0; 3 consistency conflicts found; 4 audit chain broken
  Json summary;                 // the JSON form (always built; small reports) for callers and logs
};

// Error(usage) for an unknown kind/format combination or a missing case.
ReportOutput generate_report(Workspace& ws, const ReportRequest& req, const Clock& clock);

}  // namespace declass::app
