// Store glue for the release step: turns an approved document of the review store into a release
// request (withheld source ranges from the effective decisions, cancelled markings, stamp fields,
// audit excerpt), releases and signs it, records the release in the store and audit chain, and
// answers `declass verify --db` (audit excerpt against the chain, withheld text of the document).
#pragma once
#include <string>
#include <vector>

#include "app/release.hpp"
#include "app/workspace.hpp"
#include "release/release.hpp"

namespace declass::app {

struct StoreReleaseOptions {
  std::string document;             // "D1" or the doc number
  std::string actor;                // the releasing authority (--as)
  std::string authority_title = "Senior Reviewer";
  std::string template_path;        // "" = the built-in State template
  SigningOptions signing;
  bool rasterize_unsafe_pages = false;  // PDF records: rebuild unsafe pages as images (recorded in the audit)
};

// The release request for an approved document (Error(workflow) when it is not approved, Error(input)
// when the stored source no longer yields the stored paragraphs). Withheld text never enters the request
// except as byte ranges into the source.
release::ReleaseRequest request_for_document(Workspace& ws, const StoreReleaseOptions& o, const Clock& clock);
// Same, for a document view already read from the store.
release::ReleaseRequest request_for_view(Workspace& ws, const review::DocumentView& v, const StoreReleaseOptions& o,
                                         const Clock& clock);

struct StoreReleaseResult {
  ReleaseOutput output;
  std::string output_sha256;
  std::string disposition;
  std::string stamp_codes;
  std::string source_format = "text";   // "pdf": the source PDF was redacted in place (app/redact.hpp)
  std::vector<int> rasterized_pages;    // PDF records with rasterize_unsafe_pages
};

// Builds, signs and verifies the release; writes `out_path` atomically only after the release has been
// recorded (approved → released, audit event in the same transaction).
StoreReleaseResult release_document(Workspace& ws, const StoreReleaseOptions& o, const std::string& out_path,
                                    const Clock& clock);

// Installs the `declass verify --db` hooks (store_verify_hook()).
void install_store_verify_hook();

}  // namespace declass::app
