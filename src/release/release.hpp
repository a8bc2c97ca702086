// The release PDF of a text record: typewriter pages (DejaVu Sans Mono, cable-like lines, source page
// breaks kept), each withheld span replaced by a filled box of its exact character cells with its
// exemption codes inside, cancelled classification markings lined through, stamps from an editable
// template, our own Info/XMP, the audit excerpt attached, then verified before the bytes are returned.
// Withheld characters are never passed to the PDF layer. Signing is a separate step (sign/sign.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "release/stamp_template.hpp"

namespace declass::release {

// One source line: its text (no line terminator) and the source byte offset of its first byte.
struct SourceLine {
  std::size_t offset = 0;
  std::string text;
  int page = 1;         // 1-based source page; a new page starts a new PDF page
  bool omit = false;    // not typeset (e.g. an old release stamp or a FOIA footer of the source scan)
};

// A withheld source byte range [begin, end) and the exemption codes that justify it
// (e.g. "(b)(6)", "B1", "1.4(d)"); codes are printed in the box as stamp codes ("B6", "1.4(D)").
struct WithheldRange {
  std::size_t begin = 0, end = 0;
  std::vector<std::string> codes;
};

// A marking to cancel (line through, still legible), e.g. the banner "SECRET" or a portion mark "(S)".
struct CancelRange {
  std::size_t begin = 0, end = 0;
};

struct ReleaseRequest {
  std::vector<SourceLine> lines;
  std::vector<WithheldRange> withheld;
  std::vector<CancelRange> cancel;        // only when the document is declassified
  StampFields stamp;                      // disposition, codes, review authority, case/doc numbers, date
  std::string template_path;              // templates/state.toml (TOML) — "" = built-in State template
  std::string title;                      // Info /Title and dc:title (must not contain withheld text)
  std::string document_id;                // XMP rr:DocumentId (store id)
  std::string audit_json;                 // attached as release-audit.json ("" = no attachment)
  const Clock* clock = nullptr;           // CreationDate and the stamp date when stamp.date is empty
};

// Where a box was drawn (PDF user space), for tests and the UI.
struct PlacedBox {
  int page = 0;                    // 1-based PDF page
  double x = 0, y = 0, w = 0, h = 0;
  std::size_t first_cell = 0, cells = 0;  // column of the first covered cell, number of cells
  std::string label;               // codes printed inside ("" when the label was put in the margin)
  std::size_t range = 0;           // index into ReleaseRequest::withheld
};

struct TypesetLine {
  int page = 0;
  double baseline = 0, x = 0;
  std::u32string cells;            // what is visible; withheld cells are U+0000
  std::vector<std::size_t> source; // source byte offset per cell
};

struct ReleaseResult {
  std::string pdf;                 // unsigned, sanitized, verified
  int pages = 0;
  std::vector<PlacedBox> boxes;
  std::vector<TypesetLine> lines;
  std::vector<std::string> withheld_terms;  // every withheld text piece checked to be absent
  std::string audit_sha256;        // of audit_json (also in XMP rr:AuditSha256)
  double char_advance = 0;         // pt per cell
};

// Builds, writes and verifies the release. Throws Error(input) for a bad request (ranges outside the
// text, unknown template keys), Error(verification) when the written file fails the post-write checks
// (withheld text found, structure not clean) — then no bytes are returned.
ReleaseResult build_release_pdf(const ReleaseRequest& req);

// Splits plain text into SourceLines (LF, CRLF or CR); a form feed or a cable page header
// ("PAGE 02 ...") starts a new source page. For callers without the ingest module.
std::vector<SourceLine> lines_from_text(std::string_view text);

// Our XMP packet for a release (title, case and document numbers, disposition, review authority, audit
// hash; rr:SourceFormat when the source was not a text record). Shared by text and PDF releases.
std::string release_xmp(const ReleaseRequest& req, const std::string& disposition, std::int64_t created,
                        const std::string& audit_sha256, const std::string& source_format);

// "(b)(6)" → "B6", "(b)(7)(C)" → "B7(C)", "1.4(d)" → "1.4(D)", "B1" → "B1".
std::string stamp_code(std::string_view code);

// Text pieces of the withheld ranges, one per line segment, as they appear in the source; the
// verifier checks that none of them is in the output (pieces that also occur in released text are skipped
// by build_release_pdf, but returned by this function).
std::vector<std::string> withheld_pieces(const std::vector<SourceLine>& lines, const std::vector<WithheldRange>& withheld);

// A piece can be searched for without false alarms when it has at least 3 characters after
// normalisation and does not occur in the (normalised) released text.
bool is_distinctive(std::string_view piece, const std::string& normalized_released);
// is_distinctive for many pieces in one pass over the released text: the pieces (in their order) that are distinctive.
// A piece that occurs byte for byte in `raw_released` (when given) is not distinctive either: verifiers
// also search raw objects, where a kept "MILITARY-" at a line end is spelled as is, not hyphen-joined.
std::vector<std::string> distinctive_subset(const std::vector<std::string>& pieces, const std::string& normalized_released,
                                            std::string_view raw_released = {});
// The withheld pieces that are distinctive against the kept source text: what a verifier that only
// has the source and the decisions (declass verify --db) must find absent from the release.
std::vector<std::string> distinctive_withheld_terms(const std::vector<SourceLine>& lines,
                                                    const std::vector<WithheldRange>& withheld);

}  // namespace declass::release
